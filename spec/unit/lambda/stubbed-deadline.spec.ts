// withLambdaTimeout with the Connection stubbed the way DESIGN §10 and the README tell users
// to test (stubConnection(sandbox), sinon.stub(getConnection(), 'get')): DESIGN §8's one
// invoker calls the public Connection method — the stub — with `{ abortSignal }` and races
// its promise against the deadline, under the log record and the request span. Time is
// sinon's fake clock, so no test waits or measures.
import { expect } from 'chai';
import sinon from 'sinon';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  Attribute,
  BaseModel,
  Connection,
  LambdaTimeoutError,
  Model,
  PartitionKey,
  SortKey,
  transaction,
  withLambdaTimeout,
  type RequestLogRecord,
} from '../../../lib';
import { invoke } from '../../../lib/connection/invoke';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';
import { RecordingTracer } from '../../support/recording-tracer';

@Model({ table: 'inv_things' })
class Thing extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
}

@Model({ table: 'inv_events' })
class Event extends BaseModel {
  @PartitionKey() stream!: string;
  @SortKey({ type: Number }) n!: number;
}

/** A context with `ms` left, as Lambda gives it. */
const contextWith = (ms: number) => {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => end - Date.now() };
};

const never = () => new Promise<never>(() => undefined);

async function rejection(promise: Promise<unknown>): Promise<LambdaTimeoutError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => {
      expect(error).to.be.instanceOf(LambdaTimeoutError);
      return error as LambdaTimeoutError;
    },
  );
}

const withSignal = sinon.match({ abortSignal: sinon.match.instanceOf(AbortSignal) });

/** The options a stub's call received, its abortSignal checked to be the only key. */
function signalOf(stub: sinon.SinonStub, call = 0): AbortSignal {
  const options = stub.getCall(call).args[1] as { abortSignal: AbortSignal };
  expect(options).to.have.all.keys('abortSignal');
  return options.abortSignal;
}

