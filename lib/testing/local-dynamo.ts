import { DynamormError } from '../errors/dynamorm-error';
import { getConnection } from '../connection/connection-context';
import { schemaOf } from '../metadata/registry';
import { loadPeer } from '../peers/load-peer';
import type { ActiveRecord, ModelClass } from '../record/active-record';
import type { DynamoDBStreamEvent } from '../streams/stream-types';
import { lambdaEvent } from './local-dynamo/streams/stream-events';
import type { Streams } from './local-dynamo/streams/streams';

export interface LocalDynamoOptions {
  /** Port to listen on (127.0.0.1). Default: a free port chosen by the OS. */
  port?: number;
  /** How often expired TTL items are deleted, in ms. Default 500. */
  ttlSweepMs?: number;
}

/** A position in the server's streams, from {@link LocalDynamo.mark}: pass it as `since`. */
export type StreamMark = string & { readonly __streamMark: never };

/** A table, named by its model (with the default connection's `tablePrefix`) or by its full name. */
export type StreamSource = ModelClass<ActiveRecord> | string;

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, ready for `connect({ endpoint })`. */
  endpoint: string;
  /** Stops the server and the TTL sweeper, and drops every table it held. */
  stop(): Promise<void>;
  /**
   * The Lambda event of the table's stream records (every entity's) written after the
   * server's position for that table (the end of the previous call; at first, the start of
   * the stream), or after `since`; moves the position to the end. A table without a stream
   * is a DynamormError.
   *
   * @example
   * await Order.create({ id: 'o1', total: 5 });
   * const response = await handler(await local.streamEvent(Order));
   */
  streamEvent(source: StreamSource, options?: { since?: StreamMark }): Promise<DynamoDBStreamEvent>;
  /**
   * The position just after every record written so far, to pass as `since` later. It does
   * not move the table's position.
   *
   * @example
   * const before = local.mark(Order);
   * await order.save();
   * const event = await local.streamEvent(Order, { since: before });
   */
  mark(source: StreamSource): StreamMark;
}

/**
 * Starts an in-process, in-memory DynamoDB-compatible server for tests.
 *
 * It is dynalite (an optional peer dependency) behind a thin HTTP layer that adds
 * what dynalite lacks: TransactWriteItems and TransactGetItems (atomic and
 * isolated), UpdateTimeToLive / DescribeTimeToLive with a background sweeper that
 * deletes expired items, UpdateTable creating or deleting global secondary indexes on a
 * table that already holds items, the old item returned with a failed condition
 * (ReturnValuesOnConditionCheckFailure) on single-item writes, and DynamoDB Streams: a
 * table created (or updated) with a StreamSpecification records every change to its items,
 * readable through the Streams API on the same endpoint or, in a test, as the Lambda event
 * of {@link LocalDynamo.streamEvent}. Every other operation reaches dynalite unchanged.
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
  if (!dynalite) throw new Error("startLocalDynamo needs the optional peer dependency 'dynalite' (npm install --save-dev dynalite@4.0.0)");
  const layer = await startLayer({ dynalite, port: options.port ?? 0, ttlSweepMs: options.ttlSweepMs ?? 500 });
  const positions = new Map<string, bigint>();
  return {
    endpoint: `http://127.0.0.1:${layer.port}`,
    stop: () => layer.stop(),
    streamEvent: (source, streamOptions = {}) => {
      try {
        const tableName = streamedTable(layer.streams, source, 'streamEvent');
        const from = streamOptions.since === undefined ? (positions.get(tableName) ?? 0n) : positionOf(streamOptions.since);
        const event = lambdaEvent(layer.streams, tableName, from);
        positions.set(tableName, layer.streams.end());
        return Promise.resolve(event);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    mark: (source) => {
      streamedTable(layer.streams, source, 'mark');
      return layer.streams.end().toString() as StreamMark;
    },
  };
}

/** The table `source` names, when it has (or had) a stream on this server. */
function streamedTable(streams: Streams, source: StreamSource, action: string): string {
  const tableName = typeof source === 'string' ? source : getConnection().tableName(schemaOf(source).table);
  if (!streams.latestStream(tableName)) {
    const name = typeof source === 'string' ? `'${tableName}'` : `${source.name} (table '${tableName}')`;
    throw new DynamormError(
      `${action}(${name}): the table has no stream on this local server; create it with one, e.g. createTable(Model, { stream: 'NEW_AND_OLD_IMAGES' }).`,
    );
  }
  return tableName;
}

function positionOf(mark: StreamMark): bigint {
  if (!/^\d+$/.test(mark)) throw new DynamormError(`streamEvent: since must be a value mark() returned; got '${String(mark)}'.`);
  return BigInt(mark);
}
