import { cond, type Condition } from '../expressions/condition';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import { escapeTemplateValue } from '../metadata/key-template';
import type { StoredItem } from '../marshal/stored-item';
import { checkKeySize, MAX_PARTITION_KEY_BYTES, RESERVED_KEY_PREFIX } from '../marshal/key-limits';
import { numberText } from '../marshal/numbers';

export { GUARD_MARKER } from '../marshal/key-limits';

/** Names the item that holds a guard, so only that item may re-put or release it. */
export const GUARD_OWNER = '__dynamorm_owner';

/**
 * The sort key of every guard, on tables that have one. A constant rather than the value
 * again, so a unique value is bounded by the partition limit (2048 bytes) alone.
 */
const GUARD_SORT_KEY = `${RESERVED_KEY_PREFIX}unique`;

/**
 * The guard's partition key: `_dynamorm#unique#<table>#<attribute>#<value>`. User partition
 * keys may not start with the reserved prefix, so no user key can read, overwrite or delete a
 * guard. The attribute name is escaped so `a#b`/`c` and `a`/`b#c` cannot meet; the value is
 * last, so it needs no escaping (table names cannot contain `#`).
 */
function guardPartitionValue(schema: ModelSchema, attr: AttributeSchema, stored: unknown): string {
  const text = stored instanceof Uint8Array ? Buffer.from(stored).toString('base64') : numberText(stored);
  return `${RESERVED_KEY_PREFIX}unique#${schema.table}#${escapeTemplateValue(attr.attributeName)}#${text}`;
}

/** The key of the guard item that reserves `stored` for the unique attribute. */
function guardKey(schema: ModelSchema, attr: AttributeSchema, stored: unknown): StoredItem {
  const key: StoredItem = { [schema.tableKey.partitionKey.attributeName]: guardPartitionValue(schema, attr, stored) };
  if (schema.tableKey.sortKey) key[schema.tableKey.sortKey.attributeName] = GUARD_SORT_KEY;
  return key;
}

/** One guard a write puts or deletes. */
export interface GuardMove {
  attr: AttributeSchema;
  value: unknown;
  key: StoredItem;
  /**
   * Another owner this reserve takes the value over from (a transaction in which one item
   * gives the value up and another takes it: one action on the guard, not two).
   */
  takeoverFrom?: string;
}

/** How the guards of one write change. */
export interface GuardChanges {
  /** The owner's identity: its table key values as JSON (they are strings, see resolve). */
  owner: string;
  /**
   * The owner's stored @TTL after the write (epoch seconds; undefined: none). Guards carry
   * it, so DynamoDB sweeps a guard with its owner and an expired owner's values are free.
   */
  expiry: unknown;
  /** Guards to put: new values, and kept values whose owner's expiry changed (so the guard's follows). */
  reserve: GuardMove[];
  /** Guards to delete: values the owner no longer holds. */
  release: GuardMove[];
}

/** A write that moves no guard. */
export const NO_GUARDS: GuardChanges = Object.freeze({ owner: '', expiry: undefined, reserve: [], release: [] });

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  return numberText(a) === numberText(b);
}

/** The owner's identity as stored on its guards. */
function ownerId(schema: ModelSchema, item: StoredItem): string {
  const { partitionKey, sortKey } = schema.tableKey;
  const values = [item[partitionKey.attributeName]];
  if (sortKey) values.push(item[sortKey.attributeName]);
  return JSON.stringify(values);
}

function move(schema: ModelSchema, attr: AttributeSchema, value: unknown, checked: boolean): GuardMove {
  const key = guardKey(schema, attr, value);
  // Checked here, before any request: DynamoDB's own refusal names neither the attribute nor the guard.
  if (checked) {
    const where = `${schema.className}.${attr.property}`;
    checkKeySize(key[schema.tableKey.partitionKey.attributeName], MAX_PARTITION_KEY_BYTES, where, attr.property, 'unique guard key');
  }
  return { attr, value, key };
}

/**
 * Guards to move when an item goes from `before` (undefined: new) to `after` (undefined:
 * deleted). A guard key over DynamoDB's limit is a ValidationError naming the attribute.
 */
export function guardChanges(schema: ModelSchema, before: StoredItem | undefined, after: StoredItem | undefined): GuardChanges {
  const holder = after ?? before;
  if (schema.uniques.length === 0 || !holder) return NO_GUARDS;
  const ttl = schema.ttl?.attributeName;
  const expiry = ttl && after && present(after[ttl]) ? after[ttl] : undefined;
  const oldExpiry = ttl && before && present(before[ttl]) ? before[ttl] : undefined;
  const expiryMoved = before !== undefined && after !== undefined && !sameValue(oldExpiry, expiry);
  const changes: GuardChanges = { owner: ownerId(schema, holder), expiry, reserve: [], release: [] };
  for (const attr of schema.uniques) {
    const old = before?.[attr.attributeName];
    const next = after?.[attr.attributeName];
    if (present(old) && present(next) && sameValue(old, next)) {
      if (expiryMoved) changes.reserve.push(move(schema, attr, next, true));
      continue;
    }
    if (present(old)) changes.release.push(move(schema, attr, old, false));
    if (present(next)) changes.reserve.push(move(schema, attr, next, true));
  }
  return changes;
}

/**
 * The condition that the owner still stores the unique values `before` holds, for each
 * unique attribute whose guard this write moves: a stale instance (with no @Version to catch
 * it) would otherwise release a value it no longer holds and leave the one it does reserved.
 */
export function storedUniquesCondition(before: StoredItem | undefined, guards: GuardChanges): Condition | undefined {
  if (!before) return undefined;
  const moved = new Set([...guards.reserve, ...guards.release].map((guard) => guard.attr));
  return cond.and(
    ...[...moved].map((attr) => {
      const value = before[attr.attributeName];
      return present(value) ? cond.eq([attr.attributeName], value) : cond.notExists([attr.attributeName]);
    }),
  );
}
