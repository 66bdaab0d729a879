// A DynamoDB Streams handler: stream records become typed models with parseStreamEvent, and
// records that cannot be read are reported to Lambda in `batchItemFailures` (the function's
// event source mapping has ReportBatchItemFailures on), so Lambda retries from them.
//
// The local server has no streams, so this example writes through the models, reads each
// stored item back raw (client-dynamodb GetItem) and builds the records DynamoDB Streams would
// deliver (view type NEW_AND_OLD_IMAGES; binary as base64 text, as in Lambda's JSON event).
//
//   npx tsx examples/stream-handler.ts
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  AfterLoad,
  Attribute,
  BaseModel,
  CreatedAt,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  Version,
  deleteTable,
  ensureTable,
  getConnection,
  parseStreamEvent,
  type DynamoDBRecord,
  type DynamoDBStreamEvent,
  type StreamAttributeValue,
  type StreamImage,
} from 'dynamorm';
import { withDynamo } from './support/local';

@Model({ table: 'stream_customers' })
export class Customer extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: String }) name!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute({ set: true }) plans?: Set<string>;
  @Attribute({ type: Uint8Array }) avatar?: Uint8Array;
  @TTL() deleteAfter?: Date;
  @CreatedAt() createdAt!: Date;
  @Version() version!: number;
  source?: string;
  @AfterLoad() tagSource(): void {
    this.source = 'stream';
  }
}

@Model({ table: 'stream_orders' })
export class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Attribute({ type: Number }) total!: number;
}

export interface StreamResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** The Lambda handler: what it does with each change, and which records it could not read. */
export async function handler(event: DynamoDBStreamEvent): Promise<StreamResponse> {
  const batchItemFailures: StreamResponse['batchItemFailures'] = [];
  const changes = parseStreamEvent(event, [Customer, Order], {
    onError: 'skip',
    onInvalid: (record, error) => {
      console.log(`record ${error.sequenceNumber} reported to Lambda: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: error.sequenceNumber ?? '' });
    },
  });
  for (const change of changes) {
    if (change.newItem instanceof Customer) {
      const c = change.newItem;
      const avatar = c.avatar ? `${c.avatar.byteLength}-byte avatar` : 'no avatar';
      console.log(
        `${change.eventName} Customer ${c.id}: ${c.name}, plans ${[...(c.plans ?? [])].join('+')}, ${avatar}, version ${c.version}, loaded by ${c.source}; changed ${JSON.stringify(change.changed)}`,
      );
    } else if (change.newItem instanceof Order) {
      console.log(`${change.eventName} Order ${change.newItem.customerId}/${change.newItem.orderId}: total ${change.newItem.total}`);
    } else if (change.oldItem instanceof Customer) {
      console.log(`REMOVE Customer ${change.oldItem.id} (${change.expired ? 'expired by TTL' : 'deleted'})`);
    }
  }
  return { batchItemFailures };
}

// ---- building stream records from the stored items (what DynamoDB Streams would send) ----

type RawItem = Record<string, AttributeValue>;

async function stored(table: string, key: RawItem): Promise<RawItem> {
  const conn = getConnection();
  const out = await conn.client.send(new GetItemCommand({ TableName: conn.tableName(table), Key: key, ConsistentRead: true }));
  return out.Item!;
}

async function storedGuard(table: string): Promise<RawItem> {
  const conn = getConnection();
  const { Items = [] } = await conn.client.send(new ScanCommand({ TableName: conn.tableName(table), ConsistentRead: true }));
  return Items.find((item) => item.id.S?.startsWith('_dynamorm#'))!;
}

// Lambda's event is JSON: binary arrives as base64 text, at every depth.
function asLambdaJson(value: AttributeValue): StreamAttributeValue {
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L) return { L: value.L.map(asLambdaJson) };
  if (value.M) return { M: imageOf(value.M) };
  return value;
}

function imageOf(item: RawItem): StreamImage {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, asLambdaJson(value)]));
}

let sequence = 100;

function record(
  table: string,
  key: RawItem,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { before?: RawItem; after?: RawItem },
  userIdentity?: object,
): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${getConnection().tableName(table)}/stream/2026-01-01T00:00:00.000`,
    ...(userIdentity ? { userIdentity } : {}),
    dynamodb: {
      Keys: imageOf(key),
      ...(images.after ? { NewImage: imageOf(images.after) } : {}),
      ...(images.before ? { OldImage: imageOf(images.before) } : {}),
      SequenceNumber: `${sequence}000000000`,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

export async function main(): Promise<void> {
  await withDynamo(async () => {
    await ensureTable(Customer);
    await ensureTable(Order);
    try {
      const records: DynamoDBRecord[] = [];
      const ann = { id: { S: 'c-ann' } };

      const customer = await Customer.create({
        id: 'c-ann',
        name: 'Ann',
        email: 'ann@example.com',
        plans: new Set(['basic']),
        avatar: new Uint8Array([137, 80, 78, 71]),
      });
      const created = await stored('stream_customers', ann);
      records.push(record('stream_customers', ann, 'INSERT', { after: created }));
      // The unique guard of Ann's email is an item of the same table (dynamorm's own, with a
      // reserved key): its record is skipped.
      const guard = await storedGuard('stream_customers');
      records.push(record('stream_customers', { id: guard.id }, 'INSERT', { after: guard }));

      customer.plans = new Set(['basic', 'pro']);
      await customer.save();
      const upgraded = await stored('stream_customers', ann);
      records.push(record('stream_customers', ann, 'MODIFY', { before: created, after: upgraded }));

      await Order.create({ customerId: 'c-ann', orderId: 1, total: 49.5 });
      const orderKey = { customerId: { S: 'c-ann' }, orderId: { N: '1' } };
      records.push(record('stream_orders', orderKey, 'INSERT', { after: await stored('stream_orders', orderKey) }));

      // Another service wrote a value a Customer cannot hold (a name that is a number).
      const conn = getConnection();
      await conn.put({ TableName: conn.tableName('stream_customers'), Item: { id: 'c-bad', name: 42, email: 'bad@example.com', version: 1 } });
      const bad = { id: { S: 'c-bad' } };
      records.push(record('stream_customers', bad, 'INSERT', { after: await stored('stream_customers', bad) }));

      // DynamoDB's TTL deleted Ann's item: a REMOVE made by the service itself.
      records.push(record('stream_customers', ann, 'REMOVE', { before: upgraded }, { type: 'Service', principalId: 'dynamodb.amazonaws.com' }));

      const response = await handler({ Records: records });
      console.log(`handled ${records.length} records; batchItemFailures ${JSON.stringify(response.batchItemFailures)}`);
    } finally {
      await deleteTable(Customer, { ifExists: true });
      await deleteTable(Order, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
