import { getConnection } from '../connection/connection-context';
import type { BatchError, LambdaTimeoutError } from '../errors/dynamorm-error';
import { stoppedError, undoneOf } from '../batch/batch-stop';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/item-codec';
import { keyOfItem } from '../marshal/key-codec';
import { MAX_BATCH_WRITES, writeInBatches, type WriteRequest } from '../batch/batch-write';
import { deleteModel } from './delete-item';
import { checkKnownProperties } from './derived-values';
import { stateOf } from './instance-state';
import { runHooks } from './run-hooks';
import { saveModel } from './save-item';
import { refusePartial } from './write-pipeline';

const keyOf = (schema: ModelSchema, model: object): StoredItem => keyOfItem(stateOf(model).loaded!, schema.tableKey);

/** A partial failure: what stopped the run, how many were done, and the keys not done. */
function stoppedAfter(action: string, completed: number, rest: readonly StoredItem[], cause: unknown): BatchError | LambdaTimeoutError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return stoppedError(`${action}: stopped after ${completed} item${completed === 1 ? '' : 's'}; ${rest.length} not done. ${why}`, rest, completed, cause);
}

/**
 * `query.deleteAll()`: deletes every match and returns the count, with the delete hooks.
 * A model with @Version or unique attributes deletes item by item, each version-checked (and
 * with its guards, in one transaction); others in BatchWriteItem chunks of 25, unprocessed
 * items retried. Either way a failure stops the run: BatchError with `.completed`.
 */
export async function deleteAllMatches(schema: ModelSchema, matches: AsyncIterable<object>, action: string): Promise<number> {
  const models: object[] = [];
  for await (const model of matches) models.push(model);
  for (const model of models) refusePartial(schema, model, 'deleteAll');
  const oneByOne = schema.version !== undefined || schema.uniques.length > 0;
  let done = 0;
  if (oneByOne) {
    for (const [i, model] of models.entries()) {
      try {
        await deleteModel(schema, model);
      } catch (error) {
        throw stoppedAfter(action, done, models.slice(i).map((m) => keyOf(schema, m)), error);
      }
      done += 1;
    }
    return done;
  }
  const conn = getConnection();
  const table = conn.tableName(schema.table);
  for (let start = 0; start < models.length; start += MAX_BATCH_WRITES) {
    const chunk = models.slice(start, start + MAX_BATCH_WRITES);
    for (const model of chunk) await runHooks(schema, model, 'beforeDelete');
    const requests: WriteRequest[] = chunk.map((model) => ({ DeleteRequest: { Key: keyOf(schema, model) } }));
    try {
      await writeInBatches(conn, table, requests, { action, keyOf: (r) => ('DeleteRequest' in r ? r.DeleteRequest.Key : {}) });
    } catch (error) {
      const undone = undoneOf(error);
      if (!undone) throw error;
      const rest = [...undone.unprocessed, ...models.slice(start + MAX_BATCH_WRITES).map((m) => keyOf(schema, m))] as StoredItem[];
      throw stoppedAfter(action, done + undone.completed, rest, (error as Error).cause ?? error);
    }
    for (const model of chunk) {
      const state = stateOf(model);
      state.persisted = false;
      state.loaded = undefined;
      state.baseline = undefined;
      await runHooks(schema, model, 'afterDelete');
    }
    done += chunk.length;
  }
  return done;
}

/**
 * `query.updateAll(changes)`: assigns `changes` to every match and saves it, exactly as
 * `save()` does (hooks, validation, @UpdatedAt, the version check, unique guards), one
 * UpdateItem (or transaction) per item. All matches are read first, so an update that moves
 * an item within the query's own key range cannot make it match twice. A failure stops the
 * run: BatchError with `.completed`.
 */
export async function updateAllMatches(schema: ModelSchema, matches: AsyncIterable<object>, changes: object, action: string): Promise<number> {
  const probe = new (schema.ctor as new () => object)();
  checkKnownProperties(schema, probe, changes, action);
  for (const property of Object.keys(changes)) {
    const attr = schema.byProperty.get(property);
    const sources = schema.tableKey.partitionKey.template?.properties.concat(schema.tableKey.sortKey?.template?.properties ?? []) ?? schema.tableKey.sortKey?.template?.properties ?? [];
    if (attr?.tableKey || sources.includes(property)) {
      throw new ValidationError(`${action}: '${property}' is part of the table key, which an update cannot change; delete and create the items instead.`, [
        { property, value: (changes as Record<string, unknown>)[property], constraints: { keyChanged: `${property} cannot change` } },
      ]);
    }
  }
  const models: object[] = [];
  for await (const model of matches) models.push(model);
  let done = 0;
  for (const [i, model] of models.entries()) {
    try {
      // A copy per item, so no two items share a Set or list of the changes.
      Object.assign(model, structuredClone(changes));
      await saveModel(schema, model);
    } catch (error) {
      throw stoppedAfter(action, done, models.slice(i).map((m) => keyOf(schema, m)), error);
    }
    done += 1;
  }
  return done;
}
