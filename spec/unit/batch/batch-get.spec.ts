import { expect } from 'chai';
import sinon from 'sinon';
import { AfterLoad, Attribute, BaseModel, BatchError, Model, PartitionKey, SortKey, TTL, ValidationError } from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';
import { NumberValue } from '@aws-sdk/lib-dynamodb';

const loaded: string[] = [];

@Model({ table: 'bg_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @TTL() expiresAt?: Date;
  @AfterLoad() seen() {
    loaded.push(this.id);
  }
}

@Model({ table: 'bg_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
}

interface GetInput {
  RequestItems: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead?: boolean }>;
}

describe('batchGet (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  const now = new Date('2026-01-02T03:04:05.000Z');

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 'test_' });
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
    loaded.length = 0;
  });
  afterEach(() => sandbox.restore());

  // Answers every key that has an item in `items`, in reverse order (DynamoDB's order is arbitrary).
  const serve = (items: Record<string, Record<string, unknown>>) =>
    conn.batchGet.callsFake(async (input) => {
      const [[table, { Keys }]] = Object.entries((input as GetInput).RequestItems);
      return {
        Responses: {
          [table]: Keys.map((k) => items[String(k.id)])
            .filter(Boolean)
            .reverse(),
        },
      };
    });

  it('sends one BatchGetItem with the prefixed table and the keys, and returns hydrated models in input order', async () => {
    serve({ a: { id: 'a', name: 'Ann' }, b: { id: 'b', name: 'Bo' }, c: { id: 'c', name: 'Cy' } });
    const users = await User.batchGet(['c', 'a', 'b']);
    expect(conn.batchGet.callCount).to.equal(1);
    expect(conn.batchGet.firstCall.args[0]).to.deep.equal({ RequestItems: { test_bg_users: { Keys: [{ id: 'c' }, { id: 'a' }, { id: 'b' }] } } });
    expect(users.map((u) => u.name)).to.deep.equal(['Cy', 'Ann', 'Bo']);
    expect(users.every((u) => u instanceof User && !u.isNew)).to.equal(true);
    expect(loaded).to.deep.equal(['c', 'a', 'b']);
  });

  it('sends duplicates once and returns one model per distinct key, first-seen order', async () => {
    serve({ a: { id: 'a' }, b: { id: 'b' } });
    const users = await User.batchGet(['b', 'a', 'b', 'a']);
    expect(conn.batchGet.firstCall.args[0].RequestItems!.test_bg_users.Keys).to.deep.equal([{ id: 'b' }, { id: 'a' }]);
    expect(users.map((u) => u.id)).to.deep.equal(['b', 'a']);
  });

  it('matches composite keys whose numbers come back wrapped, and sends ConsistentRead when asked', async () => {
    conn.batchGet.resolves({
      Responses: {
        test_bg_orders: [
          { customerId: 'c1', orderId: new NumberValue('2') },
          { customerId: 'c1', orderId: new NumberValue('1.0') },
        ],
      },
    });
    const orders = await Order.batchGet(
      [
        { customerId: 'c1', orderId: 1 },
        { customerId: 'c1', orderId: 2 },
        { customerId: 'c1', orderId: 3 },
      ],
      { consistent: true },
    );
    expect(conn.batchGet.firstCall.args[0]).to.deep.equal({
      RequestItems: {
        test_bg_orders: {
          Keys: [
            { customerId: 'c1', orderId: 1 },
            { customerId: 'c1', orderId: 2 },
            { customerId: 'c1', orderId: 3 },
          ],
          ConsistentRead: true,
        },
      },
    });
    expect(orders.map((o) => o.orderId)).to.deep.equal([1, 2]);
  });

  it('splits at 100 keys per request', async () => {
    serve({});
    const keys = Array.from({ length: 250 }, (_, i) => `u${i}`);
    expect(await User.batchGet(keys)).to.deep.equal([]);
    expect(conn.batchGet.getCalls().map((c) => c.args[0].RequestItems!.test_bg_users.Keys!.length)).to.deep.equal([100, 100, 50]);
    expect(conn.batchGet.getCall(2).args[0].RequestItems!.test_bg_users.Keys![0]).to.deep.equal({ id: 'u200' });
  });

  it('skips missing and expired items and unique guards', async () => {
    const past = Math.floor(now.getTime() / 1000) - 1;
    conn.batchGet.resolves({
      Responses: {
        test_bg_users: [
          { id: 'a', expiresAt: past },
          { id: 'b', expiresAt: past + 100 },
          { id: 'g', __dynamorm_unique: 'owner' },
        ],
      },
    });
    const users = await User.batchGet(['a', 'b', 'c', 'g']);
    expect(users.map((u) => u.id)).to.deep.equal(['b']);
  });

  it('returns [] for no keys without a request', async () => {
    expect(await User.batchGet([])).to.deep.equal([]);
    expect(conn.batchGet.callCount).to.equal(0);
  });

  it('a key missing its sort key is a ValidationError before any request', async () => {
    const error = await Order.batchGet([{ customerId: 'c1', orderId: 1 }, { customerId: 'c1' }]).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include("is missing 'orderId'");
    expect(conn.batchGet.callCount).to.equal(0);
  });

  it('resends UnprocessedKeys with backoff until every key is read', async () => {
    sandbox.stub(Math, 'random').returns(0);
    conn.batchGet
      .onFirstCall()
      .resolves({ Responses: { test_bg_users: [{ id: 'a' }] }, UnprocessedKeys: { test_bg_users: { Keys: [{ id: 'b' }, { id: 'c' }] } } });
    conn.batchGet.onSecondCall().resolves({ Responses: { test_bg_users: [{ id: 'c' }] }, UnprocessedKeys: { test_bg_users: { Keys: [{ id: 'b' }] } } });
    conn.batchGet.onThirdCall().resolves({ Responses: { test_bg_users: [{ id: 'b' }] } });
    const users = await User.batchGet(['a', 'b', 'c'], { consistent: true });
    expect(users.map((u) => u.id)).to.deep.equal(['a', 'b', 'c']);
    expect(conn.batchGet.getCalls().map((c) => c.args[0])).to.deep.equal([
      { RequestItems: { test_bg_users: { Keys: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], ConsistentRead: true } } },
      { RequestItems: { test_bg_users: { Keys: [{ id: 'b' }, { id: 'c' }], ConsistentRead: true } } },
      { RequestItems: { test_bg_users: { Keys: [{ id: 'b' }], ConsistentRead: true } } },
    ]);
  });

  it('waits with full jitter, base 50 ms doubling, and gives up after 8 attempts: BatchError naming the keys not read', async () => {
    const clock = sandbox.clock;
    clock.restore();
    const timers = sinon.useFakeTimers({ now, toFake: ['Date', 'setTimeout'] });
    try {
      sandbox.stub(Math, 'random').returns(0.5);
      conn.batchGet.callsFake(async (input) => {
        const keys = (input as GetInput).RequestItems.test_bg_users.Keys;
        return {
          Responses: { test_bg_users: keys.filter((k) => k.id !== 'x') },
          UnprocessedKeys: { test_bg_users: { Keys: keys.filter((k) => k.id === 'x') } },
        };
      });
      const keys = ['x', ...Array.from({ length: 120 }, (_, i) => `u${i}`)];
      const pending = User.batchGet(keys).catch((e: unknown) => e);
      const waits: number[] = [];
      for (let i = 0; i < 7; i++) {
        await timers.tickAsync(0);
        const before = Date.now();
        await timers.runToLastAsync();
        waits.push(Date.now() - before);
      }
      const error = await pending;
      expect(waits).to.deep.equal([25, 50, 100, 200, 400, 800, 1600]);
      expect(conn.batchGet.callCount).to.equal(8);
      expect(error).to.be.instanceOf(BatchError);
      // 'x' never read, and the rest (from the second chunk) never sent: as passed (plain ids).
      expect((error as BatchError).unprocessed).to.deep.equal(['x', ...keys.slice(100)]);
      expect(conn.batchGet.getCalls().every((c) => c.args[0].RequestItems!.test_bg_users.Keys![0].id === 'x')).to.equal(true);
      expect((error as Error).message).to.match(
        /^User\.batchGet: 99 done, 22 not done: \(id="x"\), \(id="u99"\).*and 17 more\. DynamoDB left them unprocessed after 8 attempts/,
      );
      // What was read before it stopped: the models of u0..u98, in input order.
      expect((error as BatchError).completed.map((u) => (u as User).id)).to.deep.equal(keys.slice(1, 100));
      expect((error as BatchError).completed.every((u) => u instanceof User && !u.isNew)).to.equal(true);
    } finally {
      timers.restore();
    }
  });

  it('lists the keys not read as the caller passed them: a key given twice twice, a key whose number came back wrapped matched to its input', async () => {
    sandbox.stub(Math, 'random').returns(0);
    const two = { customerId: 'c1', orderId: 2 };
    // DynamoDB answers order 1 and leaves order 2 unprocessed every time, its number wrapped as reads give it.
    conn.batchGet.callsFake(async () => ({
      Responses: { test_bg_orders: [{ customerId: 'c1', orderId: new NumberValue('1') }] },
      UnprocessedKeys: { test_bg_orders: { Keys: [{ customerId: 'c1', orderId: new NumberValue('2') }] } },
    }));
    const error = await Order.batchGet([{ customerId: 'c1', orderId: 1 }, two, two]).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchError);
    expect((error as BatchError).unprocessed).to.have.ordered.members([two, two]);
    expect((error as BatchError).completed.map((o) => (o as Order).orderId)).to.deep.equal([1]);
  });

  it('retries throttled requests, and wraps other SDK errors in a BatchError listing the keys', async () => {
    sandbox.stub(Math, 'random').returns(0);
    conn.batchGet.onFirstCall().rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    conn.batchGet.onSecondCall().resolves({ Responses: { test_bg_users: [{ id: 'a' }] } });
    expect((await User.batchGet(['a'])).map((u) => u.id)).to.deep.equal(['a']);

    conn.batchGet.onThirdCall().rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    const error = await User.batchGet(['a', 'b']).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchError);
    expect((error as BatchError).unprocessed).to.deep.equal(['a', 'b']);
    expect((error as Error).message).to.include('User.batchGet: 0 done, 2 not done: (id="a"), (id="b")');
    expect(conn.batchGet.callCount).to.equal(3);
  });
});
