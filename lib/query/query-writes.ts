import { getConnection } from '../connection/connection-context';
import { stopped } from '../batch/batch-stop';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import { keyOfItem } from '../marshal/key-codec';
import { deleteInBatches } from '../batch/batch-delete';
import { prepareDelete } from '../record/delete-item';
import { checkKnownProperties } from '../record/derived-values';
import { stateOf } from '../record/instance-state';
import type { PreparedWrite } from '../record/prepared-write';
import { buildSave } from '../record/save-item';
import { sendAndSettle } from '../record/send-write';
import { startWrite } from '../record/write-context';
import { afterWrite, beforeWrite, refusePartial } from '../record/write-pipeline';

/**
 * `query.deleteAll()`: deletes every match and returns the count, with the delete hooks.
 * A model with @Version or unique attributes deletes item by item, each version-checked (and
 * with its guards, in one transaction); others as `batchDelete(instances)` does: every
 * @BeforeDelete first, then BatchWriteItem chunks of 25, unprocessed items retried. Once
 * something is deleted, whatever stops the run is a BatchError whose `.completed` lists the
 * instances deleted and `.unprocessed` the matched instances not deleted.
 */
export async function deleteAllMatches(schema: ModelSchema, matches: AsyncIterable<object>, action: string): Promise<number> {
  const models: object[] = [];
  for await (const model of matches) models.push(model);
  for (const model of models) refusePartial(schema, stateOf(model), 'deleteAll');
  if (schema.version !== undefined || schema.uniques.length > 0) {
    const conn = getConnection();
    return oneByOne(schema, models, action, (model) => prepareDelete(startWrite(schema, model, 'delete', undefined, conn)));
  }
  await deleteInBatches(schema, models, action);
  return models.length;
}

/**
 * `query.updateAll(changes)`: assigns `changes` to every match and saves it, exactly as
 * `save()` does (hooks, validation, @UpdatedAt, the version check, unique guards), one
 * UpdateItem (or transaction) per item. All matches are read first, so an update that moves
 * an item within the query's own key range cannot make it match twice. Once something is
 * written, whatever stops the run is a BatchError: `.completed` the instances saved,
 * `.unprocessed` the matched instances not saved, as read (the changes taken back).
 */
export async function updateAllMatches(schema: ModelSchema, matches: AsyncIterable<object>, changes: object, action: string): Promise<number> {
  const probe = new (schema.ctor as new () => object)();
  // `action` already names the model ('User.where(...).updateAll'), which checkKnownProperties adds itself.
  checkKnownProperties(schema, probe, changes, action.slice(schema.className.length + 1));
  const sources = [schema.tableKey.partitionKey, schema.tableKey.sortKey].flatMap((a) => a?.template?.properties ?? []);
  for (const property of Object.keys(changes)) {
    if (schema.byProperty.get(property)?.tableKey || sources.includes(property)) {
      throw new ValidationError(`${action}: '${property}' is part of the table key, which an update cannot change; delete and create the items instead.`, [
        { property, value: (changes as Record<string, unknown>)[property], constraints: { keyChanged: `${property} cannot change` } },
      ]);
    }
  }
  const models: object[] = [];
  for await (const model of matches) models.push(model);
  const conn = getConnection();
  return oneByOne(schema, models, action, async (model) => {
    const target = model as Record<string, unknown>;
    const before = Object.keys(changes).map((property) => [property, target[property]] as const);
    const takeBack = () => before.forEach(([property, value]) => (target[property] = value));
    try {
      // A copy per item, so no two items share a Set or list of the changes.
      Object.assign(model, structuredClone(changes));
      const ctx = startWrite(schema, model, 'save', undefined, conn);
      const preparing = beforeWrite(ctx);
      if (preparing) await preparing;
      const write = buildSave(ctx);
      if (!write) return undefined;
      const { restore } = write;
      return Object.assign(write, {
        restore: () => {
          restore();
          takeBack();
        },
      });
    } catch (error) {
      takeBack();
      throw error;
    }
  });
}

/**
 * Writes the models one at a time, each with `prepare`'s request (undefined: nothing to
 * send). A failure before the first request is thrown as it is (nothing written); after it, a
 * BatchError (LambdaTimeoutError at a deadline) with the instances done and those not. A
 * written item stays written when its after-hooks throw: it is in `.completed`.
 */
async function oneByOne(
  schema: ModelSchema,
  models: readonly object[],
  action: string,
  prepare: (model: object) => Promise<PreparedWrite | undefined>,
): Promise<number> {
  const completed: object[] = [];
  let sent = false;
  const stop = (rest: readonly object[], cause: unknown) =>
    stopped({ action, completed, unprocessed: rest, keys: rest.map((m) => keyOfItem(stateOf(m).loaded!, schema.tableKey)), cause });
  for (const [i, model] of models.entries()) {
    let write: PreparedWrite | undefined;
    try {
      write = await prepare(model);
      if (write) {
        sent = true;
        await sendAndSettle(write);
      }
    } catch (error) {
      if (!sent) throw error;
      throw stop(models.slice(i), error);
    }
    completed.push(model);
    try {
      if (write) await afterWrite(write.ctx);
    } catch (error) {
      throw stop(models.slice(i + 1), error);
    }
  }
  return completed.length;
}
