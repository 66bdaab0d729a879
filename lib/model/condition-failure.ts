import { ConditionFailedError, ItemNotFoundError, VersionConflictError, type DynamormError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/item-codec';
import { getStoredItem } from './read-item';

/**
 * Why a save/delete's condition failed: the item is gone (ItemNotFoundError) or its
 * version moved on (VersionConflictError). DynamoDB returns the old item with
 * ReturnValuesOnConditionCheckFailure; servers that do not get one consistent read.
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
  let exists = (error as { Item?: unknown })?.Item !== undefined;
  let current: unknown;
  if (!exists) {
    let item: StoredItem | undefined;
    try {
      item = await getStoredItem(schema, key, { consistent: true, withExpired: true }, action);
    } catch {
      // The item's state is unknown: say only what is certain.
      return new ConditionFailedError(`${where}: the item changed or was deleted since it was loaded; nothing was written. Reload it and retry.`, { cause: error, params });
    }
    exists = item !== undefined;
    if (item && schema.version) current = item[schema.version.attributeName];
  }
  if (!exists) {
    return new ItemNotFoundError(`${where}: the item no longer exists (deleted meanwhile); nothing was written. Create it again with create().`, { cause: error, params });
  }
  const seen = current === undefined ? '' : `; it is now at version ${String(current)}`;
  return new VersionConflictError(
    `${where}: the item changed since it was loaded (expected version ${String(expectedVersion)}${seen}); nothing was written. Reload it and retry.`,
    { cause: error, params },
  );
}
