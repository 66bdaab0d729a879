import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  autoMigrate,
  BaseModel,
  Connection,
  createTable,
  deleteTable,
  describeTable,
  DynamormError,
  ensureTable,
  InvalidCursorError,
  Model,
  ModelDefinitionError,
  PartitionKey,
  QueryError,
  TransactionError,
  transaction,
  transactGet,
  ValidationError,
  withLambdaTimeout,
} from '../../lib';
import { stubConnection } from '../../lib/testing';
import { RecordingTracer } from '../support/recording-tracer';

// Every public method typed as returning a Promise rejects on bad input, never throws: a
// caller writing `Model.get(key).catch(...)` or `query.count().then(ok, fail)` must get
// the error in the promise. Each case is called without awaiting, inside a check that
// nothing is thrown; the result must be a thenable rejecting with the right class, and
// nothing may have been sent.

// Extends BaseModel but has no @Model: any model method is a ModelDefinitionError.
class NotAModel extends BaseModel {
  id!: string;
}

@Model({ table: 'pm_people' })
class Person extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) age?: number;
}

type ErrorClass = new (...args: never[]) => Error;

/** Calls `attempt`, which must not throw, and returns how its promise settles. */
async function settle(label: string, attempt: () => unknown): Promise<unknown> {
  let result: unknown;
  expect(() => {
    result = attempt();
  }, `${label} threw synchronously`).not.to.throw();
  expect(typeof (result as PromiseLike<unknown> | undefined)?.then, `${label} returned no promise`).to.equal('function');
  return (result as Promise<unknown>).then(
    () => expect.fail(`${label} resolved`),
    (error: unknown) => error,
  );
}

async function expectRejections(cases: ReadonlyArray<[string, () => unknown, ErrorClass]>): Promise<void> {
  for (const [label, attempt, type] of cases) {
    const error = await settle(label, attempt);
    expect(error, label).to.be.instanceOf(type);
  }
}

