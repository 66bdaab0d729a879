import { expect } from 'chai';
import {
  Attribute,
  BaseModel,
  DynamormError,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  deleteTable,
  ensureTable,
  getConnection,
  connect,
  parseStreamEvent,
  transaction,
  type StreamChange,
} from '../../../lib';
import { localServer, localEndpoint, testCredentials } from '../../support/root-hooks';
import { rejection, thrown } from '../../support/thrown';

@Model({ table: 'lse_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey() orderId!: string;
  @Attribute({ type: Number }) total!: number;
  @Attribute({ unique: true }) reference!: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'lse_plain' })
class Plain extends BaseModel {
  @PartitionKey() id!: string;
}

// What the local server's streams give a test: the Lambda event of what it just wrote through
// models, which the app's handler (here parseStreamEvent) reads as DynamoDB's would be read.
describe('local server: streamEvent and mark', () => {
  before(async () => {
    await ensureTable(Order, { stream: 'NEW_AND_OLD_IMAGES' });
    await ensureTable(Plain);
  });
  after(async () => {
    await deleteTable(Order, { ifExists: true });
    await deleteTable(Plain, { ifExists: true });
  });

  it('gives the records of what the test wrote, then only what came after', async () => {
    const local = localServer();
    await local.streamEvent(Order); // whatever earlier tests left
    const order = await Order.create({ customerId: 'c1', orderId: '1', total: 10, reference: 'r-1' });
    order.total = 12;
    await order.save();

    const first = await local.streamEvent(Order);
    // The order and its unique guard (an item of the same table): every entity's records.
    expect(first.Records.map((r) => r.eventName)).to.deep.equal(['INSERT', 'INSERT', 'MODIFY']);
    expect(
      first.Records.every((r) => r.eventSourceARN === first.Records[0].eventSourceARN && r.eventSourceARN?.includes(':table/lse_orders/stream/')),
    ).to.equal(true);
    const changes = parseStreamEvent(first, [Order]);
    expect(changes.map((c) => c.eventName)).to.deep.equal(['INSERT', 'MODIFY']);
    expect(changes[1].newItem).to.be.instanceOf(Order);
    expect(changes[1].oldItem?.total).to.equal(10);
    expect(changes[1].newItem?.total).to.equal(12);

    await order.delete();
    const second = await local.streamEvent(Order);
    expect(parseStreamEvent(second, [Order]).map((c) => `${c.eventName} ${c.oldItem?.orderId}`)).to.deep.equal(['REMOVE 1']);
    expect((await local.streamEvent(Order)).Records).to.deep.equal([]);
  });

  it('reads from a mark, without moving the position', async () => {
    const local = localServer();
    await local.streamEvent(Order);
    await Order.create({ customerId: 'c2', orderId: '1', total: 1, reference: 'r-2' });
    const mark = local.mark(Order);
    await transaction(async (tx) => {
      tx.create(Order.build({ customerId: 'c2', orderId: '2', total: 2, reference: 'r-3' }));
      tx.update(Order, { customerId: 'c2', orderId: '1' }).set('total', 5);
    });
    const sinceMark = parseStreamEvent(await local.streamEvent(Order, { since: mark }), [Order]);
    expect(sinceMark.map((c) => `${c.eventName} ${c.newItem?.orderId}`)).to.deep.equal(['INSERT 2', 'MODIFY 1']);
    // The position moved to the end with that call.
    expect((await local.streamEvent(Order)).Records).to.deep.equal([]);
    // A mark still reads from where it was taken.
    expect(parseStreamEvent(await local.streamEvent(Order, { since: mark }), [Order])).to.have.length(2);
  });

  it('gives TTL removals as DynamoDB does, which parseStreamEvent reads as expired', async () => {
    const local = localServer();
    const before = local.mark(Order);
    await Order.create({ customerId: 'c3', orderId: '1', total: 1, reference: 'r-4', expiresAt: new Date(Date.now() - 60_000) });
    let removal: StreamChange<Order> | undefined;
    for (let i = 0; i < 100 && !removal; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      removal = parseStreamEvent(await local.streamEvent(Order, { since: before }), [Order]).find(
        (c) => c.eventName === 'REMOVE' && c.oldItem?.customerId === 'c3',
      );
    }
    expect(removal?.expired).to.equal(true);
  });

  it('names a table by its model with the connection prefix, or by its full name', async () => {
    const local = localServer();
    connect({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, tablePrefix: 'pre_' });
    try {
      await ensureTable(Order, { stream: 'KEYS_ONLY' });
      await Order.create({ customerId: 'p', orderId: '1', total: 1, reference: 'r-p' });
      const byModel = await local.streamEvent(Order);
      expect(byModel.Records[0].eventSourceARN).to.include(':table/pre_lse_orders/stream/');
      expect(byModel.Records[0].dynamodb?.StreamViewType).to.equal('KEYS_ONLY');
      await Order.create({ customerId: 'p', orderId: '2', total: 1, reference: 'r-p2' });
      expect((await local.streamEvent('pre_lse_orders')).Records.length).to.be.greaterThan(0);
      await deleteTable(Order);
    } finally {
      connect({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials });
    }
    expect(getConnection().tableName('x')).to.equal('x');
  });

  it('is a DynamormError for a table without a stream, and for a since that no mark gave', async () => {
    const local = localServer();
    const noStream = (await rejection(local.streamEvent(Plain))) as Error;
    expect(noStream).to.be.instanceOf(DynamormError);
    expect(noStream.message).to.contain("Plain (table 'lse_plain')");
    expect(thrown(DynamormError, () => local.mark('no_such_table')).message).to.contain("mark('no_such_table')");
    const badMark = await rejection(local.streamEvent(Order, { since: 'yesterday' as never }));
    expect(badMark).to.be.instanceOf(DynamormError);
  });
});
