import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import { IsOptional, Min } from 'class-validator';
import {
  AfterCreate,
  AfterDelete,
  AfterLoad,
  Attribute,
  BaseModel,
  BatchError,
  BeforeCreate,
  BeforeDelete,
  CreatedAt,
  ensureTable,
  getConnection,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  ValidationError,
  Version,
} from '../../../lib';

const events: string[] = [];

@Model({ table: 'bt_items' })
class Item extends BaseModel {
  @PartitionKey() group!: string;
  @SortKey({ type: Number }) n!: number;
  @IsOptional() @Min(0) @Attribute({ type: Number }) qty?: number;
  @Attribute({ default: 'new' }) status?: string;
  @CreatedAt() createdAt!: Date;
  @Version() version!: number;
  @TTL() expiresAt?: Date;
  @BeforeCreate() bc() {
    events.push(`beforeCreate ${this.n}`);
  }
  @AfterCreate() ac() {
    events.push(`afterCreate ${this.n}`);
  }
  @BeforeDelete() bd() {
    events.push(`beforeDelete ${this.n}`);
  }
  @AfterDelete() ad() {
    events.push(`afterDelete ${this.n}`);
  }
  @AfterLoad() al() {
    events.push(`afterLoad ${this.n}`);
  }
}

const TABLE = 'bt_items';

async function raw(group: string, n: number): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(TABLE), Key: { group, n }, ConsistentRead: true })).Item;
}

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

