import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, BeforeCreate, Model, PartitionKey, TransactionCanceledError, Version } from '../../../lib';
import { factory, stubConnection, transactionCanceled, type Factory, type StubbedConnection } from '../../../lib/testing';

@Model({ table: 'fx_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) age!: number;
  @Version() version!: number;
  slug?: string;

  @BeforeCreate() makeSlug(): void {
    this.slug = this.email.split('@')[0];
  }
}

@Model({ table: 'fx_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text?: string;
}

describe('factory (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  let users: Factory<User>;
  beforeEach(() => {
    conn = stubConnection(sandbox);
    users = factory(User, (n) => ({ id: `u${n}`, email: `user${n}@example.com`, age: 20 + n }));
  });
  afterEach(() => sandbox.restore());

  it('build() gives an unsaved instance of the model, sending nothing', () => {
    const user = users.build();
    expect(user).to.be.instanceOf(User);
    expect(user.isNew).to.equal(true);
    expect(user).to.include({ id: 'u1', email: 'user1@example.com', age: 21 });
    expect(conn.put.called || conn.transactWrite.called).to.equal(false);
  });

  it('numbers every instance of the factory 1, 2, …, never reusing one; overrides apply per call', () => {
    expect(users.sequence).to.equal(0);
    const a = users.build({ name: 'Ann', age: 99 });
    const b = users.build();
    expect([a.id, b.id]).to.deep.equal(['u1', 'u2']);
    expect(a).to.include({ name: 'Ann', age: 99 });
    expect(b.name).to.equal(undefined);
    expect(b.age).to.equal(22);
    expect(users.sequence).to.equal(2);
    expect(factory(User, (n) => ({ id: `other${n}` })).build().id).to.equal('other1'); // its own sequence
  });

  it('create() goes through the model’s create: hooks, validation and the unique guard transaction', async () => {
    const user = await users.create({ email: 'ann@example.com' });
    expect(user.isNew).to.equal(false);
    expect(user.version).to.equal(1);
    expect(user.slug).to.equal('ann');
    expect(conn.transactWrite.calledOnce).to.equal(true);
    expect(conn.transactWrite.firstCall.args[0].TransactItems).to.have.length(2); // the item and its email guard
  });

  it('createMany() creates in transactions of at most 100 actions, each item as create() writes it', async () => {
    const created = await users.createMany(60, { name: 'x' });
    expect(created.map((u) => u.id)).to.deep.equal(Array.from({ length: 60 }, (_, i) => `u${i + 1}`));
    expect(created.every((u) => u instanceof User && !u.isNew && u.name === 'x' && u.slug === u.email.split('@')[0])).to.equal(true);
    // an item and its guard: 50 items per transaction
    expect(conn.transactWrite.getCalls().map((c) => c.args[0].TransactItems!.length)).to.deep.equal([100, 20]);
    const first = conn.transactWrite.firstCall.args[0].TransactItems![0].Put!;
    expect(first.ConditionExpression).to.match(/attribute_not_exists/);
  });

  it('createMany() of a model without unique attributes puts 100 per transaction', async () => {
    const notes = factory(Note, (n) => ({ id: `n${n}` }));
    expect(await notes.createMany(0)).to.deep.equal([]);
    await notes.createMany(150);
    expect(conn.transactWrite.getCalls().map((c) => c.args[0].TransactItems!.length)).to.deep.equal([100, 50]);
  });

  // A failure at each step of createMany's chunks: DynamoDB refusing a later transaction, and a
  // hook throwing while a later chunk is built. Earlier chunks stay written; nothing of the failed one is sent.
  it('createMany() passes on a later transaction’s cancellation, after the earlier chunks were written', async () => {
    const reasons = Array.from({ length: 20 }, (_, i) => (i === 4 ? 'ConditionalCheckFailed' : 'None'));
    conn.transactWrite.onSecondCall().rejects(transactionCanceled(reasons));
    let error: unknown;
    await users.createMany(60).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(TransactionCanceledError);
    expect(conn.transactWrite.callCount).to.equal(2);
    const firstIds = conn.transactWrite.firstCall.args[0]
      .TransactItems!.filter((a) => !String(a.Put!.Item!.id).startsWith('_'))
      .map((a) => String(a.Put!.Item!.id));
    expect(firstIds).to.deep.equal(Array.from({ length: 50 }, (_, i) => `u${i + 1}`));
    expect(users.sequence).to.equal(60);
  });

  it('createMany() stops at a hook that throws in a later chunk: that chunk is not sent', async () => {
    const failing = factory(User, (n) => ({ id: `h${n}`, email: n === 70 ? 'no-at-sign' : `h${n}@example.com`, age: n }));
    const makeSlug = sandbox.stub(User.prototype, 'makeSlug').callsFake(function (this: User) {
      if (!this.email.includes('@')) throw new Error(`bad email ${this.email}`);
    });
    let error: unknown;
    await failing.createMany(80).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal('bad email no-at-sign');
    expect(conn.transactWrite.callCount).to.equal(1);
    expect(makeSlug.callCount).to.be.greaterThan(50);
  });

  it('createMany() rejects a count that is not a whole number', async () => {
    let error: unknown;
    await users.createMany(-1).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
  });

  it('is typed from the model', () => {
    // @ts-expect-error a property User does not have
    factory(User, (n) => ({ id: `u${n}`, nmae: 'Ann' }));
    // @ts-expect-error a value of the wrong type
    factory(User, (n) => ({ id: `u${n}`, age: 'old' }));
    // @ts-expect-error overrides are the model's attributes too
    expect(() => users.build({ nmae: 'Ann' })).to.throw(); // unknown properties are a ValidationError at run time as well
    const typed: User = users.build();
    const promised: Promise<User[]> = users.createMany(0);
    expect(typed).to.be.instanceOf(User);
    return promised;
  });
});
