import { ConditionFailedError, ItemNotFoundError, type DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/item-codec';
import { getStoredItem, isExpired } from '../model/read-item';
import type { UpdateParams } from './compile-update';

const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * True when an item DynamoDB returned with a failed condition (ALL_OLD, in AttributeValue
 * form: errors are not unmarshalled) has an expired @TTL.
 */
export function returnedItemExpired(schema: ModelSchema, item: Record<string, { N?: string }> | undefined): boolean {
  const ttl = schema.ttl && item?.[schema.ttl.attributeName]?.N;
  return ttl !== undefined && isExpired(schema, { [schema.ttl!.attributeName]: ttl });
}

/**
 * What was stored when the condition failed: the item DynamoDB returned (ALL_OLD), else one
 * consistent read; 'unknown' when that read fails.
 */
async function storedState(schema: ModelSchema, params: UpdateParams, error: unknown): Promise<'missing' | 'expired' | 'live' | 'unknown'> {
  const returned = (error as { Item?: Record<string, { N?: string }> }).Item;
  if (returned) return returnedItemExpired(schema, returned) ? 'expired' : 'live';
  try {
    const item = await getStoredItem(schema, params.Key, { consistent: true, withExpired: true }, 'update');
    return !item ? 'missing' : isExpired(schema, item) ? 'expired' : 'live';
  } catch {
    return 'unknown';
  }
}

/**
 * Why an update's condition failed: a missing or expired item is ItemNotFoundError (unless
 * upserting), a live one means an `if` was false: ConditionFailedError. An upsert without
 * @TTL needs no look: only an `if` can have failed.
 */
function explainFailure(schema: ModelSchema, params: UpdateParams, upsert: boolean, error: unknown, stored: string): DynamormError {
  const where = `${schema.className}.update (${formatKey(params.Key)})`;
  if (!upsert && stored === 'unknown') {
    return new ConditionFailedError(`${where}: the item is missing or its condition did not hold; nothing was written.`, { cause: error, params });
  }
  if (!upsert && stored !== 'live') {
    const what = stored === 'expired' ? 'the item with this key has expired (its @TTL passed)' : 'no item with this key';
    return new ItemNotFoundError(`${where}: ${what}; nothing was written. Add .upsert() to create it, or create() it first.`, { cause: error, params });
  }
  return new ConditionFailedError(`${where}: the condition ${JSON.stringify(params.ConditionExpression)} did not hold; nothing was written.`, { cause: error, params });
}

/**
 * Deletes the expired item an upsert replaces, only while it is still expired: an item whose
 * TTL was renewed meanwhile is live again and stays (the upsert then updates it).
 */
async function deleteExpired(conn: Connection, schema: ModelSchema, params: UpdateParams): Promise<void> {
  const p = new Placeholders();
  const ConditionExpression = compileCondition(cond.compare([schema.ttl!.attributeName], '<', Math.floor(Date.now() / 1000)), p);
  const request = { TableName: params.TableName, Key: params.Key, ConditionExpression, ...p.toParams() };
  try {
    await conn.delete(request);
  } catch (error) {
    if (awsErrorName(error) === CONDITION_FAILED) return;
    const action = `${schema.className}.update (upsert: deleting the expired item it replaces; nothing was written)`;
    throw translateError(error, { action, table: params.TableName, key: formatKey(params.Key), params: request });
  }
}

async function send(conn: Connection, schema: ModelSchema, params: UpdateParams, action: string): Promise<StoredItem | undefined> {
  try {
    return (await conn.update(params))?.Attributes;
  } catch (error) {
    if (awsErrorName(error) === CONDITION_FAILED) throw error;
    throw translateError(error, { action, table: params.TableName, key: formatKey(params.Key), params });
  }
}

/**
 * Sends an update builder's UpdateItem; the item as stored after it (ALL_NEW) when asked for.
 * A failed condition becomes ItemNotFoundError or ConditionFailedError, any other failure
 * the DynamormError translateError makes. An upsert that meets an expired item replaces it
 * as create() would: the item is deleted (while still expired) and the update sent once more,
 * onto no item.
 */
export async function sendUpdate(conn: Connection, schema: ModelSchema, params: UpdateParams, upsert: boolean): Promise<StoredItem | undefined> {
  const action = `${schema.className}.update`;
  try {
    return await send(conn, schema, params, action);
  } catch (error) {
    if (awsErrorName(error) !== CONDITION_FAILED) throw error;
    const stored = upsert && !schema.ttl ? 'live' : await storedState(schema, params, error);
    if (!upsert || stored !== 'expired') throw explainFailure(schema, params, upsert, error, stored);
  }
  await deleteExpired(conn, schema, params);
  try {
    return await send(conn, schema, params, `${action} (upsert, after deleting the expired item it replaces)`);
  } catch (error) {
    if (awsErrorName(error) !== CONDITION_FAILED) throw error;
    throw explainFailure(schema, params, true, error, 'live');
  }
}
