import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  AfterCreate,
  AfterDelete,
  AfterUpdate,
  Attribute,
  BaseModel,
  BatchError,
  BeforeCreate,
  BeforeDelete,
  BeforeUpdate,
  CreatedAt,
  DynamormError,
  ensureTable,
  getConnection,
  LambdaTimeoutError,
  Model,
  PartitionKey,
  SortKey,
  Version,
  withLambdaTimeout,
} from '../../../lib';

// Fault injection for every multi-request write (DESIGN §11, "Partial failures"): a hook that
// throws at item N, a BatchWriteItem that leaves a key unprocessed or refuses a chunk, a Lambda
// deadline passing mid-run. Each case reads back what is stored and checks what the error
// carries: `.completed` (the instances written, as stored, after-hooks run) and `.unprocessed`
// (the rest, as passed), and that instances not written keep their state from before the call.

const log: string[] = [];
let onHook: ((event: string, n: number) => void) | undefined;
function hook(event: string, n: number): void {
  log.push(`${event} ${n}`);
  onHook?.(event, n);
}
/** The hook `event` of item `n` throws. */
function throwAt(event: string, at: number): Error {
  const error = new Error(`${event} refused item ${at}`);
  onHook = (e, n) => {
    if (e === event && n === at) throw error;
  };
  return error;
}
const ran = (event: string) => log.filter((l) => l.startsWith(`${event} `)).map((l) => Number(l.split(' ')[1]));

@Model({ table: 'pf_notes' })
class Note extends BaseModel {
  @PartitionKey() group!: string;
  @SortKey({ type: Number }) n!: number;
  @Attribute() status?: string;
  @CreatedAt() createdAt!: Date;
  @BeforeCreate() bc() {
    hook('beforeCreate', this.n);
  }
  @AfterCreate() ac() {
    hook('afterCreate', this.n);
  }
  @BeforeDelete() bd() {
    hook('beforeDelete', this.n);
  }
  @AfterDelete() ad() {
    hook('afterDelete', this.n);
  }
}

// @Version: deleteAll goes item by item, version-checked; updateAll always does.
@Model({ table: 'pf_versioned' })
class Versioned extends BaseModel {
  @PartitionKey() group!: string;
  @SortKey({ type: Number }) n!: number;
  @Attribute() status?: string;
  @Version() version!: number;
  @BeforeUpdate() bu() {
    hook('beforeUpdate', this.n);
  }
  @AfterUpdate() au() {
    hook('afterUpdate', this.n);
  }
  @BeforeDelete() bd() {
    hook('beforeDelete', this.n);
  }
  @AfterDelete() ad() {
    hook('afterDelete', this.n);
  }
}

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);
// Numbers as read (wrapped, { value: '7' }) or as written (7).
const num = (v: unknown) => (v === undefined ? undefined : Number((v as { value?: string }).value ?? v));
const ns = (list: readonly unknown[]) => list.map((m) => (m as { n: number }).n);

/** What the table holds for the group, read past the models: [n, status, version] sorted by n. */
async function stored(table: string, group: string): Promise<Array<[number, unknown, unknown]>> {
  const conn = getConnection();
  const out = await conn.query({
    TableName: conn.tableName(table),
    KeyConditionExpression: '#g = :g',
    ExpressionAttributeNames: { '#g': 'group' },
    ExpressionAttributeValues: { ':g': group },
    ConsistentRead: true,
  });
  return (out.Items ?? []).map((i) => [num(i.n)!, i.status, num(i.version)] as [number, unknown, unknown]).sort((a, b) => a[0] - b[0]);
}
const storedNs = async (table: string, group: string) => (await stored(table, group)).map(([n]) => n);

async function seedNotes(group: string, count = 60): Promise<void> {
  await Note.batchCreate(range(count).map((n) => ({ group, n, status: 'new' })));
  log.length = 0;
}
async function seedVersioned(group: string, count = 60): Promise<void> {
  await Versioned.batchCreate(
    range(count).map((n) => ({ group, n, status: 'new' })),
    { overwrite: true },
  );
  log.length = 0;
}