describe('batches (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  before(async () => {
    await ensureTable(Item);
    // TTL off on this table, so an expired item stays until a test has read past it.
    const conn = getConnection();
    await conn.updateTimeToLive({ TableName: conn.tableName(TABLE), TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } });
  });
  beforeEach(() => {
    events.length = 0;
  });
  afterEach(() => sandbox.restore());

  it('batchGet of 250 keys returns the stored ones in input order, skipping missing and expired items', async () => {
    const stored = range(250).filter((n) => n % 10 !== 3); // 25 never written
    await Item.batchCreate(
      stored.map((n) => ({ group: 'g1', n, qty: n, expiresAt: n === 100 ? new Date(Date.now() - 60_000) : undefined })),
      { overwrite: true },
    );
    expect(await raw('g1', 100)).to.have.property('expiresAt'); // expired, but still stored
    events.length = 0;
    const keys = range(250)
      .reverse()
      .map((n) => ({ group: 'g1', n }));
    const got = await Item.batchGet([...keys, { group: 'g1', n: 5 }], { consistent: true });
    const expected = range(250)
      .reverse()
      .filter((n) => n % 10 !== 3 && n !== 100);
    expect(got.map((i) => i.n)).to.deep.equal(expected);
    expect(got.every((i) => i instanceof Item && !i.isNew && i.qty === i.n && i.version === 1 && i.status === 'new')).to.equal(true);
    expect(events).to.deep.equal(expected.map((n) => `afterLoad ${n}`));
  });

  it('keys and items DynamoDB leaves unprocessed at first are resent until every one is read and written', async () => {
    sandbox.stub(Math, 'random').returns(0);
    const conn = getConnection();
    const table = conn.tableName(TABLE);
    const realWrite = conn.batchWrite.bind(conn);
    const realGet = conn.batchGet.bind(conn);
    const write = sandbox.stub(conn, 'batchWrite');
    // The first two answers process only the first half of what was sent; then the real server.
    for (const call of [0, 1]) {
      write.onCall(call).callsFake(async (input) => {
        const requests = input.RequestItems![table];
        const half = Math.ceil(requests.length / 2);
        await realWrite({ RequestItems: { [table]: requests.slice(0, half) } });
        return { UnprocessedItems: { [table]: requests.slice(half) }, $metadata: {} };
      });
    }
    write.callsFake(realWrite);
    const created = await Item.batchCreate(
      range(30).map((n) => ({ group: 'g2', n })),
      { overwrite: true },
    );
    expect(created.every((i) => !i.isNew)).to.equal(true);
    expect(write.getCalls().map((c) => c.args[0].RequestItems![table].length)).to.deep.equal([25, 12, 6, 5]);

    const get = sandbox.stub(conn, 'batchGet');
    get.onFirstCall().callsFake(async (input) => {
      const keys = input.RequestItems![table].Keys!;
      const out = await realGet({ RequestItems: { [table]: { ...input.RequestItems![table], Keys: keys.slice(0, 10) } } });
      return { ...out, UnprocessedKeys: { [table]: { Keys: keys.slice(10) } } };
    });
    get.callsFake(realGet);
    const read = await Item.batchGet(range(30).map((n) => ({ group: 'g2', n })));
    expect(read.map((i) => i.n)).to.deep.equal(range(30));
    expect(get.getCalls().map((c) => c.args[0].RequestItems![table].Keys!.length)).to.deep.equal([30, 20]);

    write.resetHistory(); // the same two half-processed answers first, then the real server
    await Item.batchDelete(read);
    expect(write.getCalls().map((c) => c.args[0].RequestItems![table].length)).to.deep.equal([25, 12, 6, 5]);
    for (const n of [0, 29]) expect(await raw('g2', n)).to.equal(undefined);
    expect(events.filter((e) => e.startsWith('afterDelete'))).to.have.length(30);
  });

  it('an item never processed ends, after the bounded attempts, in a BatchError naming it; the others are written', async () => {
    sandbox.stub(Math, 'random').returns(0);
    const conn = getConnection();
    const table = conn.tableName(TABLE);
    const realWrite = conn.batchWrite.bind(conn);
    const realGet = conn.batchGet.bind(conn);
    const stuck = (key: Record<string, unknown>) => key.n === 7;
    const write = sandbox.stub(conn, 'batchWrite').callsFake(async (input) => {
      const requests = input.RequestItems![table];
      const done = requests.filter((r) => !stuck(r.PutRequest?.Item ?? r.DeleteRequest!.Key!));
      if (done.length > 0) await realWrite({ RequestItems: { [table]: done } });
      return { UnprocessedItems: { [table]: requests.filter((r) => !done.includes(r)) }, $metadata: {} };
    });
    const items = range(10).map((n) => Item.build({ group: 'g3', n }));
    const error = await Item.batchCreate(items, { overwrite: true }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchError);
    expect(write.callCount).to.equal(8);
    expect((error as BatchError).unprocessed).to.have.ordered.members([items[7]]);
    expect((error as BatchError).completed).to.have.ordered.members(items.filter((i) => i.n !== 7));
    expect((error as Error).message).to.include('Item.batchCreate: 9 done, 1 not done: (group="g3", n=7)');
    expect(items.filter((i) => i.isNew).map((i) => i.n)).to.deep.equal([7]);
    expect(await raw('g3', 7)).to.equal(undefined);
    expect(await raw('g3', 6)).to.include({ group: 'g3' });

    const get = sandbox.stub(conn, 'batchGet').callsFake(async (input) => {
      const keys = input.RequestItems![table].Keys!;
      const done = keys.filter((k) => !stuck(k));
      const out = done.length > 0 ? await realGet({ RequestItems: { [table]: { Keys: done } } }) : { Responses: { [table]: [] }, $metadata: {} };
      return { ...out, UnprocessedKeys: { [table]: { Keys: keys.filter(stuck) } } };
    });
    const readError = await Item.batchGet(range(10).map((n) => ({ group: 'g3', n }))).catch((e: unknown) => e);
    expect(readError).to.be.instanceOf(BatchError);
    expect(get.callCount).to.equal(8);
    expect((readError as BatchError).unprocessed).to.deep.equal([{ group: 'g3', n: 7 }]);
    expect((readError as Error).message).to.include('Item.batchGet: 9 done, 1 not done: (group="g3", n=7)');
    // The items read before it stopped, as models (n=7 was never written, so it would not be among them anyway).
    expect((readError as BatchError).completed.map((i) => (i as Item).n)).to.deep.equal(range(10).filter((n) => n !== 7));
  });

  it('batchCreate runs hooks and validation per item; an invalid item in any chunk means nothing at all is written', async () => {
    const items = range(40).map((n) => ({ group: 'g4', n, qty: n === 31 ? -1 : n }));
    const error = await Item.batchCreate(items, { overwrite: true }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include('qty must not be less than 0');
    expect(events).to.deep.equal(range(31).map((n) => `beforeCreate ${n}`)); // item 31 stopped at validation
    // Every item is prepared before any chunk is sent: the first chunk (items 0-24) is not written either.
    for (const n of [0, 24, 25, 39]) expect(await raw('g4', n)).to.equal(undefined);

    events.length = 0;
    await Item.batchCreate(
      items.map((i) => ({ ...i, qty: 1 })),
      { overwrite: true },
    );
    expect(events.filter((e) => e.startsWith('afterCreate'))).to.deep.equal(range(40).map((n) => `afterCreate ${n}`));
    expect(await Item.get({ group: 'g4', n: 39 }, { consistent: true })).to.include({ qty: 1, version: 1, status: 'new' });
  });

  it('batchCreate overwrites an existing item (with overwrite: true) and restarts its version at 1', async () => {
    const item = await Item.create({ group: 'g5', n: 1, qty: 1 });
    await item.update({ qty: 2 });
    expect(item.version).to.equal(2);
    await Item.batchCreate([{ group: 'g5', n: 1, qty: 3 }], { overwrite: true });
    expect(await Item.get({ group: 'g5', n: 1 }, { consistent: true })).to.include({ qty: 3, version: 1 });
  });

  it('batchDelete by keys runs no instance hooks and deletes each key once', async () => {
    await Item.batchCreate(
      range(3).map((n) => ({ group: 'g6', n })),
      { overwrite: true },
    );
    events.length = 0;
    await Item.batchDelete([
      { group: 'g6', n: 0 },
      { group: 'g6', n: 1 },
      { group: 'g6', n: 0 },
      { group: 'g6', n: 9 },
    ]);
    expect(events).to.deep.equal([]);
    expect((await Item.batchGet(range(3).map((n) => ({ group: 'g6', n })))).map((i) => i.n)).to.deep.equal([2]);
  });
});