describe('withLambdaTimeout with a stubbed Connection', () => {
  const sandbox = sinon.createSandbox();
  let clock: sinon.SinonFakeTimers;
  let conn: StubbedConnection;

  beforeEach(() => {
    clock = sandbox.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    conn = stubConnection(sandbox);
  });
  afterEach(() => sandbox.restore());

  describe('a read (find)', () => {
    it("a stub that never answers: the call rejects at the deadline ('unknown'), the stub got the deadline's signal, aborted then", async () => {
      conn.get.callsFake(never);
      const pending = rejection(withLambdaTimeout(contextWith(1_500), () => Thing.find('1')));
      await clock.tickAsync(999);
      const signal = signalOf(conn.get);
      expect(signal.aborted).to.equal(false);
      await clock.tickAsync(1);
      const error = await pending;
      expect(error).to.include({ outcome: 'unknown', operation: 'GetItem', table: 'inv_things', model: 'Thing' });
      expect(error.params).to.deep.equal({ TableName: 'inv_things', Key: { id: '1' } });
      sinon.assert.calledOnceWithExactly(conn.get, { TableName: 'inv_things', Key: { id: '1' } }, withSignal);
      expect(signal.aborted).to.equal(true);
      expect(clock.countTimers()).to.equal(0);
    });

    it("sinon.stub(getConnection(), 'get') on a real connection: the same", async () => {
      sandbox.restore();
      clock = sandbox.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const real = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      try {
        const get = sandbox.stub(real, 'get').callsFake(never);
        const pending = rejection(withLambdaTimeout(contextWith(1_500), () => real.run(() => Thing.get('1'))));
        await clock.tickAsync(1_000);
        expect((await pending).outcome).to.equal('unknown');
        expect(get.calledWith({ TableName: 'inv_things', Key: { id: '1' } }, withSignal)).to.equal(true);
        expect(signalOf(get).aborted).to.equal(true);
      } finally {
        real.close();
      }
    });

    it("the deadline already passed: 'not-sent', the stub is not called", async () => {
      const error = await rejection(withLambdaTimeout(contextWith(300), () => Thing.find('1')));
      expect(error).to.include({ outcome: 'not-sent', operation: 'GetItem', table: 'inv_things', model: 'Thing' });
      sinon.assert.notCalled(conn.get);
    });

    it("a stub that answers in time: its answer, the signal not aborted; the caller's own signal is merged, not replaced", async () => {
      conn.get.resolves({ Item: { id: '1', name: 'Ann' } });
      const mine = new AbortController();
      const thing = await withLambdaTimeout(contextWith(3_000), () => Thing.find('1', { abortSignal: mine.signal }));
      expect(thing.name).to.equal('Ann');
      const signal = signalOf(conn.get);
      expect(signal).not.to.equal(mine.signal);
      expect(signal.aborted).to.equal(false);
      mine.abort();
      expect(signal.aborted).to.equal(true);
    });

    it('a bare stub (no behaviour: it returns undefined) is read as an empty answer, not a TypeError', async () => {
      conn.get.returns(undefined as never);
      const found = await withLambdaTimeout(contextWith(3_000), () => Thing.get('1'));
      expect(found).to.equal(undefined);
      sinon.assert.calledOnce(conn.get);
    });
  });

  it('the abandoned request is logged once and traced once, with its LambdaTimeoutError', async () => {
    sandbox.restore();
    clock = sandbox.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const records: RequestLogRecord[] = [];
    const tracer = new RecordingTracer();
    conn = stubConnection(sandbox, { tablePrefix: 'dev_', logger: (r) => records.push(r), tracer });
    conn.get.callsFake(never);
    const pending = rejection(withLambdaTimeout(contextWith(1_500), () => Thing.find('1')));
    await clock.tickAsync(1_000);
    const error = await pending;
    expect(error.outcome).to.equal('unknown');
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ operation: 'GetItem', table: 'dev_inv_things', error });
    expect(tracer.tree()).to.deep.equal(['Thing.find', 'Thing.find > GetItem dev_inv_things']);
    const request = tracer.spans[1];
    expect(request.ended).to.equal(1);
    expect(request.exceptions).to.deep.equal([error]);
    expect(request.status).to.deep.equal({ code: 2, message: error.message });
    expect(request.attributes['error.type']).to.equal('LambdaTimeoutError');
    expect(tracer.spans[0].ended).to.equal(1);

    // Refused before sending: logged and traced as well, the stub not called.
    records.length = 0;
    tracer.clear();
    conn.get.resetHistory();
    const refused = await rejection(withLambdaTimeout(contextWith(100), () => Thing.find('2')));
    expect(refused.outcome).to.equal('not-sent');
    sinon.assert.notCalled(conn.get);
    expect(records).to.have.length(1);
    expect(records[0].error).to.equal(refused);
    expect(tracer.tree()).to.deep.equal(['Thing.find', 'Thing.find > GetItem dev_inv_things']);
    expect(tracer.spans[1].exceptions).to.deep.equal([refused]);
  });

  it('a query with pages: every page carries the signal; the page in flight at the deadline stops the query, no page follows', async () => {
    conn.query.onFirstCall().resolves({ Items: [{ stream: 's', n: 1 }], LastEvaluatedKey: { stream: 's', n: 1 } });
    conn.query.onSecondCall().callsFake(never);
    const pending = rejection(withLambdaTimeout(contextWith(1_500), () => Event.where('stream', '=', 's').all()));
    await clock.tickAsync(5_000);
    const error = await pending;
    expect(error).to.include({ outcome: 'unknown', operation: 'Query', table: 'inv_events', model: 'Event' });
    expect(error.params).to.deep.include({ ExclusiveStartKey: { stream: 's', n: 1 } });
    sinon.assert.calledTwice(conn.query);
    expect(signalOf(conn.query, 0)).to.equal(signalOf(conn.query, 1));
    expect(signalOf(conn.query, 1).aborted).to.equal(true);
  });

  it('a batch with retries: each resend carries the signal; the one after the deadline is refused, the error lists what was not written', async () => {
    sandbox.stub(Math, 'random').returns(0.999);
    // Everything left unprocessed: sends at about 0, 50, 150, 350 and 750 ms; the next backoff ends at the deadline (1 s).
    conn.batchWrite.callsFake(async (input) => ({ UnprocessedItems: input.RequestItems }));
    const pending = rejection(withLambdaTimeout(contextWith(1_500), () => Thing.batchCreate([{ id: '1' }, { id: '2' }])));
    await clock.tickAsync(5_000);
    const error = await pending;
    expect(error.outcome).to.equal('not-sent');
    expect(error.unprocessed).to.deep.equal([{ id: '1' }, { id: '2' }]);
    expect(error.completed).to.deep.equal([]);
    expect(conn.batchWrite.callCount).to.equal(5);
    for (let call = 0; call < 5; call++) expect(conn.batchWrite.getCall(call).calledWith(sinon.match.object, withSignal), `send ${call + 1}`).to.equal(true);
    expect(clock.countTimers()).to.equal(0);
  });

  it("a transaction whose TransactWriteItems never answers: 'unknown', naming every table", async () => {
    conn.transactWrite.callsFake(never);
    const pending = rejection(
      withLambdaTimeout(contextWith(1_500), () =>
        transaction((tx) => {
          tx.create(Thing.build({ id: '1' }));
          tx.create(Event.build({ stream: 's', n: 1 }));
        }),
      ),
    );
    await clock.tickAsync(1_000);
    const error = await pending;
    expect(error).to.include({ outcome: 'unknown', operation: 'TransactWriteItems', table: 'inv_things,inv_events' });
    sinon.assert.calledOnce(conn.transactWrite);
    expect(signalOf(conn.transactWrite).aborted).to.equal(true);
  });

  describe('outside a deadline', () => {
    it("the invoker is the method call itself: the stub's promise and the caller's options, unchanged", () => {
      const answer = Promise.resolve({ Item: { id: '1' } });
      conn.get.returns(answer);
      const options = { abortSignal: new AbortController().signal };
      const input = { TableName: 'inv_things', Key: { id: '1' } };
      expect(invoke(conn, 'get', input, options)).to.equal(answer);
      expect(conn.get.firstCall.args[0]).to.equal(input);
      expect(conn.get.firstCall.args[1]).to.equal(options);
      // Only the arguments are checked: the promise is the stub's `answer`, already resolved.
      void invoke(conn, 'get', input);
      expect(conn.get.secondCall.args).to.deep.equal([input, undefined]);
    });

    it('with a logger, a stub gets what the caller gave (no options added) and its request is logged once', async () => {
      sandbox.restore();
      const records: RequestLogRecord[] = [];
      conn = stubConnection(sandbox, { logger: (r) => records.push(r) });
      conn.get.resolves({ Item: { id: '1' } });
      await Thing.find('1');
      expect(conn.get.firstCall.args).to.deep.equal([{ TableName: 'inv_things', Key: { id: '1' } }, undefined]);
      expect(records.map((r) => r.operation)).to.deep.equal(['GetItem']);
    });
  });

  describe('a real Connection method, called by the invoker', () => {
    type Send = sinon.SinonStub<[command: { input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }], Promise<unknown>>;

    function realConnection(config: ConstructorParameters<typeof Connection>[0]): { real: Connection; send: Send } {
      const real = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, ...config });
      const send = sandbox.stub((real as unknown as { document: DynamoDBDocumentClient }).document, 'send') as unknown as Send;
      return { real, send };
    }

    it('is raced, logged and traced once, not a second time beneath the invoker', async () => {
      sandbox.restore();
      clock = sandbox.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const records: RequestLogRecord[] = [];
      const tracer = new RecordingTracer();
      const { real, send } = realConnection({ logger: (r) => records.push(r), tracer });
      try {
        send.resolves({ Item: { id: '1', name: 'Ann' }, $metadata: { attempts: 1 } });
        const thing = await withLambdaTimeout(contextWith(3_000), () => real.run(() => Thing.find('1')));
        expect(thing.name).to.equal('Ann');
        expect(records.map((r) => r.operation)).to.deep.equal(['GetItem']);
        expect(tracer.tree()).to.deep.equal(['Thing.find', 'Thing.find > GetItem inv_things']);
        expect(send.firstCall.args[1]?.abortSignal?.aborted).to.equal(false);

        // Abandoned at the deadline: one record, one request span, both with the error.
        records.length = 0;
        tracer.clear();
        send.callsFake(never);
        const pending = rejection(withLambdaTimeout(contextWith(1_500), () => real.run(() => Thing.find('2'))));
        await clock.tickAsync(1_000);
        const error = await pending;
        expect(error.outcome).to.equal('unknown');
        expect(records).to.have.length(1);
        expect(records[0].error).to.equal(error);
        expect(tracer.tree()).to.deep.equal(['Thing.find', 'Thing.find > GetItem inv_things']);
        expect(tracer.spans[1].exceptions).to.deep.equal([error]);
        expect(clock.countTimers()).to.equal(0);
      } finally {
        real.close();
      }
    });

    it('a stub that calls through to the real method: one record, not two', async () => {
      sandbox.restore();
      const records: RequestLogRecord[] = [];
      const { real, send } = realConnection({ logger: (r) => records.push(r) });
      try {
        send.resolves({ $metadata: {} });
        const get = sandbox.stub(real, 'get').callThrough();
        await withLambdaTimeout(contextWith(3_000), () => real.run(() => Thing.get('1')));
        sinon.assert.calledOnce(get);
        sinon.assert.calledOnce(send);
        expect(records.map((r) => r.operation)).to.deep.equal(['GetItem']);
        // A direct call of the same method, outside the model layer, is logged as before.
        await real.get({ TableName: 'inv_things', Key: { id: '1' } });
        expect(records.map((r) => r.operation)).to.deep.equal(['GetItem', 'GetItem']);
      } finally {
        real.close();
      }
    });

    it("returnConsumedCapacity is asked for beneath a stub: the stub sees the model's request as it is", async () => {
      sandbox.restore();
      const records: RequestLogRecord[] = [];
      conn = stubConnection(sandbox, { logger: (r) => records.push(r), returnConsumedCapacity: 'TOTAL' });
      await Thing.get('1');
      expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: 'inv_things', Key: { id: '1' } });
      const { real, send } = realConnection({ logger: (r) => records.push(r), returnConsumedCapacity: 'TOTAL' });
      try {
        send.resolves({ $metadata: {}, ConsumedCapacity: { TableName: 'inv_things', CapacityUnits: 0.5 } });
        await real.run(() => Thing.get('1'));
        expect(send.firstCall.args[0].input).to.deep.equal({ TableName: 'inv_things', Key: { id: '1' }, ReturnConsumedCapacity: 'TOTAL' });
        expect(records[1].consumedCapacity).to.deep.equal({ TableName: 'inv_things', CapacityUnits: 0.5 });
      } finally {
        real.close();
      }
    });
  });
});
