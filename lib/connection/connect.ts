import type { ConnectionConfig } from './config';
import { Connection } from './connection';
import { setDefaultConnection } from './connection-context';

/**
 * Creates a connection and makes it the default one for every model.
 *
 * @example
 * connect({ region: 'us-east-1', tablePrefix: 'dev_' });
 * connect({ region: 'local', endpoint: 'http://127.0.0.1:8000' });
 */
export function connect(config: ConnectionConfig = {}): Connection {
  const conn = new Connection(config);
  setDefaultConnection(conn);
  return conn;
}
