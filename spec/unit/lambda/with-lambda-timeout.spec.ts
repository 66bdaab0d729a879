// withLambdaTimeout (DESIGN §8): every request made inside carries the deadline's signal and
// is raced against it. The transport under the Connection (the DocumentClient's or the
// client's `send`) is stubbed, so what is checked is what a real Connection sends, through
// the model layer's invoker or called directly; time is sinon's fake clock, so no test waits
// or measures. With the Connection's methods themselves stubbed: stubbed-deadline.spec.ts.
import { expect } from 'chai';
import sinon from 'sinon';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Attribute, BaseModel, BatchError, Connection, DynamormError, LambdaTimeoutError, Model, PartitionKey, SortKey, withLambdaTimeout } from '../../../lib';
import { currentDeadline } from '../../../lib/connection/deadline';
import type { RequestLogRecord } from '../../../lib/observability/observability-options';

@Model({ table: 'lt_things' })
class Thing extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
}

@Model({ table: 'lt_events' })
class Event extends BaseModel {
  @PartitionKey() stream!: string;
  @SortKey({ type: Number }) n!: number;
}

type SendStub = sinon.SinonStub<[command: { input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }], Promise<unknown>>;

/** The DocumentClient (data operations) or client (table operations) send of a connection, stubbed. */
function transport(sandbox: sinon.SinonSandbox, conn: Connection, via: 'document' | 'client' = 'document'): SendStub {
  const sender = via === 'document' ? (conn as unknown as { document: DynamoDBDocumentClient }).document : conn.client;
  return sandbox.stub(sender, 'send') as unknown as SendStub;
}

/** A context with `ms` left, as Lambda gives it. */
const contextWith = (ms: number) => {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => end - Date.now() };
};

