import type { Condition } from '../expressions/condition';
import type { UpdateAction } from '../expressions/update';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import type { KeyInput } from '../marshal/key-codec';

/** One operation of the builder: the action (attribute-name paths, encoded values) and the call that asked for it. */
export interface UpdateEntry {
  readonly action: UpdateAction;
  /** The call, for messages: `increment('count')`. */
  readonly call: string;
  /** The property it changes (its attribute is the path's first segment). */
  readonly property: string;
}

/** Everything an update builder has been told; frozen, each call makes a new one. */
export interface UpdateState {
  readonly schema: ModelSchema;
  /** The item's Key, encoded once when the builder starts. */
  readonly key: StoredItem;
  /** The key as given to `update(key)`: an upsert that creates the item stores its template sources. */
  readonly keyInput?: KeyInput;
  readonly entries: readonly UpdateEntry[];
  /** The `if(...)` conditions, ANDed. */
  readonly conditions: readonly Condition[];
  /** Create the item when it is missing instead of failing with ItemNotFoundError. */
  readonly upsert: boolean;
  /**
   * Set on a builder made by `tx.update(...)`: every builder derived from it records itself
   * here, so the transaction sends the last one of the chain (builders are immutable).
   */
  readonly slot?: { current: unknown; readonly transaction: string };
}
