import type { ModelSchema } from '../metadata/model-schema';
import { assignFromItem, encodeAttribute, planOf, type AttributePlan } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { stateOf, type InstanceState } from './instance-state';

/**
 * Equality of two property values (or two stored values) as DynamoDB would see them: Dates
 * by time, binary by bytes, sets by members, lists and maps deeply (an `undefined` entry of
 * a map counts as absent), numbers and bigints by value.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && String(a) === String(b);
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const member of a) if (!b.has(member) && ![...b].some((m) => sameValue(m, member))) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (a instanceof Map || b instanceof Map) return false; // stored as a map, read back as an object: a write settles it
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The property values the stored item decodes to, freshly decoded so that in-place edits of
 * the model's own objects show as changes. Dirty tracking compares against these, so an
 * untouched value is never re-encoded: a value another writer stored in a form dynamorm
 * would write differently (or cannot write at all) is left exactly as it is.
 */
export function baselineOf(schema: ModelSchema, state: InstanceState): Record<string, unknown> | undefined {
  if (!state.baseline && state.loaded) {
    const decoded: Record<string, unknown> = {};
    assignFromItem(schema, state.loaded, decoded);
    state.baseline = decoded;
  }
  return state.baseline;
}

/**
 * Marks the instance as deleted: it mirrors no stored item any more (a later save() creates
 * one). Takes the state, not the model: a write has it at hand (its WriteContext).
 */
export function markDeleted(state: InstanceState): void {
  Object.assign(state, { persisted: false, loaded: undefined, baseline: undefined, decodeIssues: undefined });
}

/** Marks the instance (its state) as in sync with `item`, the item now stored (just read or written). */
export function markStored(state: InstanceState, item: StoredItem): void {
  state.persisted = true;
  state.loaded = item;
  state.baseline = undefined;
}

/**
 * True when the property's value differs from what is stored. Values that differ as read
 * may still store the same (a Date's milliseconds under epoch seconds): only those are
 * encoded and compared, and a value that stores nothing (an empty set, an omitted empty
 * value, a cleared sparse index key) where nothing is stored is no change.
 */
export function isChanged(plan: AttributePlan, value: unknown, baseline: Record<string, unknown>, loaded: StoredItem): boolean {
  const { property, attributeName } = plan.attr;
  if (sameValue(value, baseline[property])) return false;
  let encoded: unknown;
  try {
    encoded = encodeAttribute(plan, { [property]: value });
  } catch {
    return true; // the write will say what is wrong with it
  }
  if (encoded === undefined) return loaded[attributeName] !== undefined;
  try {
    return !sameValue(encoded, encodeAttribute(plan, baseline));
  } catch {
    return true;
  }
}

/** Property names whose value differs from the stored item (every set property of a new instance). */
export function changedProperties(schema: ModelSchema, model: object): string[] {
  const state = stateOf(model);
  const baseline = baselineOf(schema, state);
  const { loaded } = state;
  const source = model as Record<string, unknown>;
  const changed: string[] = [];
  for (const plan of planOf(schema)) {
    const value = source[plan.attr.property];
    if (baseline && loaded ? isChanged(plan, value, baseline, loaded) : value !== undefined) changed.push(plan.attr.property);
  }
  return changed;
}
