import { SPAN_STATUS_ERROR, type SpanAttributes, type SpanLike } from './tracer-types';

/**
 * OpenTelemetry's DynamoDB semantic conventions (the current ones, `db.system.name`), as
 * dynamorm puts them on every span it opens.
 */
export const ATTR = {
  system: 'db.system.name',
  operation: 'db.operation.name',
  tables: 'aws.dynamodb.table_names',
  index: 'aws.dynamodb.index_name',
  capacity: 'aws.dynamodb.consumed_capacity',
  errorType: 'error.type',
} as const;

const DB_SYSTEM = 'aws.dynamodb';

/** The attributes a span starts with. */
export function startAttributes(operation: string, tables: readonly string[], index?: string): SpanAttributes {
  const attributes: SpanAttributes = { [ATTR.system]: DB_SYSTEM, [ATTR.operation]: operation };
  if (tables.length > 0) attributes[ATTR.tables] = [...tables];
  if (index) attributes[ATTR.index] = index;
  return attributes;
}

/** Records a failure on a span: the exception, `error.type`, and the ERROR status with its message. */
export function recordFailure(span: SpanLike, error: unknown): void {
  const exception = error instanceof Error ? error : String(error);
  span.recordException(exception);
  span.setAttribute(ATTR.errorType, error instanceof Error ? error.name : 'Error');
  span.setStatus({ code: SPAN_STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
}
