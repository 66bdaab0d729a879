import type { DynamoDBRecord, DynamoDBStreamEvent } from '../../../streams/stream-types';
import type { KeptRecord, Stream, Streams } from './streams';

/**
 * The records of a table's streams from sequence number `from` on, as Lambda delivers them to a
 * stream handler: the Streams API's record plus `eventSourceARN`, and TTL's identity in the
 * lower-case form of Lambda's JSON. Binaries stay base64 text, as in Lambda's event.
 */
export function lambdaEvent(streams: Streams, tableName: string, from: bigint): DynamoDBStreamEvent {
  const kept: Array<{ stream: Stream; kept: KeptRecord }> = [];
  for (const stream of streams.list(tableName)) for (const record of stream.records) if (record.sequence >= from) kept.push({ stream, kept: record });
  kept.sort((a, b) => (a.kept.sequence < b.kept.sequence ? -1 : 1));
  return { Records: kept.map(({ stream, kept: { record } }) => lambdaRecord(stream, record)) };
}

function lambdaRecord(stream: Stream, record: KeptRecord['record']): DynamoDBRecord {
  const { userIdentity, dynamodb, ...rest } = record;
  return {
    ...rest,
    dynamodb: dynamodb,
    eventSourceARN: stream.arn,
    ...(userIdentity ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {}),
  };
}