describe('promise-returning methods reject, never throw', () => {
  const sandbox = sinon.createSandbox();
  let conn: ReturnType<typeof stubConnection>;
  beforeEach(() => {
    conn = stubConnection(sandbox);
  });
  afterEach(() => sandbox.restore());

  const sent = () =>
    Object.values(conn)
      .filter((member) => typeof member === 'function' && 'callCount' in member)
      .reduce<number>((sum, stub) => sum + (stub as sinon.SinonStub).callCount, 0);

  it('BaseModel statics: create, find, get, batchGet, batchCreate, batchDelete', async () => {
    await expectRejections([
      ['NotAModel.create', () => NotAModel.create({}), ModelDefinitionError],
      ['NotAModel.find', () => NotAModel.find('1'), ModelDefinitionError],
      ['NotAModel.get', () => NotAModel.get('1'), ModelDefinitionError],
      ['NotAModel.batchGet', () => NotAModel.batchGet(['1']), ModelDefinitionError],
      ['NotAModel.batchCreate', () => NotAModel.batchCreate([{}]), ModelDefinitionError],
      ['NotAModel.batchDelete', () => NotAModel.batchDelete(['1']), ModelDefinitionError],
      ['Person.create (unknown property)', () => Person.create({ nmae: 'x' } as never), ValidationError],
      ['Person.find (empty key)', () => Person.find(''), ValidationError],
      ['Person.get (empty key)', () => Person.get(''), ValidationError],
      ['Person.batchGet (empty key)', () => Person.batchGet(['']), ValidationError],
      ['Person.batchCreate (no key)', () => Person.batchCreate([{ name: 'x' }]), ValidationError],
      ['Person.batchDelete (empty key)', () => Person.batchDelete(['']), ValidationError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('instance methods: create, save, update, delete, reload', async () => {
    const stray = new NotAModel();
    const keyless = Person.build({ name: 'x' });
    await expectRejections([
      ['stray.create', () => stray.create(), ModelDefinitionError],
      ['stray.save', () => stray.save(), ModelDefinitionError],
      ['stray.update', () => stray.update({}), ModelDefinitionError],
      ['stray.delete', () => stray.delete(), ModelDefinitionError],
      ['stray.reload', () => stray.reload(), ModelDefinitionError],
      ['keyless.create', () => keyless.create(), ValidationError],
      ['keyless.save', () => keyless.save(), ValidationError],
      ['keyless.update (unknown property)', () => keyless.update({ nmae: 'x' } as never), ValidationError],
      ['keyless.delete', () => keyless.delete(), ValidationError],
      ['keyless.reload', () => keyless.reload(), ValidationError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('query terminals: all, first, page, count, deleteAll, updateAll, and for await', async () => {
    // No key schema has 'name' as its partition key: a QueryError, whichever terminal.
    const unplannable = () => Person.where('name', '=', 'x');
    const iterate = () => unplannable()[Symbol.asyncIterator]().next();
    await expectRejections([
      ['all', () => unplannable().all(), QueryError],
      ['first', () => unplannable().first(), QueryError],
      ['page', () => unplannable().page(), QueryError],
      ['count', () => unplannable().count(), QueryError],
      ['deleteAll', () => unplannable().deleteAll(), QueryError],
      ['updateAll', () => unplannable().updateAll({ age: 1 }), QueryError],
      ['for await', iterate, QueryError],
      ['count (a value of the wrong type)', () => Person.where('id', '=', 7 as never).count(), ValidationError],
      ['deleteAll after select()', () => Person.where('id', '=', '1').select('name').deleteAll(), QueryError],
      ['updateAll after select()', () => Person.where('id', '=', '1').select('name').updateAll({ age: 1 }), QueryError],
      ['page (a foreign cursor)', () => Person.where('id', '=', '1').page('garbage'), InvalidCursorError],
      ['page (a parallel scan)', () => Person.scan().parallel(2).page(), QueryError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('the same, traced (a connection with a tracer): the failure is on the span and in the promise', async () => {
    sandbox.restore();
    const tracer = new RecordingTracer();
    conn = stubConnection(sandbox, { tracer });
    await expectRejections([
      ['NotAModel.get', () => NotAModel.get('1'), ModelDefinitionError],
      ['NotAModel.batchGet', () => NotAModel.batchGet(['1']), ModelDefinitionError],
      ['Person.get (empty key)', () => Person.get(''), ValidationError],
      ['Person.batchCreate (no key)', () => Person.batchCreate([{ name: 'x' }]), ValidationError],
      ['count', () => Person.where('name', '=', 'x').count(), QueryError],
      ['deleteAll', () => Person.where('name', '=', 'x').deleteAll(), QueryError],
      ['updateAll', () => Person.where('id', '=', '1').select('name').updateAll({ age: 1 }), QueryError],
    ]);
    const count = tracer.spans.find((span) => span.name === 'Person.where.count');
    expect(count?.exceptions[0]).to.be.instanceOf(QueryError);
    expect(count?.ended).to.equal(1);
    expect(sent()).to.equal(0);
  });

  it('the update builder: execute, executeWithResult', async () => {
    await expectRejections([
      // Nothing to update: found when the request is compiled, by execute.
      ['execute', () => Person.update('1').execute(), QueryError],
      ['executeWithResult', () => Person.update('1').executeWithResult(), QueryError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('transaction, transactGet', async () => {
    await expectRejections([
      [
        'transaction (a throwing callback)',
        () =>
          transaction(() => {
            throw new ValidationError('from the callback');
          }),
        ValidationError,
      ],
      ['transactGet (not a key)', () => transactGet([{} as never]), TransactionError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('tables and migrations: createTable, ensureTable, deleteTable, describeTable, autoMigrate', async () => {
    await expectRejections([
      ['createTable', () => createTable(NotAModel), ModelDefinitionError],
      ['ensureTable', () => ensureTable(NotAModel), ModelDefinitionError],
      ['deleteTable', () => deleteTable(NotAModel), ModelDefinitionError],
      ['describeTable', () => describeTable(NotAModel), ModelDefinitionError],
      ['autoMigrate', () => autoMigrate(NotAModel), ModelDefinitionError],
    ]);
    expect(sent()).to.equal(0);
  });

  it('Connection: every request method, when its client cannot be built (xray without its peer)', async () => {
    const xray = new Connection({ region: 'local', xray: true });
    const key = { TableName: 't', Key: { id: '1' } };
    await expectRejections([
      ['get', () => xray.get(key), DynamormError],
      ['put', () => xray.put({ TableName: 't', Item: { id: '1' } }), DynamormError],
      ['update', () => xray.update(key), DynamormError],
      ['delete', () => xray.delete(key), DynamormError],
      ['query', () => xray.query({ TableName: 't' }), DynamormError],
      ['scan', () => xray.scan({ TableName: 't' }), DynamormError],
      ['batchGet', () => xray.batchGet({ RequestItems: {} }), DynamormError],
      ['batchWrite', () => xray.batchWrite({ RequestItems: {} }), DynamormError],
      ['transactWrite', () => xray.transactWrite({ TransactItems: [] }), DynamormError],
      ['transactGet', () => xray.transactGet({ TransactItems: [] }), DynamormError],
      ['createTable', () => xray.createTable({ TableName: 't' }), DynamormError],
      ['updateTable', () => xray.updateTable({ TableName: 't' }), DynamormError],
      ['describeTable', () => xray.describeTable({ TableName: 't' }), DynamormError],
      ['deleteTable', () => xray.deleteTable({ TableName: 't' }), DynamormError],
      ['updateTimeToLive', () => xray.updateTimeToLive({ TableName: 't' } as never), DynamormError],
      ['describeTimeToLive', () => xray.describeTimeToLive({ TableName: 't' }), DynamormError],
      ['listTables', () => xray.listTables(), DynamormError],
    ]);
    const closed = new Connection({ region: 'local' });
    closed.close();
    await expectRejections([['a closed connection', () => closed.get(key), DynamormError]]);
    // With a logger, an input that is not an object fails on its way to the client: rejected too.
    const logged = new Connection({ region: 'local', logger: () => undefined });
    await expectRejections([['a malformed input', () => logged.get(undefined as never), Error]]);
  });

  it('withLambdaTimeout: a context whose clock throws', async () => {
    const broken = new DynamormError('no clock');
    const error = await settle('withLambdaTimeout', () =>
      withLambdaTimeout(
        {
          getRemainingTimeInMillis: () => {
            throw broken;
          },
        },
        () => 1,
      ),
    );
    expect(error).to.equal(broken);
    await expectRejections([['withLambdaTimeout (no context)', () => withLambdaTimeout(undefined as never, () => 1), DynamormError]]);
    expect(await withLambdaTimeout({ getRemainingTimeInMillis: () => 60_000 }, () => 1, null as never)).to.equal(1);
  });
});
