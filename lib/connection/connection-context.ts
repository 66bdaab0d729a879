import type { AsyncLocalStorage } from 'node:async_hooks';
import { DynamormError } from '../errors/dynamorm-error';
import { processState } from '../process-state';
import type { Connection } from './connection';

// `holder.current` is replaced (not reassigned in place) by stubConnection through
// sinon's sandbox.replace, which restores it afterwards; null keeps its type an object.
export const holder = processState.holder as { current: Connection | null };

export const scoped = processState.scopes as AsyncLocalStorage<Connection>;

/**
 * The connection model calls use: the one `conn.run()` set for this async context, else
 * the default one `connect()` set.
 *
 * @example
 * const conn = getConnection();
 */
export function getConnection(): Connection {
  const conn = scoped.getStore() ?? holder.current;
  if (!conn)
    throw new DynamormError(
      'No DynamoDB connection: call connect({ region, ... }) first (connectLambda({ ... }) in a Lambda function), or make the call inside conn.run(...).',
    );
  return conn;
}

/** Makes `conn` the default connection. */
export function setDefaultConnection(conn: Connection | null): void {
  holder.current = conn;
}
