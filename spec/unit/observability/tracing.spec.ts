import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  Connection,
  DynamormError,
  Index,
  ItemNotFoundError,
  Model,
  PartitionKey,
  SortKey,
  transaction,
  transactGet,
} from '../../../lib';
import { traced, tracing } from '../../../lib/connection/traced';
import { RecordingTracer, type RecordedSpan } from '../../support/recording-tracer';
import { awsError, fakeConnection, type SentCommand } from './fake-sender';

// DESIGN §8 "Tracing": one span per model operation, a child span per request (unless
// traceRequests: false), OpenTelemetry's DynamoDB attributes on every span, errors recorded,
// spans always ended. The connection's clients are faked, so the requests are real
// Connection calls without a server.

@Model({ table: 'obs_users' })
class ObsUser extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Index('gsi-email', 'pk') email?: string;
}

@Model({ table: 'obs_posts' })
class ObsPost extends BaseModel {
  @PartitionKey() authorId!: string;
  @SortKey() slug!: string;
  @Attribute() title?: string;
}

const CONSUMED = { TableName: 'obs_users', CapacityUnits: 0.5 };

const ok = (extra: object = {}) => ({ $metadata: { attempts: 1 }, ...extra });

function byCommand(answers: Record<string, (c: SentCommand) => unknown>) {
  return (c: SentCommand) => (answers[c.name] ?? (() => ok()))(c);
}

