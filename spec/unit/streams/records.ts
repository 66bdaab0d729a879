// Hand-built stream records, shaped as Lambda delivers them (DynamoDB Streams' JSON).
import type { DynamoDBRecord, StreamImage } from '../../../lib';

let sequence = 100;

export const arnOf = (table: string): string => `arn:aws:dynamodb:eu-west-1:123456789012:table/${table}/stream/2026-11-30T07:00:00.000`;

export const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

export interface RecordInput {
  table: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys?: StreamImage;
  newImage?: StreamImage;
  oldImage?: StreamImage;
  userIdentity?: unknown;
}

/** A record with a fresh eventID and SequenceNumber; Keys default to the images' `id`. */
export function streamRecord(input: RecordInput): DynamoDBRecord {
  sequence += 1;
  const image = input.newImage ?? input.oldImage;
  const keys = input.keys ?? (image ? { id: image.id } : undefined);
  const view = input.newImage && input.oldImage ? 'NEW_AND_OLD_IMAGES' : input.newImage ? 'NEW_IMAGE' : input.oldImage ? 'OLD_IMAGE' : 'KEYS_ONLY';
  return {
    eventID: `evt-${sequence}`,
    eventName: input.eventName ?? (input.newImage && input.oldImage ? 'MODIFY' : input.oldImage ? 'REMOVE' : 'INSERT'),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: arnOf(input.table),
    ...(input.userIdentity ? { userIdentity: input.userIdentity } : {}),
    dynamodb: {
      ApproximateCreationDateTime: 1_790_000_000,
      Keys: keys,
      ...(input.newImage ? { NewImage: input.newImage } : {}),
      ...(input.oldImage ? { OldImage: input.oldImage } : {}),
      SequenceNumber: `${sequence}000000000000000000001`,
      SizeBytes: 64,
      StreamViewType: view,
    },
  };
}