describe('partial failures of batches and query-level writes (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  let table: string;
  let realWrite: ReturnType<typeof getConnection>['batchWrite'];

  before(async () => {
    await Promise.all([ensureTable(Note), ensureTable(Versioned)]);
  });
  beforeEach(() => {
    log.length = 0;
    onHook = undefined;
    const conn = getConnection();
    table = conn.tableName('pf_notes');
    realWrite = conn.batchWrite.bind(conn);
    sandbox.stub(Math, 'random').returns(0); // no backoff waits
  });
  afterEach(() => {
    onHook = undefined;
    sandbox.restore();
  });

  /** batchWrite as the server does it, except that `stuck` keys always come back unprocessed. */
  function leaveUnprocessed(stuck: (key: Record<string, unknown>) => boolean): sinon.SinonStub {
    return sandbox.stub(getConnection(), 'batchWrite').callsFake(async (input) => {
      const requests = input.RequestItems![table];
      const done = requests.filter((r) => !stuck((r.PutRequest?.Item ?? r.DeleteRequest!.Key)!));
      if (done.length > 0) await realWrite({ RequestItems: { [table]: done } });
      return { UnprocessedItems: { [table]: requests.filter((r) => !done.includes(r)) }, $metadata: {} };
    });
  }
  /** batchWrite as the server does it, except that the second request is refused as a whole. */
  function refuseSecondChunk(): sinon.SinonStub {
    const write = sandbox.stub(getConnection(), 'batchWrite');
    write.onSecondCall().rejects(Object.assign(new Error('User is not authorized to perform dynamodb:BatchWriteItem'), { name: 'AccessDeniedException' }));
    write.callsFake(realWrite);
    return write;
  }

  describe('batchCreate', () => {
    // Even items given as plain attributes, odd ones as instances from build().
    const inputsOf = (group: string) => range(60).map((n) => (n % 2 ? Note.build({ group, n, status: 'new' }) : { group, n, status: 'new' }));

    it('a @BeforeCreate throwing at item 40: that error, nothing written, no instance changed', async () => {
      const thrown = throwAt('beforeCreate', 40);
      const inputs = inputsOf('c1');
      const error = await Note.batchCreate(inputs).catch((e: unknown) => e);
      expect(error).to.equal(thrown);
      expect(await storedNs('pf_notes', 'c1')).to.deep.equal([]);
      expect(ran('afterCreate')).to.deep.equal([]);
      expect(inputs.filter((i) => i instanceof Note).every((i) => i.isNew && i.createdAt === undefined)).to.equal(true);
    });

    it('an @AfterCreate throwing at item 3: the first chunk stays written with all its after-hooks run, no further chunk is sent; BatchError', async () => {
      const thrown = throwAt('afterCreate', 3);
      const inputs = inputsOf('c2');
      const write = sandbox.spy(getConnection(), 'batchWrite');
      const error = await Note.batchCreate(inputs).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(message).to.match(/^Note\.batchCreate: 25 done, 35 not done: \(group="c2", n=25\), .* and 30 more\. afterCreate refused item 3/);
      expect(write.callCount).to.equal(1);
      expect(await storedNs('pf_notes', 'c2')).to.deep.equal(range(25));
      expect(ran('afterCreate')).to.deep.equal(range(25)); // items 4-24 too, after item 3's hook threw
      // .completed: the instances written, persisted (a throwing after-hook undoes nothing); the odd ones are the caller's own.
      expect(ns(completed)).to.deep.equal(range(25));
      expect(completed.every((m) => m instanceof Note && !m.isNew && m.createdAt instanceof Date)).to.equal(true);
      for (const n of [1, 3, 23]) expect(completed[n]).to.equal(inputs[n]);
      // .unprocessed: the rest exactly as passed (the same objects), instances as they were before the call.
      expect(unprocessed).to.have.ordered.members(inputs.slice(25));
      expect(
        inputs
          .slice(25)
          .filter((i) => i instanceof Note)
          .every((i) => i.isNew && i.createdAt === undefined),
      ).to.equal(true);
    });

    it('one item DynamoDB keeps leaving unprocessed: the rest of its chunk is written and settled, no further chunk; BatchError', async () => {
      const write = leaveUnprocessed((key) => num(key.n) === 30);
      const inputs = inputsOf('c3');
      const error = await Note.batchCreate(inputs).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect(cause).to.equal(undefined);
      expect(message).to.include('Note.batchCreate: 49 done, 11 not done: (group="c3", n=30), (group="c3", n=50)').and.include('after 8 attempts');
      expect(write.callCount).to.equal(1 + 8); // chunk 1, chunk 2 sent 8 times, chunk 3 never
      const written = range(50).filter((n) => n !== 30);
      expect(await storedNs('pf_notes', 'c3')).to.deep.equal(written);
      expect(ran('afterCreate')).to.deep.equal(written);
      expect(ns(completed)).to.deep.equal(written);
      expect(completed.every((m) => m instanceof Note && !m.isNew)).to.equal(true);
      expect(unprocessed).to.have.ordered.members([inputs[30], ...inputs.slice(50)]);
      expect((inputs[51] as Note).isNew).to.equal(true);
    });

    it('a chunk DynamoDB refuses as a whole lands in .unprocessed; the chunk before it stays written', async () => {
      refuseSecondChunk();
      const inputs = inputsOf('c4');
      const error = await Note.batchCreate(inputs).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect(cause).to.be.instanceOf(DynamormError);
      expect(message).to.include('Note.batchCreate: 25 done, 35 not done').and.include('not authorized');
      expect(await storedNs('pf_notes', 'c4')).to.deep.equal(range(25));
      expect(ns(completed)).to.deep.equal(range(25));
      expect(unprocessed).to.have.ordered.members(inputs.slice(25));
      expect(ran('afterCreate')).to.deep.equal(range(25));
    });

    it('a Lambda deadline passing after the first chunk: LambdaTimeoutError with .completed and .unprocessed', async () => {
      const clock = sandbox.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      onHook = (event, n) => {
        if (event === 'afterCreate' && n === 24) clock.tick(120_000); // the function's time runs out here
      };
      const inputs = inputsOf('c5');
      const error = await withLambdaTimeout({ getRemainingTimeInMillis: () => 60_000 }, () => Note.batchCreate(inputs)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      expect(error).not.to.be.instanceOf(BatchError);
      const { completed, unprocessed, outcome, cause } = error as LambdaTimeoutError;
      expect(outcome).to.equal('not-sent');
      expect(cause).to.be.instanceOf(LambdaTimeoutError);
      expect(ns(completed!)).to.deep.equal(range(25));
      expect(unprocessed).to.have.ordered.members(inputs.slice(25));
      expect(await storedNs('pf_notes', 'c5')).to.deep.equal(range(25));
    });
  });

  describe('deleteAll, in BatchWriteItem chunks', () => {
    const all = (group: string) => Note.where('group', '=', group);

    it('a @BeforeDelete throwing at item 30: every before-hook runs before anything is sent, so nothing is deleted; that error', async () => {
      await seedNotes('d1');
      const thrown = throwAt('beforeDelete', 30);
      const write = sandbox.spy(getConnection(), 'batchWrite');
      const error = await all('d1')
        .deleteAll()
        .catch((e: unknown) => e);
      expect(error).to.equal(thrown);
      expect(write.callCount).to.equal(0);
      expect(await storedNs('pf_notes', 'd1')).to.deep.equal(range(60));
      expect(ran('afterDelete')).to.deep.equal([]);
    });

    it('one key stuck in UnprocessedItems: the others of its chunk are deleted with their @AfterDelete, no further chunk; BatchError', async () => {
      await seedNotes('d2');
      leaveUnprocessed((key) => num(key.n) === 30);
      const error = await all('d2')
        .deleteAll()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, message } = error as BatchError;
      expect(message).to.include('Note.where(...).deleteAll: 49 done, 11 not done: (group="d2", n=30)');
      const deleted = range(50).filter((n) => n !== 30);
      expect(await storedNs('pf_notes', 'd2')).to.deep.equal([30, ...range(10, 50)]);
      expect(ran('afterDelete')).to.deep.equal(deleted);
      // .completed: the instances deleted (no longer persisted); .unprocessed: the matches not deleted, as read.
      expect(ns(completed)).to.deep.equal(deleted);
      expect(completed.every((m) => m instanceof Note && m.isNew)).to.equal(true);
      expect(ns(unprocessed)).to.deep.equal([30, ...range(10, 50)]);
      expect(unprocessed.every((m) => m instanceof Note && !m.isNew && m.status === 'new')).to.equal(true);
    });

    it('an @AfterDelete throwing at item 30: every after-hook of that chunk runs, the deletes stand, no further chunk; BatchError', async () => {
      await seedNotes('d3');
      const thrown = throwAt('afterDelete', 30);
      const error = await all('d3')
        .deleteAll()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(await storedNs('pf_notes', 'd3')).to.deep.equal(range(10, 50));
      expect(ran('afterDelete')).to.deep.equal(range(50));
      expect(ns(completed)).to.deep.equal(range(50));
      expect(ns(unprocessed)).to.deep.equal(range(10, 50));
    });
  });

  describe('deleteAll, item by item (@Version)', () => {
    const all = (group: string) => Versioned.where('group', '=', group);

    it('a @BeforeDelete throwing at item 30: the 30 deleted are .completed, the rest .unprocessed; BatchError', async () => {
      await seedVersioned('v1');
      const thrown = throwAt('beforeDelete', 30);
      const error = await all('v1')
        .deleteAll()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(message).to.match(/^Versioned\.where\(\.\.\.\)\.deleteAll: 30 done, 30 not done: \(group="v1", n=30\), .*beforeDelete refused item 30/);
      expect(await storedNs('pf_versioned', 'v1')).to.deep.equal(range(30, 30));
      expect(ran('afterDelete')).to.deep.equal(range(30));
      expect(ns(completed)).to.deep.equal(range(30));
      expect(completed.every((m) => m instanceof Versioned && m.isNew)).to.equal(true);
      expect(ns(unprocessed)).to.deep.equal(range(30, 30));
      expect(unprocessed.every((m) => m instanceof Versioned && !m.isNew && m.version === 1)).to.equal(true);
    });

    it('a @BeforeDelete throwing at the first item: nothing was sent, so that error as it is', async () => {
      await seedVersioned('v2', 3);
      const thrown = throwAt('beforeDelete', 0);
      expect(
        await all('v2')
          .deleteAll()
          .catch((e: unknown) => e),
      ).to.equal(thrown);
      expect(await storedNs('pf_versioned', 'v2')).to.deep.equal(range(3));
    });

    it('an @AfterDelete throwing at item 3: item 3 stays deleted and is in .completed; BatchError', async () => {
      await seedVersioned('v3', 10);
      const thrown = throwAt('afterDelete', 3);
      const error = await all('v3')
        .deleteAll()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(await storedNs('pf_versioned', 'v3')).to.deep.equal(range(6, 4));
      expect(ns(completed)).to.deep.equal(range(4));
      expect((completed[3] as Versioned).isNew).to.equal(true);
      expect(ns(unprocessed)).to.deep.equal(range(6, 4));
    });
  });

  describe('updateAll', () => {
    const all = (group: string) => Versioned.where('group', '=', group);

    it('a @BeforeUpdate throwing at item 30: .completed the 30 saved (as stored), .unprocessed the rest as read; BatchError', async () => {
      await seedVersioned('u1');
      const thrown = throwAt('beforeUpdate', 30);
      const error = await all('u1')
        .updateAll({ status: 'done' })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(message).to.match(/^Versioned\.where\(\.\.\.\)\.updateAll: 30 done, 30 not done: \(group="u1", n=30\)/);
      expect(await stored('pf_versioned', 'u1')).to.deep.equal(range(60).map((n) => (n < 30 ? [n, 'done', 2] : [n, 'new', 1])));
      expect(ran('afterUpdate')).to.deep.equal(range(30));
      expect((completed as Versioned[]).map((m) => [m.n, m.status, m.version, m.changedAttributes()])).to.deep.equal(range(30).map((n) => [n, 'done', 2, []]));
      // Item 30 got the change, then its hook threw: the change is taken back, as it is not stored.
      expect((unprocessed as Versioned[]).map((m) => [m.n, m.status, m.version, m.changedAttributes()])).to.deep.equal(
        range(30, 30).map((n) => [n, 'new', 1, []]),
      );
    });

    it('an @AfterUpdate throwing at item 3: item 3 stays saved and is in .completed; BatchError', async () => {
      await seedVersioned('u2', 10);
      const thrown = throwAt('afterUpdate', 3);
      const error = await all('u2')
        .updateAll({ status: 'done' })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(await stored('pf_versioned', 'u2')).to.deep.equal(range(10).map((n) => (n < 4 ? [n, 'done', 2] : [n, 'new', 1])));
      expect((completed as Versioned[]).map((m) => [m.n, m.status, m.version])).to.deep.equal(range(4).map((n) => [n, 'done', 2]));
      expect(ns(unprocessed)).to.deep.equal(range(6, 4));
    });

    it('a Lambda deadline passing mid-run: LambdaTimeoutError with .completed and .unprocessed, the item refused as it was read', async () => {
      await seedVersioned('u3', 20);
      const clock = sandbox.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      onHook = (event, n) => {
        if (event === 'afterUpdate' && n === 9) clock.tick(120_000);
      };
      const error = await withLambdaTimeout({ getRemainingTimeInMillis: () => 60_000 }, () => all('u3').updateAll({ status: 'done' })).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      const { completed, unprocessed, outcome } = error as LambdaTimeoutError;
      expect(outcome).to.equal('not-sent');
      expect(ns(completed!)).to.deep.equal(range(10));
      expect((unprocessed as Versioned[]).map((m) => [m.n, m.status, m.version])).to.deep.equal(range(10, 10).map((n) => [n, 'new', 1]));
      expect(await stored('pf_versioned', 'u3')).to.deep.equal(range(20).map((n) => (n < 10 ? [n, 'done', 2] : [n, 'new', 1])));
    });
  });

  describe('batchDelete', () => {
    it('of instances, a @BeforeDelete throwing at item 30: nothing is deleted, that error, the instances still persisted', async () => {
      await seedNotes('b1');
      const notes = await Note.where('group', '=', 'b1').all();
      const thrown = throwAt('beforeDelete', 30);
      expect(await Note.batchDelete(notes).catch((e: unknown) => e)).to.equal(thrown);
      expect(await storedNs('pf_notes', 'b1')).to.deep.equal(range(60));
      expect(notes.every((m) => !m.isNew)).to.equal(true);
    });

    it('of instances, an @AfterDelete throwing at item 3: the first chunk stays deleted, its after-hooks all run; BatchError', async () => {
      await seedNotes('b2');
      const notes = await Note.where('group', '=', 'b2').all();
      const thrown = throwAt('afterDelete', 3);
      const error = await Note.batchDelete(notes).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause } = error as BatchError;
      expect(cause).to.equal(thrown);
      expect(await storedNs('pf_notes', 'b2')).to.deep.equal(range(35, 25));
      expect(ran('afterDelete')).to.deep.equal(range(25));
      expect(completed).to.have.ordered.members(notes.slice(0, 25));
      expect(unprocessed).to.have.ordered.members(notes.slice(25));
      expect(notes.map((m) => m.isNew)).to.deep.equal(range(60).map((n) => n < 25));
    });

    it('of keys, the second chunk refused: .completed and .unprocessed are the keys as passed, no hooks run; BatchError', async () => {
      await seedNotes('b3');
      refuseSecondChunk();
      const keys = range(60).map((n) => ({ group: 'b3', n }));
      const error = await Note.batchDelete(keys).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      const { completed, unprocessed, cause } = error as BatchError;
      expect(cause).to.be.instanceOf(DynamormError);
      expect(completed).to.have.ordered.members(keys.slice(0, 25));
      expect(unprocessed).to.have.ordered.members(keys.slice(25));
      expect(log).to.deep.equal([]);
      expect(await storedNs('pf_notes', 'b3')).to.deep.equal(range(35, 25));
    });
  });
});
