import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { LoggedExpressions } from '../observability/debug-expressions';
import type { TracerLike } from '../observability/tracer-types';

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

/** Options of `connect()`. */
export interface ConnectionConfig {
  region?: string;
  endpoint?: string;
  credentials?: DynamoDBClientConfig['credentials'];
  /** Attempts per request, retries included (the SDK's retry strategy). Default 5. */
  maxAttempts?: number;
  /** Prepended to every `@Model` table name, e.g. 'dev_'. */
  tablePrefix?: string;
  /** Called once per request. */
  logger?: (record: RequestLogRecord) => void;
  /** Use this client instead of building one (its config wins). */
  client?: DynamoDBClient;
  /** Signs the cursors of `page()` (HMAC-SHA256), so a tampered or forged cursor is an InvalidCursorError. */
  cursorSecret?: string;
  /** Throughput for `createTable` of provisioned tables. */
  defaultThroughput?: { read: number; write: number };
  /** Wrap the client for AWS X-Ray (needs the optional peer `aws-xray-sdk-core`). */
  xray?: boolean;
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
  /**
   * A stored value that cannot be read as its declared type makes the read throw a
   * ValidationError (default false: the property is left undefined and listed by
   * `instance.decodeErrors()`).
   */
  strictReads?: boolean;
  /** Options passed to class-validator's `validate()` (forbidUnknownValues is false unless set). */
  validator?: Record<string, unknown>;
  /** Any other DynamoDBClient option (requestHandler, retryMode, ...). */
  clientConfig?: Omit<DynamoDBClientConfig, 'region' | 'endpoint' | 'credentials' | 'maxAttempts'>;
}

/** Per-request options every Connection method takes. */
export interface RequestOptions {
  abortSignal?: AbortSignal;
}
