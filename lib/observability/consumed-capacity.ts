import type { ObservabilityOptions } from './observability-options';

/**
 * The input to send: with `connect({ returnConsumedCapacity })` and a logger or tracer to
 * report it, a copy of a data request's input that asks for it (a copy, so the caller's
 * object is left as it was); otherwise, or when the input already says, the input itself.
 * Only data requests (the document client's) take ReturnConsumedCapacity, never table operations.
 */
export function withCapacityRequested(config: Readonly<ObservabilityOptions>, input: object): object {
  const mode = config.returnConsumedCapacity;
  if (!mode || (!config.logger && !config.tracer) || (input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity) return input;
  return { ...input, ReturnConsumedCapacity: mode };
}

/**
 * DynamoDB's ConsumedCapacity as OpenTelemetry's `aws.dynamodb.consumed_capacity` wants it:
 * one JSON string per entry (a single request returns one object, batches and
 * transactions an array). Empty when none was returned.
 */
export function capacityEntries(consumed: unknown): string[] {
  if (consumed === undefined || consumed === null) return [];
  return (Array.isArray(consumed) ? consumed : [consumed]).map((entry) => JSON.stringify(entry));
}
