import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Model, PartitionKey, TTL, Version, transactGet, transaction } from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';

// The README's "Which Connection method a model call uses": each row, checked.

@Model({ table: 'cm_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @Version() version!: number;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'cm_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text?: string;
  @Version() version!: number;
}

const METHODS = ['get', 'put', 'update', 'delete', 'query', 'scan', 'batchGet', 'batchWrite', 'transactWrite', 'transactGet'] as const;

describe('which Connection method each model call uses', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  beforeEach(() => {
    conn = stubConnection(sandbox);
  });
  afterEach(() => sandbox.restore());

  /** The methods called by `run`, in order. */
  async function methodsOf(run: () => Promise<unknown>): Promise<string[]> {
    for (const method of METHODS) conn[method].resetHistory();
    await run();
    const calls: Array<{ method: string; call: sinon.SinonSpyCall }> = METHODS.flatMap((method) =>
      (conn[method] as sinon.SinonStub).getCalls().map((call) => ({ method, call })),
    );
    return calls.sort((a, b) => (a.call.calledBefore(b.call) ? -1 : 1)).map((c) => c.method);
  }

  const loadedNote = async () => {
    conn.get.resolves({ Item: { id: 'n1', text: 'a', version: 1 } });
    return Note.find('n1');
  };
  const loadedUser = async () => {
    conn.get.resolves({ Item: { id: 'u1', email: 'a@example.com', version: 1 } });
    return User.find('u1');
  };

  it('reads: find, get and reload are a get; queries a query or scan; batchGet a batchGet; transactGet a transactGet', async () => {
    conn.get.resolves({ Item: { id: 'n1', version: 1 } });
    expect(await methodsOf(() => Note.find('n1'))).to.deep.equal(['get']);
    expect(await methodsOf(() => Note.get('n1'))).to.deep.equal(['get']);
    const note = await Note.find('n1');
    expect(await methodsOf(() => note.reload())).to.deep.equal(['get']);
    expect(await methodsOf(() => Note.where('id', '=', 'n1').all())).to.deep.equal(['query']);
    expect(await methodsOf(() => Note.scan().all())).to.deep.equal(['scan']);
    expect(await methodsOf(() => Note.batchGet(['n1']))).to.deep.equal(['batchGet']);
    expect(await methodsOf(() => transactGet([Note.key('n1')]))).to.deep.equal(['transactGet']);
  });

  it('create: a conditional put; with unique attributes a transactWrite of the item and its guards', async () => {
    expect(await methodsOf(() => Note.create({ id: 'n1' }))).to.deep.equal(['put']);
    expect(conn.put.firstCall.args[0].ConditionExpression).to.match(/attribute_not_exists/);
    expect(await methodsOf(() => Note.build({ id: 'n2' }).save())).to.deep.equal(['put']);
    expect(await methodsOf(() => User.create({ id: 'u1', email: 'a@example.com' }))).to.deep.equal(['transactWrite']);
  });

  it('save of a loaded item: an update with a version condition; a transactWrite when a unique value moves; nothing when nothing changed', async () => {
    const note = await loadedNote();
    note.text = 'b';
    expect(await methodsOf(() => note.save())).to.deep.equal(['update']);
    expect(conn.update.firstCall.args[0]).to.include({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(await methodsOf(() => note.save())).to.deep.equal([]);
    const user = await loadedUser();
    user.name = 'Ann';
    expect(await methodsOf(() => user.save())).to.deep.equal(['update']);
    user.email = 'b@example.com';
    expect(await methodsOf(() => user.save())).to.deep.equal(['transactWrite']);
  });

  it('delete: a delete; with unique attributes a transactWrite (after a get when the item was not loaded)', async () => {
    const note = await loadedNote();
    expect(await methodsOf(() => note.delete())).to.deep.equal(['delete']);
    const user = await loadedUser();
    expect(await methodsOf(() => user.delete())).to.deep.equal(['transactWrite']);
    conn.get.resolves({ Item: { id: 'u2', email: 'c@example.com', version: 1 } });
    expect(await methodsOf(() => User.build({ id: 'u2' }).delete())).to.deep.equal(['get', 'transactWrite']);
  });

  it('Model.update(key) is an update; batchCreate and batchDelete a batchWrite; transaction() a transactWrite', async () => {
    expect(await methodsOf(() => Note.update('n1').set('text', 'x').execute())).to.deep.equal(['update']);
    expect(await methodsOf(() => Note.batchCreate([{ id: 'n1' }], { overwrite: true }))).to.deep.equal(['batchWrite']);
    expect(await methodsOf(() => Note.batchDelete(['n1']))).to.deep.equal(['batchWrite']);
    expect(await methodsOf(() => transaction((tx) => void tx.create(Note.build({ id: 'n3' }))))).to.deep.equal(['transactWrite']);
  });

  it('fake timers pin the :now of a @TTL model’s requests', async () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
    const seconds = Math.floor(now.getTime() / 1000);
    await User.scan().all(); // expired items are filtered out: expiresAt > :now
    expect(Object.values(conn.scan.firstCall.args[0].ExpressionAttributeValues!)).to.deep.include(seconds);
    await User.create({ id: 'u1', email: 'a@example.com' }); // may replace an expired item: expiresAt < :now
    const put = conn.transactWrite.firstCall.args[0].TransactItems![0].Put!;
    expect(Object.values(put.ExpressionAttributeValues!)).to.deep.include(seconds);
  });
});
