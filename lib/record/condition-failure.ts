import { ConditionFailedError, ItemNotFoundError, VersionConflictError, type DynamormError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/stored-item';
import { numberText } from '../marshal/numbers';
import { getStoredItem } from './read-item';

interface AttributeValue {
  N?: string;
}

/**
 * The item DynamoDB returned with the failure (ReturnValuesOnConditionCheckFailure ALL_OLD),
 * in AttributeValue form (the DocumentClient does not unmarshall errors): on the error
 * itself, or on the first cancellation reason of a transaction.
 */
function returnedItem(error: unknown): Record<string, AttributeValue> | undefined {
  const failure = error as { Item?: Record<string, AttributeValue>; CancellationReasons?: Array<{ Item?: Record<string, AttributeValue> }> };
  return failure?.Item ?? failure?.CancellationReasons?.[0]?.Item;
}

/**
 * Why a save/delete's condition failed: the item is gone (ItemNotFoundError) or its
 * version moved on (VersionConflictError). DynamoDB returns the old item with
 * ReturnValuesOnConditionCheckFailure; servers that do not get one consistent read. When
 * neither tells a cause for certain, a plain ConditionFailedError says only what is known.
 */
export async function explainConditionFailure(
  schema: ModelSchema,
  key: StoredItem,
  error: unknown,
  action: string,
  expectedVersion: unknown,
  params: unknown,
): Promise<DynamormError> {
  const where = `${schema.className}.${action} (${formatKey(key)})`;
  const versionName = schema.version?.attributeName;
  const returned = returnedItem(error);
  let exists = returned !== undefined;
  let current: string | undefined = versionName ? returned?.[versionName]?.N : undefined;
  if (!exists) {
    let item: StoredItem | undefined;
    try {
      item = await getStoredItem(schema, key, { consistent: true, withExpired: true }, action);
    } catch {
      return new ConditionFailedError(`${where}: the item changed or was deleted since it was loaded; nothing was written. Reload it and retry.`, {
        cause: error,
        params,
      });
    }
    exists = item !== undefined;
    const stored = item && versionName ? item[versionName] : undefined;
    current = stored === undefined || stored === null ? undefined : numberText(stored);
  }
  if (!exists) {
    return new ItemNotFoundError(`${where}: the item no longer exists (deleted meanwhile); nothing was written. Create it again with create().`, {
      cause: error,
      params,
    });
  }
  if (!versionName || (current !== undefined && expectedVersion !== undefined && current === String(expectedVersion))) {
    // No version to blame: another condition of the write (a unique value it moves) no longer
    // held, or the item was deleted and re-created between the write and this read.
    const now = versionName ? `, still at the expected version ${current}` : '';
    return new ConditionFailedError(
      `${where}: the item changed since it was loaded (or was deleted and re-created)${now}; nothing was written. Reload it and retry.`,
      { cause: error, params },
    );
  }
  const seen = current === undefined ? '; it now has no version' : `; it is now at version ${current}`;
  return new VersionConflictError(
    `${where}: the item changed since it was loaded (expected version ${expectedVersion === undefined ? 'none' : String(expectedVersion)}${seen}); nothing was written. Reload it and retry.`,
    { cause: error, params },
  );
}
