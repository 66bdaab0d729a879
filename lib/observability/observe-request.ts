import { capacityEntries } from './consumed-capacity';
import { loggedExpressions } from './debug-expressions';
import type { ObservabilityOptions, RequestLogRecord } from './observability-options';
import { operations, type OperationScope } from './operation-scope';
import { requestTargets, type RequestTargets } from './request-targets';
import { ATTR, recordFailure, startAttributes } from './semantic-attributes';
import { SPAN_KIND_CLIENT, type SpanLike } from './tracer-types';

/** What sends the request: the guarded Connection method, or the client beneath it; `O` its per-request options, passed through. */
export type RequestSender<O> = (input: object, options?: O) => Promise<unknown>;

type Output = { $metadata?: { attempts?: number }; ConsumedCapacity?: unknown } | undefined;

/**
 * Sends one request of a connection that has a `logger` or a `tracer` (requests go straight
 * through otherwise): opens a request span (`GetItem users`, a child of the model
 * operation's span) unless `traceRequests: false`, reports capacity, tables and index to the
 * open operation, and gives the logger its record (with the expressions under `debug`).
 * Whatever `send` rejects with (a LambdaTimeoutError at the deadline too) is recorded.
 */
export function observeRequest<T, O>(
  config: Readonly<ObservabilityOptions>,
  operation: string,
  input: object,
  options: O | undefined,
  send: RequestSender<O>,
): Promise<T> {
  const targets = requestTargets(input as Record<string, unknown>);
  const scope = config.tracer ? operations.getStore() : undefined;
  const tracer = config.traceRequests === false ? undefined : config.tracer;
  if (!tracer) return sendObserved<T, O>(config, operation, send, input, options, targets, scope, undefined);
  const name = targets.tables.length === 1 ? `${operation} ${targets.tables[0]}` : operation;
  const attributes = startAttributes(operation, targets.tables, targets.index);
  return tracer.startActiveSpan(name, { kind: SPAN_KIND_CLIENT, attributes }, (span) =>
    sendObserved<T, O>(config, operation, send, input, options, targets, scope, span),
  );
}

async function sendObserved<T, O>(
  config: Readonly<ObservabilityOptions>,
  operation: string,
  send: RequestSender<O>,
  input: object,
  options: O | undefined,
  targets: RequestTargets,
  scope: OperationScope | undefined,
  span: SpanLike | undefined,
): Promise<T> {
  const started = performance.now();
  if (scope) {
    for (const table of targets.tables) scope.tables.add(table);
    scope.index ??= targets.index;
  }
  try {
    const out = (await send(input, options)) as Output;
    const capacity = capacityEntries(out?.ConsumedCapacity);
    if (capacity.length > 0) {
      span?.setAttribute(ATTR.capacity, capacity);
      scope?.capacity.push(...capacity);
    }
    config.logger?.(record(config, operation, input, targets, started, out?.$metadata?.attempts, out?.ConsumedCapacity));
    return out as T;
  } catch (error) {
    if (span) recordFailure(span, error);
    config.logger?.(record(config, operation, input, targets, started, (error as Output)?.$metadata?.attempts, undefined, error));
    throw error;
  } finally {
    span?.end();
  }
}

function record(
  config: Readonly<ObservabilityOptions>,
  operation: string,
  input: object,
  { tables, index }: RequestTargets,
  started: number,
  attempts: number | undefined,
  consumedCapacity: unknown,
  error?: unknown,
): RequestLogRecord {
  const out: RequestLogRecord = { operation, durationMs: performance.now() - started, attempts: attempts ?? 1 };
  if (tables.length > 0) out.table = tables.join(',');
  if (index) out.index = index;
  if (consumedCapacity !== undefined) out.consumedCapacity = consumedCapacity;
  if (error !== undefined) out.error = error;
  if (config.debug) {
    const expressions = loggedExpressions(input as Record<string, unknown>, typeof config.debug === 'object' && config.debug.values === true);
    if (expressions) out.expressions = expressions;
  }
  return out;
}
