import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from './connection/connection';
import type { Deadline } from './lambda/deadline';
import type { ClassFacts } from './metadata/facts';
import type { ModelSchema } from './metadata/model-schema';
import type { OperationScope } from './observability/operation-scope';

/** What the optional peers' registrations hold (see lib/peers). */
export interface Integrations {
  classValidator?: { validate(object: object, options?: object): Promise<unknown[]> };
  classTransformer?: {
    plainToInstance(cls: Function, plain: unknown, options?: object): unknown;
    instanceToPlain(object: unknown, options?: object): Record<string, unknown>;
  };
}

/** Everything dynamorm keeps for the whole process. */
export interface ProcessState {
  /** Models by identity (the `@Model` table name). */
  readonly registry: Map<string, ModelSchema>;
  /** What the decorators recorded, per class. */
  readonly facts: WeakMap<Function, ClassFacts>;
  /** The default connection; `stubConnection` replaces `current` through a sinon sandbox. */
  readonly holder: { current: Connection | null };
  /** The connection `conn.run()` set for the current async context. */
  readonly scopes: AsyncLocalStorage<Connection>;
  /** The deadline `withLambdaTimeout()` set for the current async context (independent of `scopes`). */
  readonly deadlines: AsyncLocalStorage<Deadline>;
  readonly integrations: Integrations;
  /** What `transaction(fn, { token })` sent, per Connection and token, for 10 minutes (see lib/transaction/token-cache). */
  readonly keptTransactions: WeakMap<object, Map<string, unknown>>;
  /** The model operation whose span is open in the current async context (lib/observability). */
  readonly operations: AsyncLocalStorage<OperationScope>;
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
