import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { ObservabilityOptions } from '../observability/observability-options';

/** Options of `connect()` (with those of ObservabilityOptions: logger, tracer, capacity, debug). */
export interface ConnectionConfig extends ObservabilityOptions {
  region?: string;
  endpoint?: string;
  credentials?: DynamoDBClientConfig['credentials'];
  /** Attempts per request, retries included (the SDK's retry strategy). Default 5. */
  maxAttempts?: number;
  /** Prepended to every `@Model` table name, e.g. 'dev_'. */
  tablePrefix?: string;
  /** Use this client instead of building one (its config wins). */
  client?: DynamoDBClient;
  /** Signs the cursors of `page()` (HMAC-SHA256), so a tampered or forged cursor is an InvalidCursorError. */
  cursorSecret?: string;
  /** Throughput for `createTable` of provisioned tables. */
  defaultThroughput?: { read: number; write: number };
  /** Wrap the client for AWS X-Ray (needs the optional peer `aws-xray-sdk-core`). */
  xray?: boolean;
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
