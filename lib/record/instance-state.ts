import type { DecodeIssue } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';

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

// Read through this symbol, which BaseModel answers with a getter over a private field: a
// field costs nothing extra when an instance is made (defining a non-enumerable property on
// each one cost 100 ns, and a query hydrates many; a WeakMap more), shows in no Object.keys,
// JSON, spread or for...in, and Symbol.for makes it one key for every copy of dynamorm in the
// process, so any copy reaches the state of any copy's models.
export const INSTANCE_STATE = Symbol.for('dynamorm.instance');
const STATE = INSTANCE_STATE;

/** The state of a model instance (an object that is not a BaseModel gets one on first use). */
export function stateOf(model: object): InstanceState {
  let state = (model as { [STATE]?: InstanceState })[STATE];
  if (!state) {
    state = { persisted: false };
    Object.defineProperty(model, STATE, { value: state, writable: true, configurable: true });
  }
  return state;
}
