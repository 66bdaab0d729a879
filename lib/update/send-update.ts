import { ConditionFailedError, ItemNotFoundError, type DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { cond, conditionParams } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import { epochSeconds } from '../marshal/attribute-codec';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/stored-item';
import { getStoredItem, isExpired } from '../record/read-item';
import type { UpdateParams } from './compile-update';

const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * True when an item DynamoDB returned with a failed condition (ALL_OLD, in AttributeValue
 * form: errors are not unmarshalled) has an expired @TTL.
 */
export function returnedItemExpired(schema: ModelSchema, item: Record<string, { N?: string }> | undefined): boolean {
  const name = schema.ttl?.attributeName ?? ''; // no @TTL: isExpired says false
  return isExpired(schema, { [name]: item?.[name]?.N });
}

/**
 * Why an update's condition failed. The item DynamoDB returned (ALL_OLD), else one consistent
 * read, tells what is stored: a missing or expired item is ItemNotFoundError, unless
 * upserting (an upsert replaces an expired one: returned as is); a live one means an `if` was
 * false: ConditionFailedError. An upsert without @TTL needs no look: only an `if` can fail.
 * Expired means `ttl < now` by the same clock reading as reads (read-item's isExpired).
 */
async function explainFailure(
  schema: ModelSchema,
  params: UpdateParams,
  upsert: boolean,
  error: unknown,
  retried: boolean,
): Promise<DynamormError | 'expired'> {
  const where = `${schema.className}.update (${formatKey(params.Key)})`;
  const context = { cause: error, params };
  const returned = (error as { Item?: Record<string, { N?: string }> }).Item;
  // A retried upsert (its expired item deleted) is not replacing again: only an `if` failed.
  let stored = retried || (upsert && !schema.ttl) ? 'live' : returned ? (returnedItemExpired(schema, returned) ? 'expired' : 'live') : undefined;
  if (!stored) {
    try {
      const item = await getStoredItem(schema, params.Key, { consistent: true, withExpired: true }, 'update');
      stored = !item ? 'missing' : isExpired(schema, item) ? 'expired' : 'live';
    } catch {
      stored = upsert ? 'live' : 'unknown';
    }
  }
  if (stored === 'unknown') return new ConditionFailedError(`${where}: the item is missing or its condition did not hold; nothing was written.`, context);
  if (upsert && stored === 'expired') return stored;
  if (!upsert && stored !== 'live') {
    const what = stored === 'expired' ? 'the item has expired (its @TTL passed)' : 'no item with this key';
    return new ItemNotFoundError(`${where}: ${what}; nothing was written. Add .upsert() to create it, or create() it first.`, context);
  }
  return new ConditionFailedError(`${where}: the condition ${JSON.stringify(params.ConditionExpression)} did not hold; nothing was written.`, context);
}

/**
 * Sends an update builder's UpdateItem; the item as stored after it (ALL_NEW) when asked for.
 * A failed condition becomes ItemNotFoundError or ConditionFailedError, any other failure
 * the DynamormError translateError makes, naming the step. An upsert that meets an expired
 * item replaces it as create() would: deletes it, only while it is still expired (an item
 * renewed meanwhile stays, and is updated), and sends the update once more.
 */
export async function sendUpdate(conn: Connection, schema: ModelSchema, params: UpdateParams, upsert: boolean): Promise<StoredItem | undefined> {
  let step = 'update';
  try {
    for (let retried = false; ; retried = true) {
      try {
        return (await invoke(conn, 'update', params))?.Attributes;
      } catch (error) {
        if (awsErrorName(error) !== CONDITION_FAILED) throw error;
        const failure = await explainFailure(schema, params, upsert, error, retried);
        if (failure !== 'expired') throw failure;
      }
      step = 'update (upsert: deleting the expired item; nothing was written)';
      const expired = cond.compare([schema.ttl!.attributeName], '<', epochSeconds());
      await invoke(conn, 'delete', { TableName: params.TableName, Key: params.Key, ...conditionParams(expired) }).catch((error: unknown) => {
        if (awsErrorName(error) !== CONDITION_FAILED) throw error; // renewed (or gone) meanwhile: kept
      });
      step = 'update (upsert: after deleting the expired item)';
    }
  } catch (error) {
    throw translateError(error, { action: `${schema.className}.${step}`, table: params.TableName, key: formatKey(params.Key), params });
  }
}
