import type { ConnectionConfig } from '../connection/config';

/** The requests that take ReturnConsumedCapacity: data requests, never table operations. */
const TAKES_CAPACITY = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactWriteItems', 'TransactGetItems']);

interface Command {
  readonly input: object;
}

/**
 * The command to send: with `connect({ returnConsumedCapacity })`, a copy of a data
 * request's command that asks for it (a copy, so the caller's input object is left as it
 * was); otherwise, or when the input already says, the command itself.
 */
export function withCapacityRequested<C extends Command>(config: Readonly<ConnectionConfig>, operation: string, command: C): C {
  const mode = config.returnConsumedCapacity;
  if (!mode || !TAKES_CAPACITY.has(operation) || (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity) return command;
  const Command = command.constructor as new (input: object) => C;
  return new Command({ ...command.input, ReturnConsumedCapacity: mode });
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
