import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface LocalDynamoOptions {
  /** Port to listen on (127.0.0.1). Default: a free port chosen by the OS. */
  port?: number;
  /** How often expired TTL items are deleted, in ms. Default 500. */
  ttlSweepMs?: number;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, ready for `connect({ endpoint })`. */
  endpoint: string;
  /** Stops the server and drops every table it held. */
  stop(): Promise<void>;
}

/**
 * Starts an in-process, in-memory DynamoDB-compatible server (dynalite).
 *
 * @example
 * const local = await startLocalDynamo();
 * connect({ region: 'local', endpoint: local.endpoint });
 * // ... tests ...
 * await local.stop();
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (opts: object) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
