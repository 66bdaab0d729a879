import { TransactionError, UniqueConstraintError } from '../errors/dynamorm-error';
import { keyIdentity } from '../batch/key-identity';
import { formatKey } from '../marshal/key-codec';
import { guardActions } from '../record/guard-actions';
import type { GuardChanges, GuardMove } from '../record/unique-guards';
import { describeOperation, type PreparedAction } from './prepare-actions';

/** DynamoDB's limit on the actions of one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/** Where an operation's actions sit in TransactItems: its main action at `start`, then its reserves, then its releases. */
export interface ActionSpan {
  readonly start: number;
  readonly reserves: readonly GuardMove[];
  readonly releases: readonly GuardMove[];
}

export interface ComposedTransaction {
  readonly items: Array<Record<string, unknown>>;
  /** One per user operation, in operation order. */
  readonly spans: readonly ActionSpan[];
}

function tableOf(action: PreparedAction): string {
  return action.primary.params.TableName;
}

function where(action: PreparedAction): string {
  return `operation ${action.index} (${describeOperation(action)}, ${formatKey(action.key)})`;
}

/** Two operations on one item: DynamoDB refuses the whole request, so say which before sending. */
function checkOneOperationPerItem(actions: readonly PreparedAction[]): void {
  const seen = new Map<string, PreparedAction>();
  for (const action of actions) {
    const identity = `${tableOf(action)}\u0000${keyIdentity(action.key, action.schema.tableKey)}`;
    const first = seen.get(identity);
    if (first) {
      throw new TransactionError(
        `A transaction may change an item only once: ${where(first)} and ${where(action)} are the same item. Merge them into one operation.`,
      );
    }
    seen.set(identity, action);
  }
}

/**
 * Guards that two operations touch. Two reserves of one value: the value cannot go to both
 * (UniqueConstraintError). One operation releasing a value another takes: a single Put that
 * takes the guard over from the first owner, since DynamoDB allows one action per item —
 * so two users can swap emails in one transaction.
 */
function mergeSharedGuards(actions: readonly PreparedAction[]): Map<PreparedAction, GuardChanges> {
  const merged = new Map<PreparedAction, GuardChanges>(
    actions.map((a) => [a, { ...a.guards, reserve: [...a.guards.reserve], release: [...a.guards.release] }]),
  );
  const reserved = new Map<string, { action: PreparedAction; move: GuardMove }>();
  const guardId = (action: PreparedAction, move: GuardMove) => `${tableOf(action)}\u0000${keyIdentity(move.key, action.schema.tableKey)}`;
  for (const action of actions) {
    for (const move of action.guards.reserve) {
      const id = guardId(action, move);
      const other = reserved.get(id);
      if (other) {
        throw new UniqueConstraintError(
          `${action.schema.className}.${move.attr.property} must be unique: ${where(other.action)} and ${where(action)} both take the same value; nothing was sent.`,
          move.attr.property,
        );
      }
      reserved.set(id, { action, move });
    }
  }
  for (const releaser of actions) {
    for (const move of releaser.guards.release) {
      const taker = reserved.get(guardId(releaser, move));
      if (!taker) continue;
      const releasing = merged.get(releaser)!;
      releasing.release = releasing.release.filter((m) => m !== move);
      const taking = merged.get(taker.action)!;
      taking.reserve = taking.reserve.map((m) => (m === taker.move ? { ...m, takeoverFrom: releaser.guards.owner } : m));
    }
  }
  return merged;
}

function mainAction(action: PreparedAction): Record<string, unknown> {
  const { ReturnValues: _none, ...params } = action.primary.params as Record<string, unknown>;
  return { [action.primary.kind]: params };
}

/**
 * The TransactItems of a transaction: each operation's main action followed by its guards,
 * checked against DynamoDB's rules first (one operation per item, 100 actions with the
 * guards counted), so a malformed transaction fails before anything is sent.
 */
export function composeTransaction(actions: readonly PreparedAction[], dropReleases: ReadonlySet<GuardMove> = new Set()): ComposedTransaction {
  checkOneOperationPerItem(actions);
  const guards = mergeSharedGuards(actions);
  const items: Array<Record<string, unknown>> = [];
  const spans: ActionSpan[] = [];
  for (const action of actions) {
    const own = guards.get(action)!;
    const kept = { ...own, release: own.release.filter((move) => !dropReleases.has(move)) };
    spans.push({ start: items.length, reserves: kept.reserve, releases: kept.release });
    items.push(mainAction(action), ...guardActions(action.schema, tableOf(action), kept));
  }
  if (items.length > MAX_TRANSACTION_ACTIONS) {
    const guardCount = items.length - actions.length;
    throw new TransactionError(
      `A transaction takes at most ${MAX_TRANSACTION_ACTIONS} actions; this one has ${items.length} (${actions.length} operations and ${guardCount} unique-guard actions). Split it into several transactions.`,
    );
  }
  return { items, spans };
}
