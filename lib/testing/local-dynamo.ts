import { loadPeer } from '../peers/load-peer';

export interface LocalDynamoOptions {
  /** Port to listen on (127.0.0.1). Default: a free port chosen by the OS. */
  port?: number;
  /** How often expired TTL items are deleted, in ms. Default 500. */
  ttlSweepMs?: number;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, ready for `connect({ endpoint })`. */
  endpoint: string;
  /** Stops the server and the TTL sweeper, and drops every table it held. */
  stop(): Promise<void>;
}

/**
 * Starts an in-process, in-memory DynamoDB-compatible server for tests.
 *
 * It is dynalite (an optional peer dependency) behind a thin HTTP layer that adds
 * what dynalite lacks: TransactWriteItems and TransactGetItems (atomic and
 * isolated), UpdateTimeToLive / DescribeTimeToLive with a background sweeper that
 * deletes expired items, and UpdateTable creating or deleting global secondary
 * indexes on a table that already holds items, and the old item returned with a failed
 * condition (ReturnValuesOnConditionCheckFailure) on single-item writes. Every other
 * operation reaches dynalite unchanged.
 *
 * @example
 * const local = await startLocalDynamo({ ttlSweepMs: 50 });
 * connect({ region: 'local', endpoint: local.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
 * // ... tests ...
 * await local.stop();
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  // Loaded here, not at the top, so that importing `dynamorm/testing` loads neither dynalite nor the layer.

  const { startLayer } = require('./local-dynamo/server') as typeof import('./local-dynamo/server');
  const dynalite = loadPeer<import('./local-dynamo/server').DynaliteFactory>('dynalite');
  if (!dynalite) throw new Error("startLocalDynamo needs the optional peer dependency 'dynalite' (npm install --save-dev dynalite@4)");
  const layer = await startLayer({ dynalite, port: options.port ?? 0, ttlSweepMs: options.ttlSweepMs ?? 500 });
  return { endpoint: `http://127.0.0.1:${layer.port}`, stop: () => layer.stop() };
}
