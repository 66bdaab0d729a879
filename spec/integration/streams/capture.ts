// Stream records built from what the local server stores, shaped as DynamoDB Streams shapes
// them and as Lambda delivers them (JSON: binary as base64 text). The local server has no
// streams, so the images are read back raw (client-dynamodb AttributeValue maps) after each write.
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { getConnection, type DynamoDBRecord, type StreamAttributeValue, type StreamImage } from '../../../lib';

export type RawItem = Record<string, AttributeValue>;

/** The item under `key` as stored, as client-dynamodb returns it. */
export async function rawItem(table: string, key: RawItem): Promise<RawItem> {
  const conn = getConnection();
  const out = await conn.client.send(new GetItemCommand({ TableName: conn.tableName(table), Key: key, ConsistentRead: true }));
  if (!out.Item) throw new Error(`no item in ${table} under ${JSON.stringify(key)}`);
  return out.Item;
}

/** Every stored item of a table, raw. */
export async function rawScan(table: string): Promise<RawItem[]> {
  const conn = getConnection();
  return (await conn.client.send(new ScanCommand({ TableName: conn.tableName(table), ConsistentRead: true }))).Items ?? [];
}

function lambdaValue(value: AttributeValue): StreamAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  return value;
}

/** An AttributeValue map as Lambda's JSON event carries it: binary base64 at every depth. */
export function lambdaImage(item: RawItem): StreamImage {
  const out: StreamImage = {};
  for (const [name, value] of Object.entries(item)) out[name] = lambdaValue(value);
  return JSON.parse(JSON.stringify(out)) as StreamImage;
}

let sequence = 4_000;

export interface Captured {
  keys: string[];
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  newImage?: RawItem;
  oldImage?: RawItem;
  keysOnly?: boolean;
  userIdentity?: unknown;
}

/** A stream record of `table` (the full name, prefix included), as a stream of view type NEW_AND_OLD_IMAGES (or KEYS_ONLY) writes it. */
export function recordOf(table: string, captured: Captured): DynamoDBRecord {
  sequence += 1;
  const image = captured.newImage ?? captured.oldImage;
  if (!image) throw new Error('a record needs an image to take its keys from');
  const keys: RawItem = {};
  for (const name of captured.keys) keys[name] = image[name];
  const images = captured.keysOnly
    ? {}
    : {
        ...(captured.newImage ? { NewImage: lambdaImage(captured.newImage) } : {}),
        ...(captured.oldImage ? { OldImage: lambdaImage(captured.oldImage) } : {}),
      };
  return {
    eventID: `c0ffee${sequence}`,
    eventName: captured.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${table}/stream/2026-11-30T07:00:00.000`,
    ...(captured.userIdentity ? { userIdentity: captured.userIdentity } : {}),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: lambdaImage(keys),
      ...images,
      SequenceNumber: `${sequence}00000000000000000000`,
      SizeBytes: 100,
      StreamViewType: captured.keysOnly ? 'KEYS_ONLY' : 'NEW_AND_OLD_IMAGES',
    },
  };
}
