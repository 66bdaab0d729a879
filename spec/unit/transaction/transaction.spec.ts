import { expect } from 'chai';
import sinon from 'sinon';
import {
  AfterCreate,
  Attribute,
  BaseModel,
  Model,
  PartitionKey,
  TransactionCanceledError,
  TransactionError,
  transaction,
  transactGet,
  UpdatedAt,
  Version,
} from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';
import { Connection } from '../../../lib/connection/connection';
import { rejection } from '../../support/thrown';
import { processState } from '../../../lib/process-state';
import { keepTransaction, MAX_KEPT_TOKENS } from '../../../lib/transaction/token-cache';

const created: string[] = [];

@Model({ table: 'ut_members' })
class Member extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) handle!: string;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  @AfterCreate() afterCreate() {
    created.push(this.id);
  }
}

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from the stub`), { name, $metadata: {} }, extra);
}

interface TransactInput {
  TransactItems: Array<Record<string, { Key?: Record<string, unknown>; Item?: Record<string, unknown> }>>;
  ClientRequestToken?: string;
}

describe('transaction (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 't_' });
    created.length = 0;
  });
  afterEach(() => sandbox.restore());

  it('after an unknown outcome, the same token re-sends the exact request without running the callback again; hooks run once', async () => {
    const clock = sandbox.useFakeTimers({ now: new Date('2026-03-04T05:06:07.000Z'), toFake: ['Date'] });
    conn.transactWrite.onFirstCall().rejects(awsError('TimeoutError'));
    const member = Member.build({ id: 'm1', handle: 'ann' });
    const callback = sinon.spy((tx: Parameters<Parameters<typeof transaction>[0]>[0]) => void tx.create(member));

    expect(await rejection(transaction(callback, { token: 'order-1' }))).to.have.property('name', 'DynamormError');
    // Nothing is known to be written: the instance is as it was.
    expect(member.isNew).to.equal(true);
    expect(member.version).to.equal(undefined);
    expect(created).to.deep.equal([]);

    clock.tick(60_000); // a retry a minute later stamps nothing new
    const models = await transaction(callback, { token: 'order-1' });
    expect(callback.callCount).to.equal(1);
    expect(conn.transactWrite.callCount).to.equal(2);
    expect(conn.transactWrite.secondCall.args[0]).to.deep.equal(conn.transactWrite.firstCall.args[0]);
    const sent = conn.transactWrite.firstCall.args[0] as TransactInput;
    expect(sent.ClientRequestToken).to.equal('order-1');
    expect(sent.TransactItems).to.have.length(2); // the member and its handle's guard
    expect(models).to.deep.equal([member]);
    expect(member.isNew).to.equal(false);
    expect(member.version).to.equal(1);
    expect(member.updatedAt.toISOString()).to.equal('2026-03-04T05:06:07.000Z');
    expect(created).to.deep.equal(['m1']);

    // A third call: same request again, same models, no hooks.
    expect(await transaction(callback, { token: 'order-1' })).to.equal(models);
    expect(created).to.deep.equal(['m1']);

    // After DynamoDB's 10-minute window the token is new again: the callback runs.
    clock.tick(10 * 60_000);
    const fresh = sinon.spy(() => undefined);
    await transaction(fresh, { token: 'order-1' });
    expect(fresh.callCount).to.equal(1);
    expect(conn.transactWrite.callCount).to.equal(3); // an empty transaction sends nothing
  });

  it('two concurrent calls with one token: the callback runs once and the after-hooks run once', async () => {
    let answer!: () => void;
    conn.transactWrite.onFirstCall().returns(
      new Promise((resolve) => {
        answer = () => resolve({});
      }),
    );
    const member = Member.build({ id: 'm10', handle: 'ivy' });
    const callback = sinon.spy((tx: Parameters<Parameters<typeof transaction>[0]>[0]) => void tx.create(member));
    const first = transaction(callback, { token: 'same' });
    await new Promise((resolve) => setImmediate(resolve)); // the first has sent and waits
    const second = await transaction(callback, { token: 'same' }); // DynamoDB answers the repeat at once
    answer();
    expect(await first).to.equal(second);
    expect(callback.callCount).to.equal(1);
    expect(conn.transactWrite.callCount).to.equal(2);
    expect(created).to.deep.equal(['m10']);
  });

  it('a call whose request failed after a concurrent call with its token went through resolves as applied', async () => {
    let fail!: () => void;
    conn.transactWrite.onFirstCall().returns(
      new Promise((_, reject) => {
        fail = () => reject(awsError('TimeoutError'));
      }),
    );
    const member = Member.build({ id: 'm11', handle: 'jo' });
    const first = transaction((tx) => void tx.create(member), { token: 'same-2' });
    await new Promise((resolve) => setImmediate(resolve));
    const second = await transaction(() => undefined, { token: 'same-2' });
    fail();
    expect(await first).to.equal(second);
    expect(member.isNew).to.equal(false); // not put back: the transaction was applied
    expect(member.version).to.equal(1);
    expect(created).to.deep.equal(['m11']);
  });

  it('IdempotentParameterMismatch is a TransactionError, and the token runs its callback afresh afterwards', async () => {
    conn.transactWrite.onFirstCall().rejects(awsError('IdempotentParameterMismatchException'));
    const error = await rejection(transaction((tx) => void tx.create(Member.build({ id: 'm2', handle: 'bo' })), { token: 't2' }));
    expect(error).to.be.instanceOf(TransactionError);
    expect((error as Error).message)
      .to.contain('"t2"')
      .and.contain('new token');
    const callback = sinon.spy((tx: Parameters<Parameters<typeof transaction>[0]>[0]) => void tx.create(Member.build({ id: 'm3', handle: 'cy' })));
    await transaction(callback, { token: 't2' });
    expect(callback.callCount).to.equal(1);
  });

  it('a release another item holds now (our owner expired) is dropped and the transaction sent once more', async () => {
    conn.get.resolves({ Item: { id: 'm4', handle: 'old', version: 1 } });
    const member = await Member.find('m4');
    member.handle = 'new';
    conn.transactWrite
      .onFirstCall()
      .rejects(awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }));
    await transaction((tx) => void tx.save(member));
    const [first, second] = conn.transactWrite.getCalls().map((c) => c.args[0] as TransactInput);
    expect(first.TransactItems.map((a) => Object.keys(a)[0])).to.deep.equal(['Update', 'Put', 'Delete']);
    expect(second.TransactItems.map((a) => Object.keys(a)[0])).to.deep.equal(['Update', 'Put']);
    expect(member.version).to.equal(2);
  });

  it('a cancellation whose reason is a reserve is UniqueConstraint on the operation, with one reason per operation', async () => {
    conn.transactWrite.rejects(
      awsError('TransactionCanceledException', {
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        ],
      }),
    );
    const error = await rejection(
      transaction((tx) => {
        tx.create(Member.build({ id: 'm5', handle: 'dee' }));
        tx.create(Member.build({ id: 'm6', handle: 'eve' }));
      }),
    );
    expect(error).to.be.instanceOf(TransactionCanceledError);
    const { reasons } = error as TransactionCanceledError;
    expect(reasons.map((r) => [r.index, r.code, r.attribute])).to.deep.equal([
      [0, 'None', undefined],
      [1, 'UniqueConstraint', 'handle'],
    ]);
    expect(reasons[1].key).to.deep.equal({ id: 'm6' });
  });

  it('transactGet: a cancellation is a TransactionCanceledError with a reason per key; keys are prefixed tables', async () => {
    conn.transactGet.rejects(awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }] }));
    const error = await rejection(transactGet([Member.key('m7')]));
    expect(error).to.be.instanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).to.deep.equal([
      { index: 0, model: 'Member', key: { id: 'm7' }, code: 'TransactionConflict', message: undefined },
    ]);
    expect(conn.transactGet.firstCall.args[0]).to.deep.equal({ TransactItems: [{ Get: { TableName: 't_ut_members', Key: { id: 'm7' } } }] });
  });

  it('keeps at most MAX_KEPT_TOKENS tokens per connection, dropping the oldest', async () => {
    const tokens = () => processState.keptTransactions.get(conn)!;
    const op = (tx: Parameters<Parameters<typeof transaction>[0]>[0]) => {
      tx.conditionCheck(Member, 'm9', 'attribute_exists(id)');
    };
    const filler = { composed: { items: [], spans: [] }, actions: [], models: [], stamps: [], settled: true };
    for (let i = 0; i < MAX_KEPT_TOKENS; i++) keepTransaction(conn, `t-${i}`, filler);
    await transaction(op, { token: `t-${MAX_KEPT_TOKENS}` });
    expect(tokens().size).to.equal(MAX_KEPT_TOKENS);
    expect(tokens().has('t-0')).to.equal(false);
    expect(tokens().has(`t-${MAX_KEPT_TOKENS}`)).to.equal(true);
    // Another connection's tokens are its own: the bound never drops them.
    const other = new Connection({ region: 'stub', tablePrefix: 'o_' });
    sandbox.stub(other, 'transactWrite').resolves({ $metadata: {} });
    await other.run(() => transaction(op, { token: 't-1' }));
    expect(processState.keptTransactions.get(other)!.size).to.equal(1);
    expect(tokens().size).to.equal(MAX_KEPT_TOKENS);
    tokens().clear();
  });

  describe('tokens are kept per connection', () => {
    type Tx = Parameters<Parameters<typeof transaction>[0]>[0];

    it('the same token on a second connection runs its callback and sends its own input through its own client', async () => {
      const other = new Connection({ region: 'stub', tablePrefix: 'o_' });
      const otherWrite = sandbox.stub(other, 'transactWrite').resolves({ $metadata: {} });
      const first = Member.build({ id: 'p1', handle: 'pat' });
      const second = Member.build({ id: 'p2', handle: 'sam' });
      const callbackA = sinon.spy((tx: Tx) => void tx.create(first));
      const callbackB = sinon.spy((tx: Tx) => void tx.create(second));

      const [a] = await transaction(callbackA, { token: 'event-7' });
      const [b] = await other.run(() => transaction(callbackB, { token: 'event-7' }));

      expect(callbackA.callCount).to.equal(1);
      expect(callbackB.callCount).to.equal(1);
      expect(a).to.equal(first);
      expect(b).to.equal(second);
      expect(conn.transactWrite.callCount).to.equal(1); // the first connection's input was not re-sent
      expect(otherWrite.callCount).to.equal(1);
      const sentA = conn.transactWrite.firstCall.args[0] as TransactInput;
      const sentB = otherWrite.firstCall.args[0] as TransactInput;
      expect(sentB.ClientRequestToken).to.equal('event-7');
      expect((sentB.TransactItems[0] as { Put: { TableName: string; Item: { id: string } } }).Put.TableName).to.equal('o_ut_members');
      expect((sentB.TransactItems[0] as { Put: { Item: { id: string } } }).Put.Item.id).to.equal('p2');
      expect((sentA.TransactItems[0] as { Put: { TableName: string } }).Put.TableName).to.equal('t_ut_members');
      expect(second.isNew).to.equal(false);
      expect(created).to.deep.equal(['p1', 'p2']);

      // A repeat on either connection replays that connection's own input, without its callback.
      expect(await transaction(callbackA, { token: 'event-7' })).to.deep.equal([first]);
      expect(await other.run(() => transaction(callbackB, { token: 'event-7' }))).to.deep.equal([second]);
      expect([callbackA.callCount, callbackB.callCount]).to.deep.equal([1, 1]);
      expect(conn.transactWrite.secondCall.args[0]).to.deep.equal(sentA);
      expect(otherWrite.secondCall.args[0]).to.deep.equal(sentB);
      expect(created).to.deep.equal(['p1', 'p2']);
    });

    it('a failure that settles the outcome forgets the token only on its own connection', async () => {
      const other = new Connection({ region: 'stub', tablePrefix: 'o_' });
      const otherWrite = sandbox
        .stub(other, 'transactWrite')
        .rejects(awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }));
      const callback = sinon.spy((tx: Tx) => void tx.create(Member.build({ id: `q${callback.callCount}`, handle: `q${callback.callCount}` })));
      await transaction(callback, { token: 'event-8' });
      expect(await rejection(other.run(() => transaction(callback, { token: 'event-8' })))).to.be.instanceOf(TransactionCanceledError);
      expect(callback.callCount).to.equal(2);
      await transaction(callback, { token: 'event-8' }); // still kept on the first connection
      expect(callback.callCount).to.equal(2);
      expect(conn.transactWrite.callCount).to.equal(2);
      expect(otherWrite.callCount).to.equal(1);
    });
  });

  it("types: transactGet resolves to a tuple of each key's model or undefined; builders and keys are checked", async () => {
    conn.transactGet.resolves({ Responses: [{ Item: { id: 'm8', handle: 'hal' } }, {}] });
    const [member, other] = await transactGet([Member.key('m8'), Member.key('m0')]);
    const typed: [Member | undefined, Member | undefined] = [member, other];
    expect(typed[0]?.handle).to.equal('hal');
    expect(other).to.equal(undefined);
    // Type-only: never called (checked by tsc --noEmit, part of npm test).
    const compileErrors = () =>
      transaction((tx) => {
        // @ts-expect-error misspelt property in a transaction's update
        tx.update(Member, 'm1').set('handel', 'x');
        // @ts-expect-error a number property cannot be set to a string
        tx.update(Member, 'm1').set('version', 'x');
        // @ts-expect-error tx.create takes a model instance
        tx.create({ id: 'm1' });
      });
    expect(compileErrors).to.be.a('function');
  });

  it('an empty transaction sends nothing and resolves to no models', async () => {
    expect(await transaction(() => undefined)).to.deep.equal([]);
    expect(conn.transactWrite.callCount).to.equal(0);
  });
});
