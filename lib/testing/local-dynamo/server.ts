import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCapturedWrite, runWrite, writeTargets } from './writes/captured-write';
import { DynaliteClient } from './dynalite-client';
import { dynamoSyntaxError } from './dynalite-internals';
import { DynamoError, internalError, malformedRequest, unknownOperation } from './errors';
import { forward, parseBody, readBody, sendJson } from './http-io';
import { IdempotencyCache } from './transactions/idempotency';
import { ItemChanges } from './item-changes';
import { MultiKeyIndexes } from './multi-key/multi-key-index';
import { describedWithLayerIndexes } from './multi-key/multi-key-describe';
import { multiKeyRoute } from './multi-key/multi-key-route';
import { createTable as multiKeyCreateTable, deleteTable as multiKeyDeleteTable, updateTable as multiKeyUpdateTable } from './multi-key/multi-key-tables';
import { asksItemCollectionMetrics, isWriteWithMetrics, mayAskItemCollectionMetrics, writeWithMetrics } from './writes/item-collection-metrics';
import { mayBreakRequestRule, validateOperation } from './validation/request-validation';
import { asksReturnOnFailure, WRITES_RETURNING_ON_FAILURE, writeReturningOnFailure, type WriteReturningOnFailure } from './writes/return-on-condition-failure';
import { RwLock } from './rw-lock';
import { Streams } from './streams/streams';
import { isStreamsOperation, STREAMS_TARGET_PREFIX, streamsOperation } from './streams/streams-api';
import { createTableWithStream, describedWithStream, hasStreamToShow, mayCarryStream, updateTableStream } from './streams/table-streams';
import { tagOperation } from './tables/tags';
import { describeTimeToLive, TtlSettings, updateTimeToLive } from './tables/time-to-live';
import { transactGetItems } from './transactions/transact-get';
import { transactWriteItems } from './transactions/transact-write';
import { TtlSweeper } from './tables/ttl-sweeper';
import { changesIndexes } from './tables/update-table-gsi';
import type { TableDescription, WireBody } from './wire';

/** dynalite's export: builds an http.Server around an in-memory store. */
export type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => http.Server;

export interface LayerOptions {
  dynalite: DynaliteFactory;
  port: number;
  ttlSweepMs: number;
}

