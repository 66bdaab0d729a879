import { holder, scoped } from './connection-context';
import type { ModelSchema } from '../metadata/model-schema';
import { operations, type OperationScope } from '../observability/operation-scope';
import { ATTR, recordFailure, startAttributes } from '../observability/semantic-attributes';
import { SPAN_KIND_INTERNAL } from '../observability/tracer-types';

// Entry points import both from here: `if (tracing()) return traced(...)`. tracing() lives
// here, not in operation-scope.ts, because it reads the current connection: operation-scope
// is read by the request path (observe-request), which connection/ calls, so it must not
// import connection/ back.

/**
 * True when a model operation starting now opens a span: the current connection has a
 * `tracer` and no dynamorm operation is open in this async context. Never throws (a missing
 * connection is reported later, where it always was) and allocates nothing, so entry
 * points call it first: `if (tracing()) return traced(...)`.
 */
export function tracing(): boolean {
  const conn = scoped.getStore() ?? holder.current;
  return conn?.config.tracer !== undefined && operations.getStore() === undefined;
}

/**
 * Runs `fn` as one model operation inside its own span of the connection's `tracer`, named
 * `<Model>.<operation>` (`User.find`, `User.where.all`), or `<operation>` without a model
 * (`transaction`). The span carries `db.system.name`, `db.operation.name` (`operation`) and,
 * once `fn` settles, `aws.dynamodb.table_names`, `aws.dynamodb.index_name` and
 * `aws.dynamodb.consumed_capacity` gathered from the requests sent inside it; a failure is
 * recorded on it (exception, ERROR status) and rethrown; the span is always ended.
 *
 * Why `startActiveSpan` and not a span we pass as parent ourselves: naming a parent needs a
 * `Context` built by `@opentelemetry/api` (`trace.setSpan`), which dynamorm does not import.
 * Making the span active through the tracer's own context manager gives the same parent for
 * our request spans, and also parents the AWS SDK instrumentation's spans and any span the
 * app opens in a hook. Our own AsyncLocalStorage (`operations`) only records that an
 * operation is open, so a nested one (a static `create` calling the instance's) adds no span.
 *
 * Zero cost when there is no tracer: call it behind `tracing()`, which allocates nothing,
 * and re-enter the method itself through the base class's implementation, passing `this`
 * and the arguments rather than a closure (an arrow function in the method would make V8
 * allocate a context for what it captures on every call, traced or not). Inside the span
 * `tracing()` is false, so the body runs as usual, and a subclass override does not run
 * twice. Where a closure costs nothing that matters (a transaction), pass one instead:
 *
 * @example
 * static async find<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>, options?: ReadOptions): Promise<M> {
 *   if (tracing()) return traced('find', schemaOf(this), BaseModel.find, this, key, options) as Promise<M>;
 *   ...
 * }
 * // without a model, with a closure:
 * if (tracing()) return traced('transaction', undefined, () => transaction(callback, options));
 */
export function traced<T>(operation: string, model: ModelSchema | string | undefined, fn: () => T | Promise<T>): Promise<T>;
export function traced(
  operation: string,
  model: ModelSchema | string | undefined,
  method: (this: never, ...args: never[]) => unknown,
  self: unknown,
  ...args: unknown[]
): Promise<unknown>;
export function traced(
  operation: string,
  model: ModelSchema | string | undefined,
  fn: (this: never, ...args: never[]) => unknown,
  self?: unknown,
  ...args: unknown[]
): Promise<unknown> {
  const call = () => (fn as (...given: unknown[]) => unknown).apply(self, args);
  const conn = scoped.getStore() ?? holder.current;
  const tracer = conn?.config.tracer;
  if (!conn || !tracer || operations.getStore()) {
    try {
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const schema = typeof model === 'object' ? model : undefined;
  const modelName = typeof model === 'object' ? model.className : model;
  const tables = schema ? [conn.tableName(schema.table)] : [];
  const attributes = startAttributes(operation, tables);
  return tracer.startActiveSpan(modelName ? `${modelName}.${operation}` : operation, { kind: SPAN_KIND_INTERNAL, attributes }, (span) => {
    const scope: OperationScope = { span, tables: new Set(tables), capacity: [] };
    return operations.run(scope, () => settle(scope, call));
  });
}

async function settle(scope: OperationScope, fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    recordFailure(scope.span, error);
    throw error;
  } finally {
    finish(scope);
  }
}

function finish({ span, tables, index, capacity }: OperationScope): void {
  try {
    if (tables.size > 0) span.setAttribute(ATTR.tables, [...tables]);
    if (index) span.setAttribute(ATTR.index, index);
    if (capacity.length > 0) span.setAttribute(ATTR.capacity, capacity);
  } finally {
    span.end();
  }
}
