import { validateParameters, type ParameterTypes } from '../dynalite-internals';
import { DynamoError, resourceNotFound, validationError } from '../errors';
import { sequenceString, type KeptRecord, type Stream, type Streams } from './streams';
import type { WireBody } from '../wire';

/** The DynamoDB Streams operations, as `@aws-sdk/client-dynamodb-streams` names them in `X-Amz-Target`. */
export type StreamsOperation = 'ListStreams' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords';

export const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

export function isStreamsOperation(operation: string): operation is StreamsOperation {
  return operation === 'ListStreams' || operation === 'DescribeStream' || operation === 'GetShardIterator' || operation === 'GetRecords';
}

/** DynamoDB's: a shard iterator is valid for 15 minutes after it was given. */
const ITERATOR_TTL_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;
/** GetRecords returns at most 1 MB of records. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const STREAM_ARN_LENGTH = { type: 'String', lengthGreaterThanOrEqual: 37, lengthLessThanOrEqual: 1024 };
const SHARD_ID_LENGTH = { type: 'String', lengthGreaterThanOrEqual: 28, lengthLessThanOrEqual: 65 };
const STREAM_ARN = { ...STREAM_ARN_LENGTH, notNull: true };
const SHARD_ID = { ...SHARD_ID_LENGTH, notNull: true };

const TYPES: Record<StreamsOperation, ParameterTypes> = {
  ListStreams: {
    TableName: { type: 'String', regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 },
    Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 100 },
    ExclusiveStartStreamArn: STREAM_ARN_LENGTH,
  },
  DescribeStream: {
    StreamArn: STREAM_ARN,
    Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 100 },
    ExclusiveStartShardId: SHARD_ID_LENGTH,
  },
  GetShardIterator: {
    StreamArn: STREAM_ARN,
    ShardId: SHARD_ID,
    ShardIteratorType: { type: 'String', notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] },
    SequenceNumber: { type: 'String', lengthGreaterThanOrEqual: 21, lengthLessThanOrEqual: 40 },
  },
  GetRecords: {
    ShardIterator: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 2048 },
    Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: MAX_RECORDS },
  },
};

/** Answers one DynamoDB Streams request from the layer's streams. */
export function streamsOperation(streams: Streams, operation: StreamsOperation, body: WireBody, now = Date.now()): WireBody {
  const request = validateParameters(TYPES[operation], body);
  switch (operation) {
    case 'ListStreams':
      return listStreams(streams, request);
    case 'DescribeStream':
      return describeStream(streams, request);
    case 'GetShardIterator':
      return getShardIterator(streams, request, now);
    case 'GetRecords':
      return getRecords(streams, request, now);
  }
}

function listStreams(streams: Streams, request: WireBody): WireBody {
  const all = streams.list(typeof request.TableName === 'string' ? request.TableName : undefined);
  const start = typeof request.ExclusiveStartStreamArn === 'string' ? all.findIndex((stream) => stream.arn === request.ExclusiveStartStreamArn) + 1 : 0;
  const limit = typeof request.Limit === 'number' ? request.Limit : 100;
  const page = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return {
    Streams: page.map((stream) => ({ StreamArn: stream.arn, TableName: stream.tableName, StreamLabel: stream.label })),
    ...(more ? { LastEvaluatedStreamArn: page[page.length - 1].arn } : {}),
  };
}

function describeStream(streams: Streams, request: WireBody): WireBody {
  const stream = findStream(streams, String(request.StreamArn));
  const afterLast = typeof request.ExclusiveStartShardId === 'string' && request.ExclusiveStartShardId === stream.shardId;
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.ended ? 'DISABLED' : 'ENABLED',
      StreamViewType: stream.viewType,
      CreationRequestDateTime: stream.createdAt / 1000,
      TableName: stream.tableName,
      KeySchema: stream.keySchema,
      Shards: afterLast
        ? []
        : [
            {
              ShardId: stream.shardId,
              SequenceNumberRange: {
                StartingSequenceNumber: sequenceString(stream.startingSequence),
                ...(stream.ended ? { EndingSequenceNumber: sequenceString(stream.ended.sequence) } : {}),
              },
            },
          ],
    },
  };
}

/** What a shard iterator carries: where to read from, and when it was given. */
interface IteratorState {
  arn: string;
  shardId: string;
  /** The sequence number of the next record to return. */
  next: string;
  issuedAt: number;
}

