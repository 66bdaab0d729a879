/**
 * The shapes of a DynamoDB Streams event as Lambda delivers it, declared here so that
 * dynamorm needs no `@types/aws-lambda`. Every field is optional and at least as wide as
 * `@types/aws-lambda`'s, so its `DynamoDBStreamEvent` is accepted as it is.
 *
 * @example
 * import type { DynamoDBStreamEvent } from 'dynamorm';
 * export const handler = async (event: DynamoDBStreamEvent) => parseStreamEvent(event, [User]);
 */
export interface DynamoDBStreamEvent {
  Records: DynamoDBRecord[];
}

/** One stream record: one item written (INSERT / MODIFY) or deleted (REMOVE). */
export interface DynamoDBRecord {
  awsRegion?: string;
  dynamodb?: StreamRecord;
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource?: string;
  /** `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<time>`: names the table the record belongs to. */
  eventSourceARN?: string;
  eventVersion?: string;
  /** `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }` on a deletion made by TTL. */
  userIdentity?: unknown;
}

/** The data of a stream record. */
export interface StreamRecord {
  ApproximateCreationDateTime?: number;
  Keys?: StreamImage;
  NewImage?: StreamImage;
  OldImage?: StreamImage;
  /** What Lambda's `batchItemFailures[].itemIdentifier` takes for a stream record. */
  SequenceNumber?: string;
  SizeBytes?: number;
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

/** An item as a map of AttributeValues (a stream image, or a client-dynamodb GetItem `Item`). */
export type StreamImage = Record<string, StreamAttributeValue>;

/**
 * One AttributeValue. Binary (`B`, `BS`) is a base64 string in Lambda's JSON events and a
 * Uint8Array in the SDK's own output; both are accepted.
 */
export interface StreamAttributeValue {
  B?: string | Uint8Array;
  BS?: Array<string | Uint8Array>;
  BOOL?: boolean;
  L?: StreamAttributeValue[];
  M?: Record<string, StreamAttributeValue>;
  N?: string;
  NS?: string[];
  NULL?: boolean;
  S?: string;
  SS?: string[];
}
