import { AsyncLocalStorage } from 'node:async_hooks';

/** What the optional peers' registrations hold (see lib/peers). */
export interface Integrations {
  classValidator?: { validate(object: object, options?: object): Promise<unknown[]> };
  classTransformer?: {
    plainToInstance(cls: Function, plain: unknown, options?: object): unknown;
    instanceToPlain(object: unknown, options?: object): Record<string, unknown>;
  };
}

/**
 * Everything dynamorm keeps for the whole process.
 *
 * This file sits beneath every room, so it names none of their types: a slot holding a
 * room's values is typed `unknown` here and given its type once, where its room reads it
 * (`processState.deadlines as AsyncLocalStorage<Deadline>` in lib/connection/deadline).
 */
export interface ProcessState {
  /** Models by identity (the `@Model` table name): ModelSchema values (lib/metadata/registry). */
  readonly registry: Map<string, unknown>;
  /** What the decorators recorded, per class: ClassFacts values (lib/metadata/facts). */
  readonly facts: WeakMap<Function, unknown>;
  /** The default Connection; `stubConnection` replaces `current` through a sinon sandbox (lib/connection/connection-context). */
  readonly holder: { current: unknown };
  /** The Connection `conn.run()` set for the current async context (lib/connection/connection-context). */
  readonly scopes: AsyncLocalStorage<unknown>;
  /** The Deadline `withLambdaTimeout()` set for the current async context, independent of `scopes` (lib/connection/deadline). */
  readonly deadlines: AsyncLocalStorage<unknown>;
  readonly integrations: Integrations;
  /** What `transaction(fn, { token })` sent, per Connection and token, for 10 minutes (see lib/transaction/token-cache). */
  readonly keptTransactions: WeakMap<object, Map<string, unknown>>;
  /** The OperationScope whose span is open in the current async context (lib/observability/operation-scope). */
  readonly operations: AsyncLocalStorage<unknown>;
  /** The input the invoker is handing to a Connection method right now (lib/connection/invoke). */
  readonly handover: { input: object | undefined };
}

const KEY = Symbol.for('dynamorm');

// What each field starts as. A copy of an older dynamorm loaded first may have made the
// object without the newer fields: each missing one is added, the others are kept.
const initial: { [F in keyof ProcessState]: () => ProcessState[F] } = {
  registry: () => new Map(),
  facts: () => new WeakMap(),
  holder: () => ({ current: null }),
  scopes: () => new AsyncLocalStorage(),
  deadlines: () => new AsyncLocalStorage(),
  integrations: () => ({}),
  keptTransactions: () => new WeakMap(),
  operations: () => new AsyncLocalStorage(),
  handover: () => ({ input: undefined }),
};

// One object per process, on globalThis: the CommonJS and ESM builds of dynamorm (or two
// copies a bundler made) loaded side by side must see one registry, one default
// connection, one set of run() scopes, deadlines and open operations, and the same
// registered integrations.
const shared = ((globalThis as Record<symbol, Record<string, unknown> | undefined>)[KEY] ??= {});
for (const [field, make] of Object.entries(initial)) shared[field] ??= make();
export const processState = shared as unknown as ProcessState;
