import { expect } from 'chai';
import {
  Attribute,
  BaseModel,
  createTable,
  deleteTable,
  describeTable,
  DynamormError,
  ensureTable,
  getConnection,
  Index,
  Model,
  PartitionKey,
  SortKey,
  TTL,
} from '../../../lib';

@Model({ table: 'tbl_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Index('gsi-status', 'pk') @Attribute({ name: 'order_status' }) status!: string;
  @Index('gsi-status', 'sk', { type: Date }) placedAt!: Date;
  @Index('lsi-total', 'sk', { type: Number, projection: 'KEYS_ONLY' }) total!: number;
  @Index('gsi-sku', 'pk', { projection: ['total'] }) sku?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'tbl_plain' })
class Plain extends BaseModel {
  @PartitionKey({ type: Uint8Array }) id!: Uint8Array;
}

describe('tables (local DynamoDB)', () => {
  after(async () => {
    await deleteTable(Order, { ifExists: true });
    await deleteTable(Plain, { ifExists: true });
  });

  it('createTable builds keys, attribute definitions and indexes from the metadata', async () => {
    await createTable(Order, { billingMode: 'PROVISIONED', throughput: { read: 3, write: 2 } });
    const table = await describeTable(Order);
    expect(table.KeySchema).to.deep.equal([
      { AttributeName: 'customerId', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ]);
    const defs = Object.fromEntries((table.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType] as const));
    expect(defs).to.deep.equal({ customerId: 'S', orderId: 'N', order_status: 'S', placedAt: 'S', total: 'N', sku: 'S' });
    const gsis = Object.fromEntries((table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i] as const));
    expect(Object.keys(gsis).sort()).to.deep.equal(['gsi-sku', 'gsi-status']);
    expect(gsis['gsi-status'].KeySchema).to.deep.equal([
      { AttributeName: 'order_status', KeyType: 'HASH' },
      { AttributeName: 'placedAt', KeyType: 'RANGE' },
    ]);
    expect(gsis['gsi-sku'].Projection).to.deep.equal({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] });
    expect(gsis['gsi-status'].ProvisionedThroughput).to.include({ ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
    const lsi = table.LocalSecondaryIndexes?.[0];
    expect(lsi?.IndexName).to.equal('lsi-total');
    expect(lsi?.KeySchema).to.deep.equal([
      { AttributeName: 'customerId', KeyType: 'HASH' },
      { AttributeName: 'total', KeyType: 'RANGE' },
    ]);
    expect(lsi?.Projection).to.deep.equal({ ProjectionType: 'KEYS_ONLY' });
  });

  it('ensureTable is idempotent, waits for ACTIVE and enables TTL once', async () => {
    const conn = getConnection();
    const first = await ensureTable(Order);
    expect(first.TableStatus).to.equal('ACTIVE');
    const ttl = await conn.describeTimeToLive({ TableName: conn.tableName('tbl_orders') });
    expect(ttl.TimeToLiveDescription).to.deep.equal({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const again = await ensureTable(Order);
    expect(again.TableName).to.equal(first.TableName);
  });

  it('ensureTable creates a missing table (binary key, on demand)', async () => {
    await deleteTable(Plain, { ifExists: true });
    const table = await ensureTable(Plain);
    expect(table.AttributeDefinitions).to.deep.equal([{ AttributeName: 'id', AttributeType: 'B' }]);
    expect(table.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').to.equal('PAY_PER_REQUEST');
  });

  it('a provisioned table without throughput says where to set it', async () => {
    const err = await createTable(Plain, { billingMode: 'PROVISIONED' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DynamormError);
    expect((err as Error).message).to.contain('defaultThroughput');
  });

  it('describeTable and deleteTable of a missing table name it', async () => {
    await deleteTable(Plain);
    const err = await describeTable(Plain).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DynamormError);
    expect((err as Error).message).to.contain("'tbl_plain' does not exist");
    const delErr = await deleteTable(Plain).catch((e: unknown) => e);
    expect(delErr).to.be.instanceOf(DynamormError);
    expect((delErr as Error).message).to.contain('ensureTable');
  });
});
