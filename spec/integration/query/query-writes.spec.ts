import { expect } from 'chai';
import sinon from 'sinon';
import {
  AfterDelete,
  Attribute,
  BaseModel,
  BatchError,
  BeforeDelete,
  BeforeUpdate,
  ensureTable,
  getConnection,
  Index,
  Model,
  PartitionKey,
  SortKey,
  QueryError,
  UpdatedAt,
  ValidationError,
  Version,
} from '../../../lib';

const hooks: string[] = [];

@Model({ table: 'qw_sessions' })
class Session extends BaseModel {
  @PartitionKey() userId!: string;
  @SortKey() sessionId!: string;
  @Attribute() device?: string;
  @BeforeDelete() before() {
    hooks.push(`before ${this.sessionId}`);
  }
  @AfterDelete() after() {
    hooks.push(`after ${this.sessionId}`);
  }
}

@Model({ table: 'qw_accounts' })
class Account extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-plan', 'pk') plan!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() status?: string;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  @BeforeUpdate() touched() {
    hooks.push(`update ${this.id}`);
  }
}

async function stored(table: string, key: Record<string, unknown>) {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

describe('query-level writes: deleteAll and updateAll (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  before(async () => {
    await Promise.all([ensureTable(Session), ensureTable(Account)]);
  });
  beforeEach(() => {
    hooks.length = 0;
  });
  afterEach(() => sandbox.restore());

  async function sessions(userId: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await Session.create({ userId, sessionId: `s${String(i).padStart(2, '0')}`, device: i % 2 ? 'phone' : 'laptop' });
  }

  it('deleteAll deletes every match in BatchWriteItem chunks of 25, with the delete hooks, and returns the count', async () => {
    await sessions('u1', 30);
    await sessions('u2', 2);
    const batch = sandbox.spy(getConnection(), 'batchWrite');
    expect(await Session.where('userId', '=', 'u1').deleteAll()).to.equal(30);
    expect(batch.callCount).to.equal(2);
    expect(batch.firstCall.args[0].RequestItems!.qw_sessions).to.have.length(25);
    expect(await Session.where('userId', '=', 'u1').count()).to.equal(0);
    expect(await Session.where('userId', '=', 'u2').count()).to.equal(2);
    expect(hooks.filter((h) => h.startsWith('before'))).to.have.length(30);
    expect(hooks.filter((h) => h.startsWith('after'))).to.have.length(30);
    expect(hooks.indexOf('after s00')).to.be.greaterThan(hooks.indexOf('before s24'));
  });

  it('deleteAll with a filter deletes only what passes it', async () => {
    await sessions('u3', 6);
    expect(await Session.where('userId', '=', 'u3').filter('device', '=', 'phone').deleteAll()).to.equal(3);
    expect((await Session.where('userId', '=', 'u3').all()).map((s) => s.device)).to.deep.equal(['laptop', 'laptop', 'laptop']);
  });

  it('unprocessed items are sent again with backoff; what stays unprocessed is a BatchError listing those keys', async () => {
    await sessions('u4', 3);
    const conn = getConnection();
    const real = conn.batchWrite.bind(conn);
    const batch = sandbox.stub(conn, 'batchWrite');
    // First answer: the last request left unprocessed (DynamoDB's throttling answer); then the real server.
    batch.onFirstCall().callsFake(async (input) => {
      const requests = input.RequestItems!.qw_sessions;
      await real({ RequestItems: { qw_sessions: requests.slice(0, 2) } });
      return { UnprocessedItems: { qw_sessions: requests.slice(2) }, $metadata: {} };
    });
    batch.callsFake(real);
    expect(await Session.where('userId', '=', 'u4').deleteAll()).to.equal(3);
    expect(batch.callCount).to.equal(2);
    expect(batch.secondCall.args[0].RequestItems!.qw_sessions).to.have.length(1);
    expect(await Session.where('userId', '=', 'u4').count()).to.equal(0);

    await sessions('u5', 3);
    batch.reset();
    batch.callsFake(async (input) => {
      const requests = input.RequestItems!.qw_sessions;
      const done = requests.filter((r) => (r.DeleteRequest!.Key as { sessionId: string }).sessionId !== 's01');
      if (done.length > 0) await real({ RequestItems: { qw_sessions: done } });
      return { UnprocessedItems: { qw_sessions: requests.filter((r) => !done.includes(r)) }, $metadata: {} };
    });
    const error = await Session.where('userId', '=', 'u5')
      .deleteAll()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchError);
    // Instances, as the query read them: s00 and s02 deleted (no longer persisted), s01 not.
    const { completed, unprocessed } = error as BatchError;
    expect(completed.map((s) => (s as Session).sessionId)).to.deep.equal(['s00', 's02']);
    expect(completed.every((s) => s instanceof Session && s.isNew)).to.equal(true);
    expect(unprocessed.map((s) => [(s as Session).sessionId, (s as Session).isNew])).to.deep.equal([['s01', false]]);
    expect((error as Error).message).to.include('sessionId="s01"');
    sandbox.restore();
    expect((await Session.where('userId', '=', 'u5').all()).map((s) => s.sessionId)).to.deep.equal(['s01']);
  });

  it('a model with @Version and unique values deletes item by item, freeing the values', async () => {
    for (const id of ['a1', 'a2', 'a3']) await Account.create({ id, plan: 'trial', email: `${id}@x.co` });
    expect(await Account.where('plan', '=', 'trial').deleteAll()).to.equal(3);
    expect(await stored('qw_accounts', { id: 'a1' })).to.equal(undefined);
    await Account.create({ id: 'a9', plan: 'pro', email: 'a1@x.co' }); // the value is free again
  });

  it('updateAll saves every match through the save pipeline (hooks, timestamps, version) and returns the count', async () => {
    for (const id of ['t1', 't2', 't3']) await Account.create({ id, plan: 'trial-2', email: `${id}@x.co`, status: 'trial' });
    await Account.create({ id: 'p1', plan: 'pro-2', email: 'p1@x.co', status: 'active' });
    expect(await Account.where('plan', '=', 'trial-2').updateAll({ status: 'expired' })).to.equal(3);
    const t1 = await Account.find('t1');
    expect(t1.status).to.equal('expired');
    expect(t1.version).to.equal(2);
    expect(hooks.sort()).to.deep.equal(['update t1', 'update t2', 'update t3']);
    expect((await Account.find('p1')).status).to.equal('active');
  });

  it('updateAll moves unique values like save(), and refuses key attributes and unknown properties before any request', async () => {
    await Account.create({ id: 'm1', plan: 'move', email: 'old-m1@x.co' });
    expect(await Account.where('plan', '=', 'move').updateAll({ email: 'new-m1@x.co' })).to.equal(1);
    await Account.create({ id: 'm2', plan: 'other', email: 'old-m1@x.co' }); // released
    const update = sandbox.spy(getConnection(), 'update');
    expect(
      await Account.where('plan', '=', 'move')
        .updateAll({ id: 'x' })
        .catch((e: unknown) => e),
    ).to.be.instanceOf(ValidationError);
    const unknown = await Account.where('plan', '=', 'move')
      .updateAll({ nope: 1 } as never)
      .catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(ValidationError);
    expect((unknown as Error).message).to.match(/^Account\.where\(\.\.\.\)\.updateAll: 'nope' is not a property of Account \(known: id, /); // the model named once
    expect(update.callCount).to.equal(0);
  });

  it('a failure part way stops updateAll: BatchError with .completed and the cause', async () => {
    for (const id of ['f1', 'f2', 'f3']) await Account.create({ id, plan: 'fail', email: `${id}@x.co` });
    const conn = getConnection();
    const real = conn.update.bind(conn);
    const update = sandbox.stub(conn, 'update');
    update.onSecondCall().rejects(Object.assign(new Error('throttled for good'), { name: 'ProvisionedThroughputExceededException' }));
    update.callsFake(real);
    const error = await Account.where('plan', '=', 'fail')
      .updateAll({ status: 'x' })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchError);
    const { completed, unprocessed } = error as BatchError;
    expect(completed.map((a) => [(a as Account).status, (a as Account).version])).to.deep.equal([['x', 2]]);
    // The two not saved are as read: the failed one's change and stamps taken back.
    expect(unprocessed.map((a) => [(a as Account).status, (a as Account).version, (a as Account).changedAttributes()])).to.deep.equal([
      [undefined, 1, []],
      [undefined, 1, []],
    ]);
    expect((error as Error).message).to.match(/^Account\.where\(\.\.\.\)\.updateAll: 1 done, 2 not done: \(id="f\d"\), \(id="f\d"\)\. .*throttled for good/);
  });

  it('deleteAll and updateAll need whole items: a select() is refused (a rejection, not a throw)', async () => {
    const selected = () => Session.where('userId', '=', 'u2').select('device');
    for (const attempt of [() => selected().deleteAll(), () => selected().updateAll({})]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(QueryError);
      expect((error as Error).message).to.include('needs whole items');
    }
  });
});
