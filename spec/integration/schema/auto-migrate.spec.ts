import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  autoMigrate,
  BaseModel,
  Connection,
  CreatedAt,
  deleteTable,
  describeTable,
  DynamormError,
  getConnection,
  Index,
  Model,
  PartitionKey,
  SortKey,
  TTL,
} from '../../../lib';
import { localEndpoint, testCredentials } from '../../support/root-hooks';

// Two versions of one model: the registry keys models by their @Model table name, and the
// first class registered under a name keeps it, which nothing here depends on.
@Model({ table: 'mig_orders' })
class OrderV1 extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Attribute() status!: string;
  @Attribute({ type: Number }) total!: number;
}

@Model({ table: 'mig_orders' })
class OrderV2 extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Index('byStatus', 'pk') status!: string;
  @Index('byStatus', 'sk', { type: Number }) total!: number;
  @Index('byCoupon', 'pk') coupon?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'mig_accounts' })
class AccountV1 extends BaseModel {
  @PartitionKey() tenant!: string;
  @SortKey() id!: string;
  @Index('byEmail', 'pk') email!: string;
  @Index('byPlan', 'pk', { projection: 'KEYS_ONLY' }) plan!: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'mig_accounts' })
class AccountV2 extends BaseModel {
  @PartitionKey() tenant!: string;
  @SortKey() id!: string;
  @Attribute() email!: string;
  @Index('byEmail', 'pk') login!: string; // the index's key changed
  @Index('byPlan', 'pk') plan!: string; // its projection changed (ALL)
  @Index('byCreated', 'sk', { type: Date }) @CreatedAt() createdAt!: Date; // an LSI the table lacks
  @Index('byRegion', 'pk') region?: string; // a GSI that can be added
  @TTL({ name: 'ttl' }) expiresAt?: Date; // TTL on another attribute
}

@Model({ table: 'mig_accounts' })
class AccountV3 extends BaseModel {
  @PartitionKey() accountId!: string; // another table key altogether
  @Index('byRegion2', 'pk') region?: string;
}

@Model({ table: 'mig_stock' })
class StockV1 extends BaseModel {
  @PartitionKey() sku!: string;
}

@Model({ table: 'mig_stock' })
class StockV2 extends BaseModel {
  @PartitionKey() sku!: string;
  @Index('byWarehouse', 'pk') warehouse?: string;
  @Index('byShelf', 'pk') shelf?: string;
}

@Model({ table: 'mig_stock' })
class StockV3 extends BaseModel {
  @PartitionKey() sku!: string;
  @Index('byWarehouse', 'pk') warehouse?: string;
  @Index('byShelf', 'pk') shelf?: string;
  @Index('byAisle', 'pk') aisle?: string;
}

const empty = { created: [], indexesAdded: [], ttlEnabled: [], drift: [] };

