import { ConditionFailedError, ItemNotFoundError, type DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/item-codec';
import { getStoredItem } from '../model/read-item';
import type { UpdateParams } from './compile-update';

/**
 * Why an update's condition failed. The item DynamoDB returned (ALL_OLD) means it exists, so
 * an `if` was false: ConditionFailedError. No item: it is missing, ItemNotFoundError, unless
 * upserting (then only an `if` can have failed). A server that returns no item gets one
 * consistent read to tell.
 */
async function explainFailure(schema: ModelSchema, params: UpdateParams, upsert: boolean, error: unknown): Promise<DynamormError> {
  const where = `${schema.className}.update (${formatKey(params.Key)})`;
  let exists = (error as { Item?: unknown }).Item !== undefined;
  if (!exists && !upsert) {
    try {
      exists = (await getStoredItem(schema, params.Key, { consistent: true, withExpired: true }, 'update')) !== undefined;
    } catch {
      return new ConditionFailedError(`${where}: the item is missing or its condition did not hold; nothing was written.`, { cause: error, params });
    }
  }
  if (!exists && !upsert) {
    return new ItemNotFoundError(`${where}: no item with this key; nothing was written. Add .upsert() to create it, or create() it first.`, { cause: error, params });
  }
  return new ConditionFailedError(`${where}: the condition ${JSON.stringify(params.ConditionExpression)} did not hold; nothing was written.`, { cause: error, params });
}

/**
 * Sends an update builder's UpdateItem; the item as stored after it (ALL_NEW) when asked for.
 * A failed condition becomes ItemNotFoundError or ConditionFailedError, any other failure
 * the DynamormError translateError makes.
 */
export async function sendUpdate(conn: Connection, schema: ModelSchema, params: UpdateParams, upsert: boolean): Promise<StoredItem | undefined> {
  try {
    const output = await invoke(conn, 'update', params);
    return output?.Attributes;
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') throw await explainFailure(schema, params, upsert, error);
    throw translateError(error, { action: `${schema.className}.update`, table: params.TableName, key: formatKey(params.Key), params });
  }
}
