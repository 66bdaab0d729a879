import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/item-codec';

/** Marks guard items, so that the model's reads can filter them out. */
export const GUARD_MARKER = '__dynamorm_unique';

function guardKeyValue(schema: ModelSchema, attr: AttributeSchema, stored: unknown): string {
  const text = stored instanceof Uint8Array ? Buffer.from(stored).toString('base64') : String(stored);
  return `${schema.table}#${attr.attributeName}#${text}`;
}

/** The key of the guard item that reserves `stored` for the unique attribute. */
export function guardKey(schema: ModelSchema, attr: AttributeSchema, stored: unknown): StoredItem {
  const value = guardKeyValue(schema, attr, stored);
  const key: StoredItem = { [schema.tableKey.partitionKey.attributeName]: value };
  if (schema.tableKey.sortKey) key[schema.tableKey.sortKey.attributeName] = value;
  return key;
}

/** The guard item itself: its key, the marker, and the owner's key for debugging. */
export function guardItem(schema: ModelSchema, attr: AttributeSchema, stored: unknown, owner: StoredItem): StoredItem {
  return { ...guardKey(schema, attr, stored), [GUARD_MARKER]: attr.attributeName, owner };
}

/** How the guards of one write change: which values to reserve and which to release. */
export interface GuardChanges {
  reserve: Array<{ attr: AttributeSchema; value: unknown }>;
  release: Array<{ attr: AttributeSchema; value: unknown }>;
}

/** Guards to move when an item goes from `before` (undefined: new) to `after` (undefined: deleted). */
const NO_CHANGES: GuardChanges = Object.freeze({ reserve: [], release: [] }) as GuardChanges;

export function guardChanges(schema: ModelSchema, before: StoredItem | undefined, after: StoredItem | undefined): GuardChanges {
  if (schema.uniques.length === 0) return NO_CHANGES;
  const changes: GuardChanges = { reserve: [], release: [] };
  for (const attr of schema.uniques) {
    const old = before?.[attr.attributeName];
    const next = after?.[attr.attributeName];
    if (old !== undefined && old !== null && String(old) === String(next)) continue;
    if (old !== undefined && old !== null) changes.release.push({ attr, value: old });
    if (next !== undefined && next !== null) changes.reserve.push({ attr, value: next });
  }
  return changes;
}
