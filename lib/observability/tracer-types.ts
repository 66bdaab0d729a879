/**
 * The part of OpenTelemetry's tracing API dynamorm calls, written out so that dynamorm
 * imports nothing of `@opentelemetry/api`: any `Tracer` from it (`trace.getTracer('app')`)
 * fits `TracerLike`, and its spans fit `SpanLike`. Methods are declared as methods (not
 * function-typed properties) so that OpenTelemetry's enum-typed parameters (`SpanKind`,
 * `SpanStatusCode`) are accepted where these say `number`.
 */

/** A span attribute's value, as OpenTelemetry allows it. */
export type SpanAttributeValue = string | number | boolean | readonly string[] | readonly number[] | readonly boolean[];

/** The attributes of a span. */
export type SpanAttributes = Record<string, SpanAttributeValue | undefined>;

/** The options dynamorm gives when it starts a span. */
export interface SpanOptionsLike {
  /** OpenTelemetry's SpanKind: 0 INTERNAL (model operations), 2 CLIENT (requests). */
  kind?: number;
  attributes?: SpanAttributes;
}

/** The span methods dynamorm calls. */
export interface SpanLike {
  setAttribute(key: string, value: SpanAttributeValue): unknown;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/**
 * An OpenTelemetry Tracer, as `connect({ tracer })` takes it. dynamorm opens its spans
 * with `startActiveSpan`, so the tracer's context manager (the AsyncLocalStorage one that
 * the Node SDK registers) makes each request span a child of its model operation's span.
 *
 * @example
 * import { trace } from '@opentelemetry/api';
 * connect({ region: 'eu-west-1', tracer: trace.getTracer('orders-api') });
 * await User.find('1'); // span 'User.find' > span 'GetItem users'
 */
export interface TracerLike {
  startActiveSpan<F extends (span: SpanLike) => unknown>(name: string, options: SpanOptionsLike, fn: F): ReturnType<F>;
}

/** OpenTelemetry's SpanKind values dynamorm uses. */
export const SPAN_KIND_INTERNAL = 0;
export const SPAN_KIND_CLIENT = 2;
/** OpenTelemetry's SpanStatusCode.ERROR. */
export const SPAN_STATUS_ERROR = 2;