const never = () => new Promise<never>(() => undefined);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('withLambdaTimeout', () => {
  const sandbox = sinon.createSandbox();
  let conn: Connection;
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    conn = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, tablePrefix: 'dev_' });
    clock = sandbox.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    sandbox.restore();
    conn.close();
  });

  describe('without a deadline', () => {
    it("a Connection method returns the SDK's own promise, untouched", () => {
      const fromSdk = Promise.resolve({ Item: { id: '1' } });
      const send = transport(sandbox, conn).returns(fromSdk);
      const options = { abortSignal: new AbortController().signal };
      expect(conn.get({ TableName: 'dev_lt_things', Key: { id: '1' } }, options)).to.equal(fromSdk);
      expect(send.firstCall.args[1]).to.equal(options);

      const described = Promise.resolve({ Table: {} });
      transport(sandbox, conn, 'client').returns(described);
      expect(conn.describeTable({ TableName: 'dev_lt_things' })).to.equal(described);
      expect(currentDeadline()).to.equal(undefined);
    });
  });

  describe('a request sent before the deadline', () => {
    it('carries the deadline signal, is a new promise, and resolves with what the SDK answered', async () => {
      const answer = { Item: { id: '1', name: 'Ann' } };
      const fromSdk = Promise.resolve(answer);
      const send = transport(sandbox, conn).returns(fromSdk);
      const thing = await withLambdaTimeout(contextWith(3_000), async () => {
        const sent = conn.get({ TableName: 'dev_lt_things', Key: { id: '1' } });
        expect(sent).not.to.equal(fromSdk);
        expect(await sent).to.equal(answer);
        return conn.run(() => Thing.find('1'));
      });
      expect(thing.name).to.equal('Ann');
      const signal = send.firstCall.args[1]?.abortSignal;
      expect(signal).to.be.instanceOf(AbortSignal);
      expect(signal?.aborted).to.equal(false);
      // The deadline's timer ended with the scope.
      expect(clock.countTimers()).to.equal(0);
    });

    it("merges the caller's abortSignal: the caller's abort stays the SDK's error, not a timeout", async () => {
      const send = transport(sandbox, conn).callsFake(
        (_command, options) =>
          new Promise((_resolve, reject) => {
            options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
          }),
      );
      const mine = new AbortController();
      const error = await withLambdaTimeout(contextWith(3_000), async () => {
        const pending = rejection(conn.get({ TableName: 'dev_lt_things', Key: { id: '1' } }, { abortSignal: mine.signal }));
        mine.abort();
        return pending;
      });
      expect(error).not.to.be.instanceOf(LambdaTimeoutError);
      expect((error as Error).name).to.equal('AbortError');
      expect(send.firstCall.args[1]?.abortSignal).not.to.equal(mine.signal);
      expect(send.firstCall.args[1]?.abortSignal?.aborted).to.equal(true);
    });
  });

  describe('at the deadline', () => {
    it("refuses a request once the deadline has passed: outcome 'not-sent', naming operation, table and model", async () => {
      const send = transport(sandbox, conn);
      // 300 ms left, the default margin is 500 ms: the deadline is already behind us.
      const error = await rejection(withLambdaTimeout(contextWith(300), () => conn.run(() => Thing.find('1'))));
      expect(error).to.be.instanceOf(LambdaTimeoutError).and.instanceOf(DynamormError);
      const timeout = error as LambdaTimeoutError;
      expect(timeout.outcome).to.equal('not-sent');
      expect(timeout).to.include({ operation: 'GetItem', table: 'dev_lt_things', model: 'Thing', name: 'LambdaTimeoutError' });
      expect(timeout.message).to.include("GetItem on table 'dev_lt_things' (Thing) was not sent");
      expect(timeout.message).to.include('500 ms before');
      expect(timeout.message).to.include("raise the function's timeout");
      expect(timeout.params).to.deep.equal({ TableName: 'dev_lt_things', Key: { id: '1' } });
      sinon.assert.notCalled(send);
    });

    it("aborts a request in flight whose client ignores the signal: outcome 'unknown'", async () => {
      const send = transport(sandbox, conn).callsFake(never);
      const pending = rejection(withLambdaTimeout(contextWith(1_500), () => conn.run(() => Thing.create({ id: '1' }))));
      await clock.tickAsync(1_000);
      const error = (await pending) as LambdaTimeoutError;
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      expect(error.outcome).to.equal('unknown');
      expect(error.message).to.include("PutItem on table 'dev_lt_things' (Thing) was aborted in flight");
      expect(error.message).to.include('may have been applied');
      sinon.assert.calledOnce(send);
      expect(send.firstCall.args[1]?.abortSignal?.aborted).to.equal(true);
    });

    it('a request abandoned at the deadline still reaches the logger, as its LambdaTimeoutError', async () => {
      const records: RequestLogRecord[] = [];
      const logged = new Connection({
        region: 'local',
        endpoint: 'http://127.0.0.1:1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        tablePrefix: 'dev_',
        logger: (r) => records.push(r),
      });
      try {
        transport(sandbox, logged).callsFake(never);
        const pending = rejection(withLambdaTimeout(contextWith(1_500), () => logged.run(() => Thing.create({ id: '1' }))));
        await clock.tickAsync(1_000);
        const error = await pending;
        expect(error).to.be.instanceOf(LambdaTimeoutError);
        expect(records).to.have.length(1);
        expect(records[0]).to.include({ operation: 'PutItem', table: 'dev_lt_things', error });
      } finally {
        logged.close();
      }
    });

    it('a request whose SDK rejects on the abort (AbortError) is a LambdaTimeoutError too', async () => {
      const aborted = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      transport(sandbox, conn, 'client').callsFake(
        (_command, options) =>
          new Promise((_resolve, reject) => {
            options?.abortSignal?.addEventListener('abort', () => reject(aborted));
          }),
      );
      const pending = rejection(withLambdaTimeout(contextWith(1_000), () => conn.listTables({}), { marginMs: 200 }));
      await clock.tickAsync(800);
      const error = (await pending) as LambdaTimeoutError;
      expect(error.outcome).to.equal('unknown');
      expect(error.operation).to.equal('ListTables');
      expect(error.message).to.include('200 ms before');
    });

    it('transactions are raced too, and name every table', async () => {
      transport(sandbox, conn).callsFake(never);
      const pending = rejection(
        withLambdaTimeout(contextWith(1_000), () =>
          conn.transactWrite({
            TransactItems: [{ Put: { TableName: 'dev_lt_things', Item: { id: '1' } } }, { Delete: { TableName: 'dev_lt_events', Key: { stream: 's', n: 1 } } }],
          }),
        ),
      );
      await clock.tickAsync(500);
      const error = (await pending) as LambdaTimeoutError;
      expect(error).to.include({ outcome: 'unknown', operation: 'TransactWriteItems', table: 'dev_lt_things,dev_lt_events' });
    });
  });

  describe('scopes', () => {
    it('nested calls take the earlier deadline, whichever is inside', async () => {
      const send = transport(sandbox, conn).callsFake(never);
      const outerFirst = withLambdaTimeout(contextWith(1_500), () =>
        withLambdaTimeout(contextWith(10_000), () => conn.get({ TableName: 't', Key: { id: 'a' } })),
      );
      const innerFirst = withLambdaTimeout(contextWith(10_000), () =>
        withLambdaTimeout(contextWith(1_500), () => conn.get({ TableName: 't', Key: { id: 'b' } })),
      );
      const settled = Promise.allSettled([outerFirst, innerFirst]);
      await clock.tickAsync(1_000);
      const [a, b] = await settled;
      expect(a.status === 'rejected' && (a.reason as LambdaTimeoutError).outcome).to.equal('unknown');
      expect(b.status === 'rejected' && (b.reason as LambdaTimeoutError).outcome).to.equal('unknown');
      sinon.assert.calledTwice(send);
    });

    it('the outer deadline is back once a nested call ends, and requests after the scope have none', async () => {
      transport(sandbox, conn).resolves({});
      await withLambdaTimeout(contextWith(10_000), async () => {
        const outer = currentDeadline();
        await withLambdaTimeout(contextWith(2_000), async () => {
          expect(currentDeadline()?.at).to.equal(Date.now() + 1_500);
        });
        expect(currentDeadline()).to.equal(outer);
        expect(outer?.at).to.equal(Date.now() + 9_500);
      });
      expect(currentDeadline()).to.equal(undefined);
      expect(clock.countTimers()).to.equal(0);
    });

    it('a context reporting Infinity sets no deadline (and keeps an outer one)', async () => {
      const fromSdk = Promise.resolve({});
      transport(sandbox, conn).returns(fromSdk);
      const unlimited = { getRemainingTimeInMillis: () => Infinity };
      expect(await withLambdaTimeout(unlimited, () => currentDeadline())).to.equal(undefined);
      await withLambdaTimeout(contextWith(2_000), async () => {
        const outer = currentDeadline();
        expect(await withLambdaTimeout(unlimited, () => currentDeadline())).to.equal(outer);
      });
      expect(clock.countTimers()).to.equal(0);
    });

    it('run() inside keeps the deadline, and the deadline keeps run()', async () => {
      const other = new Connection({
        region: 'local',
        endpoint: 'http://127.0.0.1:1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        tablePrefix: 'other_',
      });
      try {
        const mine = transport(sandbox, conn);
        const theirs = transport(sandbox, other);
        const inside = (await rejection(withLambdaTimeout(contextWith(100), () => other.run(() => Thing.find('1'))))) as LambdaTimeoutError;
        expect(inside.table).to.equal('other_lt_things');
        expect(inside.outcome).to.equal('not-sent');
        const outside = (await rejection(other.run(() => withLambdaTimeout(contextWith(100), () => Thing.find('1'))))) as LambdaTimeoutError;
        expect(outside.table).to.equal('other_lt_things');
        sinon.assert.notCalled(theirs);
        sinon.assert.notCalled(mine);
      } finally {
        other.close();
      }
    });
  });

  describe('multi-request operations stop at the deadline', () => {
    it('pagination: no page is requested after the deadline', async () => {
      // Each page takes 400 ms; the deadline is 1 s away: pages 1 and 2 arrive, page 3 is aborted.
      const send = transport(sandbox, conn).callsFake(
        (command) =>
          new Promise((resolve) => {
            const start = (command.input.ExclusiveStartKey as { n?: number } | undefined)?.n ?? 0;
            setTimeout(() => resolve({ Items: [{ stream: 's', n: start + 1 }], LastEvaluatedKey: { stream: 's', n: start + 1 } }), 400);
          }),
      );
      const pending = rejection(withLambdaTimeout(contextWith(1_500), () => conn.run(() => Event.where('stream', '=', 's').all())));
      await clock.tickAsync(5_000);
      const error = (await pending) as LambdaTimeoutError;
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      expect(error).to.include({ outcome: 'unknown', operation: 'Query', model: 'Event' });
      sinon.assert.calledThrice(send);
    });

    it('batch retries: the backoff ends at the deadline and the resend is refused; the LambdaTimeoutError lists what was not done', async () => {
      sandbox.stub(Math, 'random').returns(0.999);
      // DynamoDB leaves everything unprocessed: resends at about 0, 50, 150, 350 and 750 ms;
      // the next backoff (up to 800 ms) would end after the deadline (1 s), so it ends there.
      const send = transport(sandbox, conn).callsFake(async (command) => ({ UnprocessedItems: command.input.RequestItems }));
      const pending = rejection(withLambdaTimeout(contextWith(1_500), () => conn.run(() => Thing.batchCreate([{ id: '1' }, { id: '2' }]))));
      await clock.tickAsync(5_000);
      const error = (await pending) as LambdaTimeoutError;
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      expect(error).not.to.be.instanceOf(BatchError);
      expect(error.outcome).to.equal('not-sent');
      expect(error.unprocessed).to.deep.equal([{ id: '1' }, { id: '2' }]);
      expect(error.completed).to.deep.equal([]);
      expect(error.cause).to.be.instanceOf(LambdaTimeoutError);
      expect(send.callCount).to.equal(5);
      expect(clock.countTimers()).to.equal(0);
    });

    it('batch reads likewise', async () => {
      sandbox.stub(Math, 'random').returns(0.999);
      const send = transport(sandbox, conn).callsFake(async (command) => ({ Responses: {}, UnprocessedKeys: command.input.RequestItems }));
      const pending = rejection(withLambdaTimeout(contextWith(1_500), () => conn.run(() => Thing.batchGet(['1', '2']))));
      await clock.tickAsync(5_000);
      const error = (await pending) as LambdaTimeoutError;
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      expect(error.outcome).to.equal('not-sent');
      expect(error.unprocessed).to.deep.equal(['1', '2']); // as passed
      expect(send.callCount).to.equal(5);
    });
  });

  describe('bad input', () => {
    it('a context without getRemainingTimeInMillis, or a bad margin, is a DynamormError before fn runs', async () => {
      const fn = sinon.spy();
      const noContext = await rejection(withLambdaTimeout({} as never, fn));
      expect(noContext).to.be.instanceOf(DynamormError);
      expect((noContext as Error).message).to.include("pass the handler's second argument");
      for (const marginMs of [-1, Number.NaN, Infinity]) {
        const bad = await rejection(withLambdaTimeout(contextWith(1_000), fn, { marginMs }));
        expect((bad as Error).message).to.include('marginMs must be');
      }
      sinon.assert.notCalled(fn);
    });
  });
});