export interface Layer {
  port: number;
  /** The server's streams, read in-process by `LocalDynamo.streamEvent`. */
  streams: Streams;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

interface Context {
  client: DynaliteClient;
  lock: RwLock;
  ttl: TtlSettings;
  idempotency: IdempotencyCache;
  changes: ItemChanges;
  streams: Streams;
  multiKey: MultiKeyIndexes;
}

type Handler = (ctx: Context, body: WireBody) => Promise<WireBody>;

/** Operations answered here; `exclusive` ones run with no other request in flight. */
const HANDLERS: Record<string, { exclusive: boolean; handle: Handler } | undefined> = {
  TransactWriteItems: { exclusive: true, handle: (ctx, body) => transactWriteItems(ctx.client, ctx.idempotency, ctx.changes, body) },
  TransactGetItems: { exclusive: true, handle: (ctx, body) => transactGetItems(ctx.client, body) },
  UpdateTimeToLive: { exclusive: false, handle: (ctx, body) => updateTimeToLive(ctx.client, ctx.ttl, body) },
  DescribeTimeToLive: { exclusive: false, handle: (ctx, body) => describeTimeToLive(ctx.client, ctx.ttl, body) },
  TagResource: { exclusive: false, handle: (ctx, body) => tagOperation(ctx.client, 'TagResource', body) },
  UntagResource: { exclusive: false, handle: (ctx, body) => tagOperation(ctx.client, 'UntagResource', body) },
  ListTagsOfResource: { exclusive: false, handle: (ctx, body) => tagOperation(ctx.client, 'ListTagsOfResource', body) },
};

/**
 * Starts dynalite on a free loopback port and, in front of it, the server clients
 * talk to: it answers the operations dynalite lacks and forwards the rest as they are.
 */
export async function startLayer(options: LayerOptions): Promise<Layer> {
  const inner = options.dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await listen(inner, 0);
  const innerPort = (inner.address() as AddressInfo).port;

  const client = new DynaliteClient(innerPort);
  const streams = new Streams();
  const multiKey = new MultiKeyIndexes();
  const changes = new ItemChanges(client);
  changes.add(streams);
  changes.add(multiKey);
  const ctx: Context = { client, lock: new RwLock(), ttl: new TtlSettings(), idempotency: new IdempotencyCache(), changes, streams, multiKey };
  const forwardAgent = new http.Agent({ keepAlive: true });
  const sweeper = new TtlSweeper(ctx.client, ctx.lock, ctx.ttl, ctx.changes, options.ttlSweepMs);

  const outer = http.createServer((req, res) => {
    handle(ctx, req, res, innerPort, forwardAgent).catch((err: unknown) => {
      if (!res.headersSent) sendJson(req, res, 500, internalError(String(err)).toBody());
      else res.destroy();
    });
  });
  try {
    await listen(outer, options.port);
  } catch (err) {
    await sweeper.stop();
    ctx.client.close();
    await close(inner);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stopAll = async () => {
    await sweeper.stop();
    const closedOuter = close(outer);
    outer.closeAllConnections();
    await closedOuter;
    ctx.client.close();
    forwardAgent.destroy();
    const closedInner = close(inner);
    inner.closeAllConnections();
    await closedInner;
  };
  return {
    port: (outer.address() as AddressInfo).port,
    streams,
    stop: () => (stopping ??= stopAll()),
  };
}

async function handle(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, innerPort: number, agent: http.Agent): Promise<void> {
  const raw = await readBody(req);
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const post = req.method === 'POST';
  if (post && target.startsWith(STREAMS_TARGET_PREFIX)) return handleStreams(ctx, req, res, target.slice(STREAMS_TARGET_PREFIX.length), raw);
  const own = post ? HANDLERS[operation] : undefined;

  if (own) {
    const body = parseBody(raw);
    if (!body) {
      sendJson(req, res, 400, malformedRequest().toBody());
      return;
    }
    const run = () => own.handle(ctx, body);
    return respond(req, res, () => (own.exclusive ? ctx.lock.exclusive(run) : ctx.lock.shared(run)));
  }
  if (post && operation === 'UpdateTable') {
    const body = parseBody(raw);
    const update = (request: WireBody) => multiKeyUpdateTable(ctx.client, ctx.multiKey, request);
    const describe = async (tableName: string) => describedWithLayerIndexes(await ctx.client.describeTable(tableName), ctx.multiKey);
    if (body && mayCarryStream(raw) && body.StreamSpecification !== undefined) {
      return respond(req, res, () => ctx.lock.exclusive(() => updateTableStream(ctx.streams, body, { describe, update })));
    }
    if (body && changesIndexes(body)) return respond(req, res, () => ctx.lock.exclusive(() => update(body)));
  }
  if (post && operation === 'CreateTable' && mayCarryStream(raw)) {
    const body = parseBody(raw);
    if (body?.StreamSpecification !== undefined && body.StreamSpecification !== null) {
      return respond(req, res, () => {
        validateOperation('CreateTable', body);
        return ctx.lock.exclusive(async () => {
          const out = await createTableWithStream(ctx.streams, body, (request) => multiKeyCreateTable(ctx.client, ctx.multiKey, request));
          ctx.ttl.forget(String(body.TableName));
          return out;
        });
      });
    }
  }
  // A table with a stream is described with it; deleting the table disables its stream.
  if (post && (operation === 'DescribeTable' || operation === 'DeleteTable') && ctx.streams.any()) {
    const body = parseBody(raw);
    const tableName = typeof body?.TableName === 'string' ? body.TableName : undefined;
    if (tableName !== undefined && hasStreamToShow(ctx.streams, tableName)) {
      return respond(req, res, () => ctx.lock.exclusive(() => describeOrDelete(ctx, operation, tableName)));
    }
  }
  // GSIs with multi-attribute keys, which dynalite cannot hold: their tables' definitions and their reads.
  const multiKey = post ? multiKeyRoute(ctx.client, ctx.multiKey, operation, raw, (tableName) => ctx.ttl.forget(tableName)) : undefined;
  if (multiKey) return respond(req, res, () => (multiKey.exclusive ? ctx.lock.exclusive(multiKey.run) : ctx.lock.shared(multiKey.run)));
  // A write to a table with a stream or a layer-served index: its images are read around it,
  // under the exclusive lock so that they are exactly what it changed.
  if (post && isCapturedWrite(operation) && ctx.changes.watchesAny()) {
    const body = parseBody(raw);
    const targets = body && writeTargets(operation, body);
    if (body && targets?.some((target) => ctx.changes.watches(target.tableName))) {
      return respond(req, res, () => {
        if (mayBreakRequestRule(operation, raw)) validateOperation(operation, body);
        return ctx.lock.exclusive(() => ctx.changes.capture(targets, () => runWrite(ctx.client, operation, body)));
      });
    }
  }
  // Looking for the name in the raw bytes first keeps the usual write from being parsed twice.
  if (post && isWriteReturningOnFailure(operation) && raw.includes('ReturnValuesOnConditionCheckFailure')) {
    const body = parseBody(raw);
    if (body && asksReturnOnFailure(body)) {
      const run = () => writeReturningOnFailure(ctx.client, operation, body);
      return respond(req, res, () => (body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? ctx.lock.exclusive(run) : ctx.lock.shared(run)));
    }
  }

  if (post && mayBreakRequestRule(operation, raw)) {
    const body = parseBody(raw);
    if (body) {
      try {
        validateOperation(operation, body);
      } catch (err) {
        if (!(err instanceof DynamoError)) throw err;
        sendJson(req, res, err.statusCode, err.toBody());
        return;
      }
    }
  }

  if (post && isWriteWithMetrics(operation) && mayAskItemCollectionMetrics(raw)) {
    const body = parseBody(raw);
    if (body && asksItemCollectionMetrics(body)) return respond(req, res, () => ctx.lock.shared(() => writeWithMetrics(ctx.client, operation, body)));
  }

  const release = await ctx.lock.acquireShared();
  try {
    const status = await forward(req, res, raw, innerPort, agent, (answer) => syntaxWording(answer, raw));
    // A table that is deleted or created anew starts without TTL.
    if (status === 200 && (operation === 'DeleteTable' || operation === 'CreateTable')) {
      const tableName = parseBody(raw)?.TableName;
      if (typeof tableName === 'string') ctx.ttl.forget(tableName);
    }
  } finally {
    release();
  }
}

/** DescribeTable or DeleteTable of a table with a stream, answered with the stream shown. */
async function describeOrDelete(ctx: Context, operation: 'DescribeTable' | 'DeleteTable', tableName: string): Promise<WireBody> {
  if (operation === 'DescribeTable') {
    return { Table: describedWithStream(ctx.streams, describedWithLayerIndexes(await ctx.client.describeTable(tableName), ctx.multiKey)) };
  }
  const out = (await multiKeyDeleteTable(ctx.client, ctx.multiKey, { TableName: tableName })) as { TableDescription: TableDescription };
  const TableDescription = describedWithStream(ctx.streams, out.TableDescription);
  ctx.streams.detach(tableName);
  ctx.ttl.forget(tableName);
  return { TableDescription };
}

/** A DynamoDB Streams request: answered from the layer's streams, between writes. */
async function handleStreams(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, operation: string, raw: Buffer): Promise<void> {
  const body = parseBody(raw);
  if (!body || !isStreamsOperation(operation)) {
    sendJson(req, res, 400, (body ? unknownOperation() : malformedRequest()).toBody());
    return;
  }
  return respond(req, res, () => ctx.lock.shared(() => Promise.resolve(streamsOperation(ctx.streams, operation, body))));
}

/**
 * An expression's syntax error in an answer of dynalite's, worded as DynamoDB words it
 * (GetItem's ProjectionExpression, UpdateItem's UpdateExpression, ...: requests the layer
 * forwards without parsing). Other answers are left as dynalite sent them.
 */
function syntaxWording(answer: Buffer, raw: Buffer): DynamoError | undefined {
  if (!answer.includes('Syntax error')) return undefined;
  const error = parseBody(answer);
  const message = error?.message ?? error?.Message;
  const body = typeof message === 'string' ? parseBody(raw) : undefined;
  return body && typeof message === 'string' ? dynamoSyntaxError(message, body) : undefined;
}

function isWriteReturningOnFailure(operation: string): operation is WriteReturningOnFailure {
  return Object.hasOwn(WRITES_RETURNING_ON_FAILURE, operation);
}

async function respond(req: http.IncomingMessage, res: http.ServerResponse, run: () => Promise<WireBody>): Promise<void> {
  try {
    sendJson(req, res, 200, await run());
  } catch (err) {
    const error = err instanceof DynamoError ? err : internalError(err instanceof Error ? err.message : String(err));
    sendJson(req, res, error.statusCode, error.toBody());
  }
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
