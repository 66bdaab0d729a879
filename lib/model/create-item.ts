import { ItemExistsError } from '../errors/dynamorm-error';
import { getConnection } from '../connection/connection-context';
import { compileCondition, cond, type Condition } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import type { ModelSchema } from '../metadata/model-schema';
import { checkItemSize, toItem } from '../marshal/item-codec';
import { formatKey, keyOfItem } from '../marshal/key-codec';
import { markPersisted } from './dirty-tracking';
import { runHooks } from './run-hooks';
import { sendWrite } from './send-write';
import { guardChanges } from './unique-guards';
import { beforeWrite, stampWrite } from './write-pipeline';
import type { SaveOptions } from './model-types';

/** The create condition: no item under the key, or (with @TTL) only an expired one. */
function createCondition(schema: ModelSchema): Condition {
  const absent = cond.notExists([schema.tableKey.partitionKey.attributeName]);
  if (!schema.ttl) return absent;
  return cond.or(absent, cond.compare([schema.ttl.attributeName], '<', Math.floor(Date.now() / 1000)))!;
}

/** `model.create()`: the whole write pipeline, then a conditional Put. */
export async function createModel(schema: ModelSchema, model: object, options: SaveOptions = {}): Promise<void> {
  const conn = getConnection();
  await beforeWrite(schema, model, 'create', options, conn.config.validator);
  const restore = stampWrite(schema, model, 'create', new Date());
  try {
    const item = toItem(schema, model);
    checkItemSize(schema, item);
    const p = new Placeholders();
    const ConditionExpression = compileCondition(createCondition(schema), p);
    const params = { TableName: conn.tableName(schema.table), Item: item, ConditionExpression, ...p.toParams() };
    const key = keyOfItem(item, schema.tableKey);
    await sendWrite(conn, schema, { kind: 'Put', params }, guardChanges(schema, undefined, item), {
      action: 'create',
      key,
      onConditionFailed: (error) =>
        new ItemExistsError(`${schema.className}.create: an item with ${formatKey(key)} exists already; nothing was written. Use save() on the loaded item to change it, or choose another key.`, {
          cause: error,
          params,
        }),
    });
    markPersisted(model, item);
  } catch (error) {
    restore();
    throw error;
  }
  await runHooks(schema, model, 'afterCreate');
  await runHooks(schema, model, 'afterSave');
}
