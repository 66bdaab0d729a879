import type { ModelSchema } from '../metadata/model-schema';
import { assignFromItem, encodeAttribute, planOf, toItem, type StoredItem } from '../marshal/item-codec';
import { stateOf } from './instance-state';

/** Equality of two stored (encoded) values. */
export function sameStored(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') ? String(a) === String(b) : false;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const member of a) if (!b.has(member) && ![...b].some((m) => sameStored(m, member))) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameStored(v, b[i]));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => sameStored((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The encoded item the instance was last in sync with (computed lazily from the item read). */
export function snapshotOf(schema: ModelSchema, model: object): StoredItem | undefined {
  const state = stateOf(model);
  if (!state.snapshot && state.loaded) {
    const decoded = {};
    assignFromItem(schema, state.loaded, decoded);
    state.snapshot = toItem(schema, decoded);
  }
  return state.snapshot;
}

/** Marks the instance as in sync with `item` (just written). */
export function markPersisted(model: object, item: StoredItem): void {
  const state = stateOf(model);
  state.persisted = true;
  state.snapshot = item;
  state.loaded = undefined;
}

/** Marks the instance as read from the table as `item`. */
export function markLoaded(model: object, item: StoredItem): void {
  const state = stateOf(model);
  state.persisted = true;
  state.loaded = item;
  state.snapshot = undefined;
}

/** Property names whose value differs from the snapshot (every set property of a new instance). */
export function changedProperties(schema: ModelSchema, model: object): string[] {
  const snapshot = snapshotOf(schema, model);
  const source = model as Record<string, unknown>;
  const changed: string[] = [];
  for (const plan of planOf(schema)) {
    const { property, attributeName } = plan.attr;
    if (!snapshot) {
      if (source[property] !== undefined) changed.push(property);
      continue;
    }
    if (!sameStored(encodeAttribute(plan, source), snapshot[attributeName])) changed.push(property);
  }
  return changed;
}