function getShardIterator(streams: Streams, request: WireBody, now: number): WireBody {
  const stream = findStream(streams, String(request.StreamArn));
  if (request.ShardId !== stream.shardId) throw resourceNotFound(`Requested resource not found: Shard does not exist`);
  const type = String(request.ShardIteratorType);
  const given = request.SequenceNumber;
  if ((type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') && typeof given !== 'string') {
    throw validationError(`Must specify sequence number for ${type} shard iterator type`);
  }
  if ((type === 'TRIM_HORIZON' || type === 'LATEST') && given !== undefined) {
    throw validationError(`Must not specify sequence number for ${type} shard iterator type`);
  }
  let next: bigint;
  if (type === 'TRIM_HORIZON') next = stream.trimHorizon;
  else if (type === 'LATEST') next = stream.ended ? stream.ended.sequence + 1n : streams.end();
  else {
    const sequence = parseSequence(String(given));
    const last = stream.ended?.sequence ?? streams.end() - 1n;
    if (sequence < stream.startingSequence || sequence > last) {
      throw validationError(`Invalid SequenceNumber ${String(given)} for shard ${stream.shardId}`);
    }
    if (sequence < stream.trimHorizon) trimmed(stream);
    next = type === 'AT_SEQUENCE_NUMBER' ? sequence : sequence + 1n;
  }
  return { ShardIterator: encodeIterator({ arn: stream.arn, shardId: stream.shardId, next: next.toString(), issuedAt: now }) };
}

function getRecords(streams: Streams, request: WireBody, now: number): WireBody {
  const state = decodeIterator(String(request.ShardIterator));
  if (now - state.issuedAt > ITERATOR_TTL_MS) {
    throw new DynamoError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(state.issuedAt).toISOString()} while right now it is ${new Date(now).toISOString()}. The iterator is only valid for 15 minutes.`,
    );
  }
  const stream = findStream(streams, state.arn);
  const next = BigInt(state.next);
  // Records the iterator points at were dropped after 24 hours.
  if (next < stream.trimHorizon) trimmed(stream);

  const limit = typeof request.Limit === 'number' ? request.Limit : MAX_RECORDS;
  const out: KeptRecord[] = [];
  let bytes = 0;
  for (const kept of stream.records) {
    if (kept.sequence < next) continue;
    if (out.length >= limit) break;
    const size = JSON.stringify(kept.record).length;
    if (out.length > 0 && bytes + size > MAX_RESPONSE_BYTES) break;
    out.push(kept);
    bytes += size;
  }
  const after = out.length > 0 ? out[out.length - 1].sequence + 1n : next;
  // A closed shard read to its end has no next iterator: the reader moves on.
  const closedAndRead = stream.ended !== undefined && after > stream.ended.sequence;
  return {
    Records: out.map((kept) => kept.record),
    ...(closedAndRead ? {} : { NextShardIterator: encodeIterator({ arn: stream.arn, shardId: stream.shardId, next: after.toString(), issuedAt: now }) }),
  };
}

function trimmed(stream: Stream): never {
  throw new DynamoError(
    'TrimmedDataAccessException',
    `The operation attempted to read past the oldest stream record in a shard: shard ${stream.shardId} of stream ${stream.arn}`,
  );
}

function findStream(streams: Streams, arn: string): Stream {
  const stream = streams.find(arn);
  if (!stream) throw resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
  return stream;
}

function parseSequence(text: string): bigint {
  if (!/^\d+$/.test(text)) throw validationError(`Invalid SequenceNumber ${text}`);
  return BigInt(text);
}

function encodeIterator(state: IteratorState): string {
  return `${state.arn}|${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
}

function decodeIterator(iterator: string): IteratorState {
  const encoded = iterator.slice(iterator.lastIndexOf('|') + 1);
  try {
    const state = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<IteratorState>;
    if (
      typeof state.arn === 'string' &&
      typeof state.shardId === 'string' &&
      typeof state.next === 'string' &&
      /^\d+$/.test(state.next) &&
      typeof state.issuedAt === 'number'
    ) {
      return state as IteratorState;
    }
  } catch {
    // Not an iterator of ours: answered below.
  }
  throw validationError('Invalid ShardIterator');
}
