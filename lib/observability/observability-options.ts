import type { LoggedExpressions } from './debug-expressions';
import type { TracerLike } from './tracer-types';

/** One record per request, given to the `logger` of the connection. */
export interface RequestLogRecord {
  operation: string;
  table?: string;
  index?: string;
  durationMs: number;
  attempts: number;
  /** DynamoDB's ConsumedCapacity, when `returnConsumedCapacity` is on. */
  consumedCapacity?: unknown;
  error?: unknown;
  /** With `debug`: the compiled expressions (one entry per table or action of a batch or transaction). */
  expressions?: LoggedExpressions | LoggedExpressions[];
}

/**
 * The options of `connect()` that say what each request reports, and to whom: the logger's
 * records, the tracer's spans, consumed capacity, expressions. Part of ConnectionConfig;
 * declared here so that the request observers need nothing of the connection above them.
 */
export interface ObservabilityOptions {
  /** Called once per request. */
  logger?: (record: RequestLogRecord) => void;
  /**
   * An OpenTelemetry Tracer (`trace.getTracer('app')`): a span per model operation
   * (`User.find`, `User.where.all`) with a child span per request.
   */
  tracer?: TracerLike;
  /** false: operation spans only (when the AWS SDK's instrumentation already traces requests). Default true. */
  traceRequests?: boolean;
  /**
   * Ask DynamoDB for the capacity each data request consumed, reported in the logger's
   * records and on the spans; asked only when a logger or tracer is there to report it
   * (table operations never ask).
   */
  returnConsumedCapacity?: 'TOTAL' | 'INDEXES';
  /**
   * Add the compiled expressions to the logger's records, values redacted; `{ values: true }`
   * shows the values too (they may be personal data).
   */
  debug?: boolean | { values?: boolean };
}
