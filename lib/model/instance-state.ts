import type { DecodeIssue, StoredItem } from '../marshal/item-codec';

/** What dynamorm tracks about one model instance, kept off the instance itself. */
export interface InstanceState {
  /** True once loaded from, or written to, the table. */
  persisted: boolean;
  /** The item as stored: as read, or as last written. Keys, guards and untouched values come from here. */
  loaded?: StoredItem;
  /** The property values `loaded` decodes to, for dirty tracking; computed from `loaded` on demand. */
  baseline?: Record<string, unknown>;
  /** Stored values that could not be read as their declared type (their properties are undefined). */
  decodeIssues?: DecodeIssue[];
  /** Read with select(...): read-only. */
  projected?: boolean;
  /** What `new Model(attrs)` was given, to detect attributes lost to class-field semantics. */
  constructorAttrs?: Record<string, unknown>;
}

// A non-enumerable symbol-keyed property rather than class fields (subclass fields are
// re-initialised after the base constructor runs) or a WeakMap (three times slower per
// instance, and a query hydrates many): it shows in no Object.keys, JSON or for...in, and
// Symbol.for makes it one property for every copy of dynamorm in the process.
const STATE = Symbol.for('dynamorm.instance');

export function stateOf(model: object): InstanceState {
  let state = (model as { [STATE]?: InstanceState })[STATE];
  if (!state) {
    state = { persisted: false };
    Object.defineProperty(model, STATE, { value: state, writable: true, configurable: true });
  }
  return state;
}
