// A DynamoDB Streams handler: stream records become typed models with parseStreamEvent, and
// records that cannot be read are reported to Lambda in `batchItemFailures` (the function's
// event source mapping has ReportBatchItemFailures on), so Lambda retries from them.
//
// The embedded local server has streams: the example writes through the models, then hands the
// handler what Lambda would deliver, `await local.streamEvent(Customer)` (view type
// NEW_AND_OLD_IMAGES; binary as base64 text, as in Lambda's JSON event).
//
//   npx tsx examples/stream-handler.ts
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
} from 'dynamorm';
import type { LocalDynamo, StreamMark } from 'dynamorm/testing';
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

export async function main(): Promise<void> {
  await withDynamo(async ({ local }) => {
    if (!local) {
      console.log("stream-handler reads the embedded local server's streams (local.streamEvent); against an external endpoint, point a Lambda at the stream");
      return;
    }
    await ensureTable(Customer, { stream: 'NEW_AND_OLD_IMAGES' });
    await ensureTable(Order, { stream: 'NEW_AND_OLD_IMAGES' });
    try {
      const customer = await Customer.create({
        id: 'c-ann',
        name: 'Ann',
        email: 'ann@example.com',
        plans: new Set(['basic']),
        avatar: new Uint8Array([137, 80, 78, 71]),
      });
      // The unique guard of Ann's email is an item of the same table (dynamorm's own, with a
      // reserved key): its record is in the stream, and the handler skips it.
      customer.plans = new Set(['basic', 'pro']);
      await customer.save();

      // Another service wrote a value a Customer cannot hold (a name that is a number).
      const conn = getConnection();
      await conn.put({ TableName: conn.tableName('stream_customers'), Item: { id: 'c-bad', name: 42, email: 'bad@example.com', version: 1 } });

      // What Lambda would deliver from the customers' stream, up to now.
      const customers = await local.streamEvent(Customer);
      const response = await handler(customers);
      console.log(`handled ${customers.Records.length} customer records; batchItemFailures ${JSON.stringify(response.batchItemFailures)}`);

      await Order.create({ customerId: 'c-ann', orderId: 1, total: 49.5 });
      const orders = await local.streamEvent(Order);
      await handler(orders);

      // Ann's account expires: DynamoDB's TTL process deletes her item, a REMOVE made by the service itself.
      const beforeExpiry = local.mark(Customer);
      customer.deleteAfter = new Date(Date.now() - 1000);
      await customer.save();
      const expired = await removalOf(local, beforeExpiry, 'c-ann');
      await handler({ Records: expired });
    } finally {
      await deleteTable(Customer, { ifExists: true });
      await deleteTable(Order, { ifExists: true });
    }
  });
}

/** The REMOVE record of a customer once the TTL sweep (every 500 ms here) has deleted it. */
async function removalOf(local: LocalDynamo, since: StreamMark, id: string): Promise<DynamoDBRecord[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Records } = await local.streamEvent(Customer, { since });
    const removal = Records.filter((record) => record.eventName === 'REMOVE' && record.dynamodb?.Keys?.id?.S === id);
    if (removal.length > 0) return removal;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no TTL removal of ${id} in the stream`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
