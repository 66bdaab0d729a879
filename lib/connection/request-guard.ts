import type { ConnectionConfig, RequestOptions } from './config';
import { outsideDeadline, type Deadline } from './deadline';
import { sendBeforeDeadline } from './send-before-deadline';
import { observeRequest } from '../observability/observe-request';
import { processState } from '../process-state';

/** A request method of Connection ('get', 'query', 'batchWrite', ...). */
export type RequestMethod =
  | 'get'
  | 'put'
  | 'update'
  | 'delete'
  | 'query'
  | 'scan'
  | 'batchGet'
  | 'batchWrite'
  | 'transactWrite'
  | 'transactGet'
  | 'createTable'
  | 'updateTable'
  | 'describeTable'
  | 'deleteTable'
  | 'updateTimeToLive'
  | 'describeTimeToLive'
  | 'listTables';

/**
 * The DynamoDB operation of a request method, for records, spans and errors: its name
 * capitalized, with 'Item' for the item operations and 'Items' for transactions.
 *
 * @example
 * operationOf('batchGet');    // 'BatchGetItem'
 * operationOf('transactGet'); // 'TransactGetItems'
 * operationOf('query');       // 'Query'
 */
export function operationOf(method: RequestMethod): string {
  const name = method[0].toUpperCase() + method.slice(1);
  return /^(Get|Put|Update|Delete|Batch\w+)$/.test(name) ? `${name}Item` : name.startsWith('Transact') ? `${name}Items` : name;
}

export type Send<T = unknown> = (input: object, options?: RequestOptions) => Promise<T>;

/**
 * One request, guarded: refused once the deadline (if any) has passed, else sent with the
 * deadline's signal and raced against it; with a logger or tracer, the race sits beneath the
 * log record and the request span, so a request abandoned at the deadline is still logged
 * and traced, as its LambdaTimeoutError. `send` is called outside the deadline's scope.
 */
export function guardRequest<T>(
  config: Readonly<ConnectionConfig>,
  tablePrefix: string,
  operation: string,
  input: object,
  options: RequestOptions | undefined,
  deadline: Deadline | undefined,
  send: Send<T>,
): Promise<T> {
  const raced: Send<T> = deadline
    ? (sent, given) => sendBeforeDeadline(deadline, { operation, input: sent, tablePrefix }, given, (merged) => outsideDeadline(() => send(sent, merged)))
    : send;
  return config.logger || config.tracer ? observeRequest(config, operation, input, options, raced) : raced(input, options);
}

// The input the invoker is handing to a Connection method right now. A real method passes
// its request to the client synchronously, so Connection.send, seeing this input, knows the
// invoker has already raced, logged and traced it. Nothing is added to what the method (or a
// stub in its place) receives. Kept on the process state, so that the CommonJS and the ESM
// copy of dynamorm agree when one's models use the other's Connection.
export const handover = processState.handover;

/** True while the invoker calls a Connection method with this input (see Connection.send). */
export function isDelegated(input: object): boolean {
  return input === handover.input;
}
