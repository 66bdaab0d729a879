import { TransactionCanceledError, type CancellationReason } from '../errors/dynamorm-error';
import { formatKey } from '../marshal/key-codec';
import type { GuardMove } from '../record/unique-guards';
import { returnedItemExpired } from '../update/send-update';
import type { ActionSpan, ComposedTransaction } from './compose';
import { describeOperation, type PreparedAction } from './prepare-actions';

/** DynamoDB's reason for one action, as the SDK gives it (the item in AttributeValue form: errors are not unmarshalled). */
interface RawReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, { N?: string }>;
}

function rawReasons(error: unknown): RawReason[] {
  return (error as { CancellationReasons?: RawReason[] }).CancellationReasons ?? [];
}

const failed = (reason: RawReason | undefined) => reason?.Code !== undefined && reason.Code !== 'None';

/**
 * The releases that failed only because another item holds the value now (possible once our
 * owner expired): when nothing else failed, they are not ours to delete and the transaction
 * goes again without them. Undefined when anything else failed.
 */
export function releasesHeldByOthers(error: unknown, composed: ComposedTransaction): Set<GuardMove> | undefined {
  const reasons = rawReasons(error);
  const lost = new Set<GuardMove>();
  const releaseAt = new Map<number, GuardMove>();
  for (const span of composed.spans) {
    const first = span.start + 1 + span.reserves.length;
    span.releases.forEach((move, i) => releaseAt.set(first + i, move));
  }
  for (const [position, reason] of reasons.entries()) {
    if (!failed(reason)) continue;
    const move = releaseAt.get(position);
    if (!move || reason.Code !== 'ConditionalCheckFailed') return undefined;
    lost.add(move);
  }
  return lost.size > 0 ? lost : undefined;
}

/** The condition with attribute names in place of their placeholders (values stay placeholders: they may be private). */
function readableCondition(request: object): string {
  const params = request as { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string> };
  const names = params.ExpressionAttributeNames ?? {};
  return JSON.stringify((params.ConditionExpression ?? '').replace(/#\w+/g, (placeholder) => names[placeholder] ?? placeholder));
}

function conditionMessage(action: PreparedAction, reason: RawReason): string {
  const exists = reason.Item !== undefined;
  switch (action.kind) {
    case 'create':
      return 'an item with this key exists already';
    case 'save':
    case 'delete': {
      if (!exists) return 'the item no longer exists';
      const versionName = action.schema.version?.attributeName;
      const stored = versionName ? reason.Item?.[versionName]?.N : undefined;
      if (versionName && stored !== String(action.expectedVersion)) {
        return `version conflict: expected version ${action.expectedVersion ?? 'none'}, the item is at ${stored ?? 'no version'}; reload it and retry`;
      }
      return 'the item changed since it was loaded; reload it and retry';
    }
    case 'update':
      if (!exists && !action.upsert) return 'no item with this key (add .upsert() to create it)';
      if (returnedItemExpired(action.schema, reason.Item)) {
        // Replacing an expired item takes a delete and a write of the same item: not in one transaction.
        return `the item has expired (its @TTL passed)${action.upsert ? ', which a transaction cannot replace; upsert it outside one' : ''}`;
      }
      return `the condition ${readableCondition(action.primary.params)} did not hold`;
    case 'check':
      return `the condition ${readableCondition(action.primary.params)} did not hold${exists ? '' : ' (there is no item with this key)'}`;
  }
}

/** The reason of one user operation, its guards folded in. */
function reasonOf(action: PreparedAction, span: ActionSpan, reasons: RawReason[]): CancellationReason {
  const base = { index: action.index, model: action.schema.className, key: action.key };
  const main = reasons[span.start];
  if (failed(main)) {
    const message = main.Code === 'ConditionalCheckFailed' ? conditionMessage(action, main) : (main.Message ?? main.Code!);
    return { ...base, code: main.Code!, message };
  }
  const taken = span.reserves.findIndex((_, i) => failed(reasons[span.start + 1 + i]));
  if (taken >= 0) {
    const { attr } = span.reserves[taken];
    return {
      ...base,
      code: 'UniqueConstraint',
      attribute: attr.property,
      message: `${attr.property} must be unique: the value is taken by another ${action.schema.className}`,
    };
  }
  const release = span.releases.findIndex((_, i) => failed(reasons[span.start + 1 + span.reserves.length + i]));
  if (release >= 0) {
    const { attr } = span.releases[release];
    return { ...base, code: 'ConditionalCheckFailed', attribute: attr.property, message: `the old ${attr.property} is held by another item now` };
  }
  return { ...base, code: 'None' };
}

/** TransactionCanceledError with one reason per user operation, and a message naming the ones that failed. */
export function cancellationError(
  error: unknown,
  actions: readonly PreparedAction[],
  composed: ComposedTransaction,
  params: unknown,
): TransactionCanceledError {
  const raw = rawReasons(error);
  const reasons = actions.map((action, i) => reasonOf(action, composed.spans[i], raw));
  const blamed = reasons.filter((r) => r.code !== 'None');
  const details =
    blamed.length > 0
      ? blamed.map((r) => `operation ${r.index} (${describeOperation(actions[r.index])}, ${formatKey(r.key!)}): ${r.code}, ${r.message}`).join('; ')
      : String((error as { message?: unknown }).message ?? 'no reason given');
  return new TransactionCanceledError(`Transaction cancelled, nothing was written: ${details}.`, reasons, { cause: error, params });
}
