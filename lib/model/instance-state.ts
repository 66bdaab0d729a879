import { processState } from '../process-state';
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

// A WeakMap rather than fields: class fields declared by subclasses are re-initialised after
// the base constructor runs, and nothing of ours should show up in the instance's own keys.
const states = processState.instances as WeakMap<object, InstanceState>;

export function stateOf(model: object): InstanceState {
  let state = states.get(model);
  if (!state) {
    state = { persisted: false };
    states.set(model, state);
  }
  return state;
}
