import { getConnection } from '../connection/connection-context';
import type { Connection } from '../connection/connection';
import type { ModelSchema } from '../metadata/model-schema';
import { stateOf, type InstanceState } from './instance-state';
import type { SaveOptions } from './operation-options';

/** What a write of one instance does to its item. */
export type WriteAction = 'create' | 'save' | 'delete';

/**
 * Everything a write of one instance needs, gathered once when it starts and carried through
 * every stage (defaults, hooks, validation, stamps, encoding, guards, the request, settling,
 * after-hooks) to the PreparedWrite that sends it. The stages read the instance's state and
 * the connection from here rather than looking them up again, so a write flows one way and
 * each stage says by its one parameter that it is part of a write.
 */
export interface WriteContext {
  readonly schema: ModelSchema;
  readonly model: object;
  /** The instance's state (./instance-state.ts), looked up once. */
  readonly state: InstanceState;
  /** The connection the write is sent on: the one in scope when it started. */
  readonly conn: Connection;
  /** `create`, `save` of a loaded instance (a save of a new one is its create), or `delete`. */
  readonly action: WriteAction;
  readonly options: SaveOptions;
}

// Shared, so that a write called without options allocates none.
const NO_OPTIONS: SaveOptions = Object.freeze({});

/**
 * Starts a write of `model`: its context, made once, for every stage after it. A `save` of an
 * instance never stored is its `create` (the same pipeline, a conditional Put); decided here,
 * once, for instance methods and transactions alike.
 *
 * @example
 * const ctx = startWrite(schema, user, 'save', {});
 * ctx.action; // 'create' for a new user, 'save' for a loaded one
 */
export function startWrite(schema: ModelSchema, model: object, action: WriteAction, options = NO_OPTIONS, conn = getConnection()): WriteContext {
  const state = stateOf(model);
  return { schema, model, state, conn, action: action === 'save' && !state.persisted ? 'create' : action, options };
}