describe('observability: tracing', () => {
  const sandbox = sinon.createSandbox();
  let tracer: RecordingTracer;
  beforeEach(() => {
    tracer = new RecordingTracer();
  });
  afterEach(() => sandbox.restore());

  const allEnded = () => {
    for (const span of tracer.spans) expect(span.ended, span.name).to.equal(1);
  };
  const only = (name: string): RecordedSpan => {
    const found = tracer.spans.filter((s) => s.name === name);
    expect(found, name).to.have.length(1);
    return found[0];
  };

  it('find: an operation span (INTERNAL) parent of a GetItem request span (CLIENT), with the DynamoDB attributes', async () => {
    const { conn } = fakeConnection(sandbox, { tracer, tablePrefix: 'dev_' }, byCommand({ GetCommand: () => ok({ Item: { id: '1', name: 'Ann' } }) }));
    const user = await conn.run(() => ObsUser.find('1'));
    expect(user.name).to.equal('Ann');
    expect(tracer.tree()).to.deep.equal(['ObsUser.find', 'ObsUser.find > GetItem dev_obs_users']);
    const [operation, request] = tracer.spans;
    expect(operation.kind).to.equal(0);
    expect(request.kind).to.equal(2);
    expect(operation.attributes).to.deep.equal({
      'db.system.name': 'aws.dynamodb',
      'db.operation.name': 'find',
      'aws.dynamodb.table_names': ['dev_obs_users'],
    });
    expect(request.attributes).to.deep.equal({
      'db.system.name': 'aws.dynamodb',
      'db.operation.name': 'GetItem',
      'aws.dynamodb.table_names': ['dev_obs_users'],
    });
    expect(operation.status).to.equal(undefined);
    allEnded();
  });

  it('names each model operation <Model>.<operation>', async () => {
    const { conn } = fakeConnection(
      sandbox,
      { tracer },
      byCommand({
        GetCommand: () => ok({ Item: { id: '1', name: 'Ann' } }),
        QueryCommand: () => ok({ Items: [{ id: '1' }], Count: 1 }),
        ScanCommand: () => ok({ Items: [{ id: '1' }], Count: 1 }),
        BatchGetCommand: () => ok({ Responses: { obs_users: [{ id: '1' }] } }),
        BatchWriteCommand: () => ok({ UnprocessedItems: {} }),
        UpdateCommand: () => ok({ Attributes: { id: '1', name: 'B' } }),
      }),
    );
    await conn.run(async () => {
      const user = await ObsUser.get('1');
      await ObsUser.create({ id: '2' });
      await user!.update({ name: 'Bo' });
      user!.name = 'Al';
      await user!.save();
      await user!.reload();
      await user!.delete();
      await ObsUser.batchGet(['1']);
      await ObsUser.batchCreate([{ id: '3' }]);
      await ObsUser.batchDelete(['3']);
      await ObsUser.where('email', '=', 'a@b.co').all();
      await ObsUser.where('email', '=', 'a@b.co').first();
      await ObsUser.where('email', '=', 'a@b.co').count();
      await ObsUser.where('email', '=', 'a@b.co').page();
      await ObsUser.scan().all();
      await ObsUser.where('email', '=', 'a@b.co').deleteAll();
      await ObsUser.scan().updateAll({ name: 'x' });
      await ObsUser.update('1').set('name', 'B').execute();
      await ObsUser.update('1').set('name', 'B').executeWithResult();
    });
    const operations = tracer.roots().map((s) => `${s.name} (${String(s.attributes['db.operation.name'])})`);
    expect(operations).to.deep.equal([
      'ObsUser.get (get)',
      'ObsUser.create (create)',
      'ObsUser.update (update)',
      'ObsUser.save (save)',
      'ObsUser.reload (reload)',
      'ObsUser.delete (delete)',
      'ObsUser.batchGet (batchGet)',
      'ObsUser.batchCreate (batchCreate)',
      'ObsUser.batchDelete (batchDelete)',
      'ObsUser.where.all (where.all)',
      'ObsUser.where.first (where.first)',
      'ObsUser.where.count (where.count)',
      'ObsUser.where.page (where.page)',
      'ObsUser.scan.all (scan.all)',
      'ObsUser.where.deleteAll (where.deleteAll)',
      'ObsUser.scan.updateAll (scan.updateAll)',
      'ObsUser.update.execute (update.execute)',
      'ObsUser.update.executeWithResult (update.executeWithResult)',
    ]);
    // Every request span has an operation span as its parent.
    for (const span of tracer.spans.filter((s) => s.kind === 2)) expect(span.parent?.kind, span.name).to.equal(0);
    for (const span of tracer.spans) expect(span.attributes['db.system.name'], span.name).to.equal('aws.dynamodb');
    allEnded();
  });

  it('an operation calling another (static create, deleteAll deleting each match) is one span with every request under it', async () => {
    const { conn } = fakeConnection(
      sandbox,
      { tracer },
      byCommand({
        QueryCommand: (c) =>
          c.input.ExclusiveStartKey
            ? ok({ Items: [{ authorId: 'a', slug: 's3' }] })
            : ok({
                Items: [
                  { authorId: 'a', slug: 's1' },
                  { authorId: 'a', slug: 's2' },
                ],
                LastEvaluatedKey: { authorId: 'a', slug: 's2' },
              }),
      }),
    );
    await conn.run(() => ObsPost.create({ authorId: 'a', slug: 's1' }));
    expect(tracer.tree()).to.deep.equal(['ObsPost.create', 'ObsPost.create > PutItem obs_posts']);
    tracer.clear();

    await conn.run(() => ObsPost.where('authorId', '=', 'a').all());
    expect(tracer.tree()).to.deep.equal(['ObsPost.where.all', 'ObsPost.where.all > Query obs_posts', 'ObsPost.where.all > Query obs_posts']);
    tracer.clear();

    await conn.run(() => ObsPost.where('authorId', '=', 'a').deleteAll());
    expect(tracer.roots().map((s) => s.name)).to.deep.equal(['ObsPost.where.deleteAll']);
    expect(tracer.childrenOf(tracer.roots()[0]).map((s) => s.name)).to.deep.equal(['Query obs_posts', 'Query obs_posts', 'BatchWriteItem obs_posts']);
    allEnded();
  });

  it('an update whose condition fails reads the item to tell why: both requests under one span, the error recorded on it', async () => {
    const { conn } = fakeConnection(
      sandbox,
      { tracer },
      byCommand({
        UpdateCommand: () => Promise.reject(awsError('ConditionalCheckFailedException')),
        GetCommand: () => ok({}),
      }),
    );
    const error = await conn.run(() => ObsUser.update('9').set('name', 'x').execute()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ItemNotFoundError);
    expect(tracer.tree()).to.deep.equal([
      'ObsUser.update.execute',
      'ObsUser.update.execute > UpdateItem obs_users',
      'ObsUser.update.execute > GetItem obs_users',
    ]);
    const [operation, update, get] = tracer.spans;
    expect(operation.exceptions).to.deep.equal([error]);
    expect(operation.status).to.deep.equal({ code: 2, message: (error as Error).message });
    expect(operation.attributes['error.type']).to.equal('ItemNotFoundError');
    // The request that failed records the SDK's error; the read that followed succeeded.
    expect((update.exceptions[0] as Error).name).to.equal('ConditionalCheckFailedException');
    expect(update.status).to.deep.include({ code: 2 });
    expect(get.exceptions).to.deep.equal([]);
    expect(get.status).to.equal(undefined);
    allEnded();
  });

  it('an error before any request (a bad key) is recorded on the operation span, which is ended', async () => {
    const { conn, sent } = fakeConnection(sandbox, { tracer });
    const error = await conn.run(() => ObsUser.find('')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DynamormError);
    expect(sent).to.deep.equal([]);
    expect(tracer.tree()).to.deep.equal(['ObsUser.find']);
    expect(tracer.spans[0].exceptions).to.deep.equal([error]);
    expect(tracer.spans[0].status?.code).to.equal(2);
    allEnded();
  });

  it('find of a missing item: ItemNotFoundError on the operation span, the request span fine', async () => {
    const { conn } = fakeConnection(sandbox, { tracer });
    await conn.run(() => ObsUser.find('nope')).catch(() => undefined);
    expect(only('ObsUser.find').status?.code).to.equal(2);
    expect(only('GetItem obs_users').status).to.equal(undefined);
    allEnded();
  });

  it('a query through an index: aws.dynamodb.index_name on the request and the operation span; consumed capacity on both', async () => {
    const { conn } = fakeConnection(
      sandbox,
      { tracer, returnConsumedCapacity: 'TOTAL' },
      byCommand({
        QueryCommand: () => ok({ Items: [{ id: '1', email: 'a@b.co' }], ConsumedCapacity: CONSUMED }),
      }),
    );
    await conn.run(() => ObsUser.where('email', '=', 'a@b.co').all());
    const operation = only('ObsUser.where.all');
    const request = only('Query obs_users');
    expect(request.parent).to.equal(operation);
    for (const span of [operation, request]) {
      expect(span.attributes['aws.dynamodb.index_name'], span.name).to.equal('gsi-email');
      expect(span.attributes['aws.dynamodb.consumed_capacity'], span.name).to.deep.equal([JSON.stringify(CONSUMED)]);
    }
  });

  it('traceRequests: false gives the operation spans only, still with the tables, index and capacity of their requests', async () => {
    const { conn, sent } = fakeConnection(
      sandbox,
      { tracer, traceRequests: false, returnConsumedCapacity: 'TOTAL' },
      byCommand({
        QueryCommand: () => ok({ Items: [], ConsumedCapacity: CONSUMED }),
        GetCommand: () => ok({ Item: { id: '1' }, ConsumedCapacity: CONSUMED }),
      }),
    );
    await conn.run(async () => {
      await ObsUser.where('email', '=', 'a@b.co').all();
      await ObsUser.find('1');
    });
    expect(sent.map((c) => c.name)).to.deep.equal(['QueryCommand', 'GetCommand']);
    expect(tracer.tree()).to.deep.equal(['ObsUser.where.all', 'ObsUser.find']);
    expect(tracer.spans[0].attributes).to.deep.include({
      'aws.dynamodb.index_name': 'gsi-email',
      'aws.dynamodb.consumed_capacity': [JSON.stringify(CONSUMED)],
    });
    allEnded();
  });

  it('a request outside any model operation gets a span of its own; a failed one records the error', async () => {
    const { conn, fake } = fakeConnection(sandbox, { tracer });
    await conn.createTable({ TableName: 't', KeySchema: [], AttributeDefinitions: [] });
    fake.answer = () => Promise.reject(awsError('ResourceNotFoundException', 3));
    const error = await conn.describeTable({ TableName: 't' }).catch((e: unknown) => e);
    expect(tracer.tree()).to.deep.equal(['CreateTable t', 'DescribeTable t']);
    const failed = tracer.spans[1];
    expect(failed.exceptions).to.deep.equal([error]);
    expect(failed.status).to.deep.equal({ code: 2, message: (error as Error).message });
    expect(failed.attributes['error.type']).to.equal('ResourceNotFoundException');
    allEnded();
  });

  it('traced() without a model: a span named after the operation, with the tables its requests used', async () => {
    const { conn } = fakeConnection(sandbox, { tracer });
    const out = await conn.run(() =>
      traced('transaction', undefined, async () => {
        await conn.transactWrite({ TransactItems: [{ Put: { TableName: 'a', Item: {} } }, { Delete: { TableName: 'b', Key: {} } }] });
        return 'done';
      }),
    );
    expect(out).to.equal('done');
    expect(tracer.tree()).to.deep.equal(['transaction', 'transaction > TransactWriteItems']);
    expect(tracer.spans[0].attributes).to.deep.include({ 'db.operation.name': 'transaction', 'aws.dynamodb.table_names': ['a', 'b'] });
    expect(tracer.spans[1].attributes['aws.dynamodb.table_names']).to.deep.equal(['a', 'b']);
    allEnded();
  });

  it("transaction() and transactGet() are one span each, over their request and the hooks' reads", async () => {
    const { conn } = fakeConnection(sandbox, { tracer }, byCommand({ TransactGetCommand: () => ok({ Responses: [{ Item: { id: '1', name: 'Ann' } }, {}] }) }));
    const [user, none] = await conn.run(() => transactGet([ObsUser.key('1'), ObsPost.key({ authorId: 'a', slug: 's' })]));
    expect(user?.name).to.equal('Ann');
    expect(none).to.equal(undefined);
    const [written] = await conn.run(() =>
      transaction((tx) => {
        tx.create(ObsUser.build({ id: '2', name: 'Bo' }));
        tx.update(ObsPost, { authorId: 'a', slug: 's' }).set('title', 'T').upsert();
      }),
    );
    expect((written as ObsUser).id).to.equal('2');
    expect(tracer.tree()).to.deep.equal(['transactGet', 'transactGet > TransactGetItems', 'transaction', 'transaction > TransactWriteItems']);
    expect(only('transaction').attributes).to.deep.include({ 'db.operation.name': 'transaction', 'aws.dynamodb.table_names': ['obs_users', 'obs_posts'] });
    allEnded();
  });

  it('concurrent operations each parent their own requests', async () => {
    const { conn } = fakeConnection(
      sandbox,
      { tracer },
      byCommand({
        GetCommand: async (c) => {
          await new Promise((resolve) => setImmediate(resolve));
          return ok({ Item: { id: (c.input.Key as { id: string }).id } });
        },
      }),
    );
    await conn.run(() => Promise.all([ObsUser.find('a'), ObsUser.get('b'), ObsUser.find('c')]));
    for (const root of tracer.roots()) expect(tracer.childrenOf(root), root.name).to.have.length(1);
    expect(tracer.spans).to.have.length(6);
  });

  describe('without a tracer', () => {
    it('tracing() is false and nothing is wrapped: the SDK promise itself is returned', async () => {
      const { conn, fake } = fakeConnection(sandbox, {});
      const promise = Promise.resolve(ok({ Item: { id: '1' } }));
      fake.send.returns(promise);
      expect(conn.get({ TableName: 't', Key: { id: '1' } })).to.equal(promise);
      expect(conn.run(() => tracing())).to.equal(false);
      await conn.run(() => ObsUser.find('1'));
    });

    it('tracing() is true with a tracer, false inside an operation and without a connection', async () => {
      const { conn } = fakeConnection(sandbox, { tracer });
      expect(conn.run(() => tracing())).to.equal(true);
      expect(await conn.run(() => traced('outer', undefined, () => tracing()))).to.equal(false);
      expect(new Connection({ region: 'local' }).run(() => tracing())).to.equal(false);
    });

    it('traced() runs the function plainly (no span) when there is no tracer, and turns a throw into a rejection', async () => {
      const { conn } = fakeConnection(sandbox, {});
      expect(await conn.run(() => traced('x', undefined, () => 42))).to.equal(42);
      const failing = conn.run(() =>
        traced('x', undefined, () => {
          throw new Error('sync');
        }),
      );
      expect(await failing.catch((e: unknown) => (e as Error).message)).to.equal('sync');
    });
  });
});
