import type { ConnectionConfig, RequestOptions } from './config';
import type { Connection } from './connection';
import { currentDeadline, outsideDeadline, type Deadline } from '../lambda/deadline';
import { sendBeforeDeadline } from '../lambda/send-before-deadline';
import { observeRequest } from '../observability/observe-request';
import { processState } from '../process-state';

/** A request method of Connection ('get', 'query', 'batchWrite', ...). */
export type RequestMethod =
  | 'get' | 'put' | 'update' | 'delete' | 'query' | 'scan' | 'batchGet' | 'batchWrite' | 'transactWrite' | 'transactGet'
  | 'createTable' | 'updateTable' | 'describeTable' | 'deleteTable' | 'updateTimeToLive' | 'describeTimeToLive' | 'listTables';

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

type Send<T = unknown> = (input: object, options?: RequestOptions) => Promise<T>;

/**
 * One request, guarded: refused once the deadline (if any) has passed, else sent with the
 * deadline's signal and raced against it; with a logger or tracer, the race sits beneath the
 * log record and the request span, so a request abandoned at the deadline is still logged
 * and traced, as its LambdaTimeoutError. `send` is called outside the deadline's scope.
 */
export function guardRequest<T>(config: Readonly<ConnectionConfig>, tablePrefix: string, operation: string, input: object, options: RequestOptions | undefined, deadline: Deadline | undefined, send: Send<T>): Promise<T> {
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
const handover = processState.handover;

/** True while the invoker calls a Connection method with this input (see Connection.send). */
export function isDelegated(input: object): boolean {
  return input === handover.input;
}

function call(conn: Connection, method: RequestMethod, input: object, options: RequestOptions | undefined): Promise<unknown> {
  const outer = handover.input;
  handover.input = input;
  try {
    return (conn as unknown as Record<RequestMethod, Send>)[method](input, options);
  } finally {
    handover.input = outer;
  }
}

/**
 * How the model layer sends every request: calls the public Connection method — the real
 * one, or a sinon stub in its place (DESIGN §10) — inside withLambdaTimeout with
 * `{ ...options, abortSignal }` (the deadline's signal, merged with the caller's) and races
 * its promise against the deadline, under the log record and the request span (DESIGN §8).
 * Outside a deadline, with no logger and no tracer, it is the method call itself: the
 * caller's options pass through unchanged.
 *
 * @example
 * const out = await invoke(conn, 'get', { TableName: 'users', Key: { id: '1' } });
 * // inside withLambdaTimeout: conn.get(input, { abortSignal }), a LambdaTimeoutError at the deadline
 */
export function invoke<K extends RequestMethod>(conn: Connection, method: K, input: Parameters<Connection[K]>[0], options?: RequestOptions): ReturnType<Connection[K]> {
  const deadline = currentDeadline();
  const { config } = conn;
  const sent = (input ?? {}) as object;
  if (!deadline && !config.logger && !config.tracer) return call(conn, method, sent, options) as ReturnType<Connection[K]>;
  return guardRequest(config, conn.tablePrefix, operationOf(method), sent, options, deadline, (i, o) => call(conn, method, i, o)) as ReturnType<Connection[K]>;
}
