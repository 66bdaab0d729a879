import type { RequestOptions } from './config';
import type { Connection } from './connection';
import { currentDeadline } from './deadline';
import { guardRequest, handover, operationOf, type RequestMethod, type Send } from './request-guard';

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
 * one, or a sinon stub in its place — inside withLambdaTimeout with
 * `{ ...options, abortSignal }` (the deadline's signal, merged with the caller's) and races
 * its promise against the deadline, under the log record and the request span.
 * Outside a deadline, with no logger and no tracer, it is the method call itself: the
 * caller's options pass through unchanged.
 *
 * @example
 * const out = await invoke(conn, 'get', { TableName: 'users', Key: { id: '1' } });
 * // inside withLambdaTimeout: conn.get(input, { abortSignal }), a LambdaTimeoutError at the deadline
 */
export function invoke<K extends RequestMethod>(
  conn: Connection,
  method: K,
  input: Parameters<Connection[K]>[0],
  options?: RequestOptions,
): ReturnType<Connection[K]> {
  const deadline = currentDeadline();
  const { config } = conn;
  const sent = input ?? {};
  if (!deadline && !config.logger && !config.tracer) return call(conn, method, sent, options) as ReturnType<Connection[K]>;
  return guardRequest(config, conn.tablePrefix, operationOf(method), sent, options, deadline, (i, o) => call(conn, method, i, o)) as ReturnType<Connection[K]>;
}