describe('autoMigrate (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());
  after(async () => {
    for (const model of [OrderV1, AccountV1, StockV1]) await deleteTable(model, { ifExists: true });
  });

  it('creates a missing table, then adds the GSIs a newer model declares; the existing items are queryable through them', async () => {
    await deleteTable(OrderV1, { ifExists: true });
    expect(await autoMigrate(OrderV1)).to.deep.equal({ ...empty, created: ['mig_orders'] });
    await OrderV1.create({ customerId: 'ann', orderId: 1, status: 'open', total: 30 });
    await OrderV1.create({ customerId: 'bob', orderId: 2, status: 'open', total: 10 });
    await OrderV1.create({ customerId: 'ann', orderId: 3, status: 'shipped', total: 20 });

    const conn = getConnection();
    const updateTable = sandbox.spy(conn, 'updateTable');
    const report = await autoMigrate(OrderV2);
    expect(report).to.deep.equal({
      created: [],
      indexesAdded: [
        { table: 'mig_orders', index: 'byCoupon' },
        { table: 'mig_orders', index: 'byStatus' },
      ],
      ttlEnabled: ['mig_orders'],
      drift: [],
    });
    // One index per UpdateTable, the second sent once the first was ACTIVE.
    expect(updateTable.args.map(([input]) => input.GlobalSecondaryIndexUpdates?.map((u) => u.Create?.IndexName))).to.deep.equal([['byCoupon'], ['byStatus']]);
    expect(updateTable.secondCall.args[0].AttributeDefinitions).to.deep.equal([
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'total', AttributeType: 'N' },
    ]);
    const table = await describeTable(OrderV2);
    expect(table.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus]).sort()).to.deep.equal([
      ['byCoupon', 'ACTIVE'],
      ['byStatus', 'ACTIVE'],
    ]);

    const query = OrderV2.where('status', '=', 'open').orderBy('total');
    expect(query.explain().index).to.equal('byStatus');
    expect((await query.all()).map((o) => [o.customerId, o.total])).to.deep.equal([
      ['bob', 10],
      ['ann', 30],
    ]);
    const ttl = await conn.describeTimeToLive({ TableName: 'mig_orders' });
    expect(ttl.TimeToLiveDescription).to.deep.equal({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('a second run changes nothing and reports nothing', async () => {
    await autoMigrate(OrderV2);
    const conn = getConnection();
    const writes = ['createTable', 'updateTable', 'updateTimeToLive', 'deleteTable'] as const;
    const spies = writes.map((method) => sandbox.spy(conn, method));
    expect(await autoMigrate(OrderV2, OrderV1)).to.deep.equal(empty);
    for (const spy of spies) sinon.assert.notCalled(spy);
  });

  it('reports drift it will not fix (a changed index key or projection, a missing LSI, TTL elsewhere, another table key) and changes nothing of it', async () => {
    await deleteTable(AccountV1, { ifExists: true });
    await autoMigrate(AccountV1);
    const report = await autoMigrate(AccountV2);
    expect(report.created).to.deep.equal([]);
    expect(report.indexesAdded).to.deep.equal([{ table: 'mig_accounts', index: 'byRegion' }]);
    expect(report.ttlEnabled).to.deep.equal([]);
    const messages = report.drift.map((d) => {
      expect(d.table).to.equal('mig_accounts');
      return d.message;
    });
    expect(messages).to.have.length(4);
    expect(messages[0]).to.contain(
      "local secondary index 'byCreated' (tenant (HASH, S), createdAt (RANGE, S)) is missing: an LSI can only be created with the table",
    );
    expect(messages[1]).to.contain("global secondary index 'byEmail' has key email (HASH, S), AccountV2 declares login (HASH, S)");
    expect(messages[2]).to.contain("global secondary index 'byPlan' projects KEYS_ONLY, AccountV2 declares ALL");
    expect(messages[3]).to.contain("TTL on 'mig_accounts' is enabled on 'expiresAt', but AccountV2 declares @TTL on 'ttl'");

    const table = await describeTable(AccountV2);
    const gsis = Object.fromEntries((table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i] as const));
    expect(Object.keys(gsis).sort()).to.deep.equal(['byEmail', 'byPlan', 'byRegion']);
    expect(gsis.byEmail.KeySchema).to.deep.equal([{ AttributeName: 'email', KeyType: 'HASH' }]);
    expect(gsis.byPlan.Projection).to.deep.equal({ ProjectionType: 'KEYS_ONLY' });
    expect(table.LocalSecondaryIndexes ?? []).to.deep.equal([]);

    const updateTable = sandbox.spy(getConnection(), 'updateTable');
    const other = await autoMigrate(AccountV3);
    expect(other).to.deep.equal({
      ...empty,
      drift: [
        {
          table: 'mig_accounts',
          message:
            'key schema differs: the table has tenant (HASH, S), id (RANGE, S), AccountV3 declares accountId (HASH, S). ' +
            "A table's key cannot change: create a new table and copy the items.",
        },
      ],
    });
    sinon.assert.notCalled(updateTable);
  });

  it("a provisioned table's new index takes the target's throughput, else the connection's defaultThroughput, else it says where to set one", async () => {
    await deleteTable(StockV1, { ifExists: true });
    expect((await autoMigrate({ model: StockV1, throughput: { read: 2, write: 2 } })).created).to.deep.equal(['mig_stock']);

    const updateTable = sandbox.spy(getConnection(), 'updateTable');
    const err = await autoMigrate(StockV2).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DynamormError);
    expect((err as Error).message).to.contain("autoMigrate(StockV2): 'mig_stock' is a PROVISIONED table, so the new index 'byShelf' needs throughput");
    expect((err as Error).message).to.contain('defaultThroughput');
    sinon.assert.notCalled(updateTable);

    const given = await autoMigrate({ model: StockV2, throughput: { read: 6, write: 5 } });
    expect(given.indexesAdded.map((i) => i.index)).to.deep.equal(['byShelf', 'byWarehouse']);
    const withDefault = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, defaultThroughput: { read: 4, write: 3 } });
    try {
      expect((await withDefault.run(() => autoMigrate(StockV3))).indexesAdded).to.deep.equal([{ table: 'mig_stock', index: 'byAisle' }]);
    } finally {
      withDefault.close();
    }
    const gsis = Object.fromEntries(((await describeTable(StockV3)).GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i.ProvisionedThroughput] as const));
    expect(gsis.byWarehouse).to.include({ ReadCapacityUnits: 6, WriteCapacityUnits: 5 });
    expect(gsis.byAisle).to.include({ ReadCapacityUnits: 4, WriteCapacityUnits: 3 });
  });
});
