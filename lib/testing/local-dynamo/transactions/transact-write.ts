import type { DynaliteClient } from '../dynalite-client';
import { conditionHolds, validateParameters } from '../dynalite-internals';
import { isDynamoError, transactionCanceled, type CancellationReason } from '../errors';
import type { IdempotencyCache } from './idempotency';
import { collectionMetrics } from '../writes/item-collection-metrics';
import type { ItemChanges } from '../item-changes';
import { planTransaction, type PlannedAction } from './transact-plan';
import { assertTransactionSize } from './transact-size';
import type { WireBody, WireItem } from '../wire';

const NONE: CancellationReason = { Code: 'None' };
const RETURN_METRICS = { ReturnItemCollectionMetrics: { type: 'String', enum: ['SIZE', 'NONE'] } };
const CONDITION_FAILED = 'ConditionalCheckFailed';
const WRITE_OPERATION = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' } as const;

/**
 * TransactWriteItems on top of dynalite's single-item writes, with the consumed capacity and
 * the item collection metrics (tables with a local secondary index) DynamoDB returns.
 *
 * The caller holds the exclusive lock, so nothing else reads or writes while this
 * runs: conditions are checked against the items as they are now, then the writes
 * are applied one by one, and if any of them fails every item is put back as it was.
 */
export async function transactWriteItems(client: DynaliteClient, idempotency: IdempotencyCache, changes: ItemChanges, body: WireBody): Promise<WireBody> {
  const replayed = idempotency.replay(body);
  if (replayed) return replayed;
  if (body.ReturnItemCollectionMetrics !== undefined) validateParameters(RETURN_METRICS, { ReturnItemCollectionMetrics: body.ReturnItemCollectionMetrics });

  const actions = await planTransaction(
    client,
    body.TransactItems,
    ['ConditionCheck', 'Put', 'Update', 'Delete'],
    'TransactItems can only contain one of Check, Put, Update or Delete',
  );
  assertTransactionSize(actions);
  const writes = actions.filter((action) => action.kind !== 'ConditionCheck' && action.kind !== 'Get');
  // An item a layer-served index refuses (a key attribute of the wrong type) cancels the
  // transaction at that action, as dynalite's own index checks do in planTransaction.
  await changes.capture(
    writes.map((action) => ({ tableName: action.tableName, keyOrItem: action.key })),
    () => commit(client, actions),
    {
      refused: (error, at) =>
        isDynamoError(error, 'ValidationException')
          ? transactionCanceled(actions.map((action) => (action === writes[at] ? { Code: 'ValidationError', Message: error.message } : NONE)))
          : error,
    },
  );

  const metrics =
    body.ReturnItemCollectionMetrics === 'SIZE'
      ? await collectionMetrics(
          client,
          writes.map((action) => ({ tableName: action.tableName, itemOrKey: action.key })),
        )
      : {};
  const response = { ...consumedCapacity(body, actions), ...metrics };
  idempotency.remember(body, response);
  return response;
}

/** Checks every condition, then applies every write; throws the cancellation when any fails, with nothing written. */
async function commit(client: DynaliteClient, actions: PlannedAction[]): Promise<void> {
  const before = await Promise.all(actions.map((action) => client.getItem(action.tableName, action.key)));

  // No two actions share an item, so each condition is judged on the item's state before the transaction.
  const failed = actions.map((action, i) => !conditionHolds(action.validated, before[i]));
  if (failed.some(Boolean)) {
    throw transactionCanceled(actions.map((action, i) => (failed[i] ? conditionFailure(action, before[i]) : NONE)));
  }

  const reasons = await applyWrites(client, actions, before);
  if (reasons.some((reason) => reason.Code !== 'None')) throw transactionCanceled(reasons);
}

/**
 * A failed ConditionCheck's reason ends with a period, a failed write's does not (it reads
 * as ConditionalCheckFailedException does). ElectroDB's suite, run against DynamoDB Local,
 * pins the first; the conformance suite, run against DynamoDB, pins the second.
 */
function conditionFailure(action: PlannedAction, item: WireItem | undefined): CancellationReason {
  const Message = action.kind === 'ConditionCheck' ? 'The conditional request failed.' : 'The conditional request failed';
  const reason: CancellationReason = { Code: CONDITION_FAILED, Message };
  if (action.returnOldOnFailure && item) reason.Item = item;
  return reason;
}

/** Applies every write; on any failure restores the items already written and reports why. */
async function applyWrites(client: DynaliteClient, actions: PlannedAction[], before: Array<WireItem | undefined>): Promise<CancellationReason[]> {
  const reasons: CancellationReason[] = actions.map(() => NONE);
  const written: number[] = [];
  let unexpected: unknown;
  for (const [i, action] of actions.entries()) {
    if (action.kind === 'ConditionCheck' || action.kind === 'Get') continue;
    try {
      await client.call(WRITE_OPERATION[action.kind], action.request);
      written.push(i);
    } catch (err) {
      if (isDynamoError(err, 'ConditionalCheckFailedException')) reasons[i] = conditionFailure(action, before[i]);
      else if (isDynamoError(err, 'ValidationException')) reasons[i] = { Code: 'ValidationError', Message: err.message };
      else {
        unexpected = err;
        break;
      }
    }
  }
  if (unexpected !== undefined || reasons.some((reason) => reason.Code !== 'None')) {
    await restore(
      client,
      written.map((i) => ({ action: actions[i], item: before[i] })),
    );
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrown as it came (narrowed to {} by the check, still the caught value)
  if (unexpected !== undefined) throw unexpected;
  return reasons;
}

/** Puts items back as they were before the transaction, newest write first. */
async function restore(client: DynaliteClient, writes: Array<{ action: PlannedAction; item: WireItem | undefined }>): Promise<void> {
  for (const { action, item } of writes.reverse()) {
    if (item) await client.call('PutItem', { TableName: action.tableName, Item: item });
    else await client.call('DeleteItem', { TableName: action.tableName, Key: action.key });
  }
}

/** Transactional writes cost two write units per item; this reports them per table, as DynamoDB does. */
function consumedCapacity(body: WireBody, actions: PlannedAction[]): WireBody {
  const mode = body.ReturnConsumedCapacity;
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const perTable = new Map<string, number>();
  for (const action of actions) perTable.set(action.tableName, (perTable.get(action.tableName) ?? 0) + 2);
  const ConsumedCapacity = [...perTable].map(([TableName, units]) => ({
    TableName,
    CapacityUnits: units,
    WriteCapacityUnits: units,
    ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units, WriteCapacityUnits: units } } : {}),
  }));
  return { ConsumedCapacity };
}
