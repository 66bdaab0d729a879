import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Model, PartitionKey, type Connection, type RequestLogRecord } from '../../../lib';
import { awsError, fakeConnection } from './fake-sender';

// DESIGN §2 `logger`, `returnConsumedCapacity`, `debug`: one record per request of every
// Connection method, consumed capacity asked for on data requests only, the compiled
// expressions with the values redacted unless asked for.

@Model({ table: 'log_users' })
class LogUser extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute() age?: number;
}

type Call = [operation: string, command: string, call: (conn: Connection) => Promise<unknown>, data: boolean];

const CALLS: Call[] = [
  ['GetItem', 'GetCommand', (c) => c.get({ TableName: 't', Key: { id: '1' } }), true],
  ['PutItem', 'PutCommand', (c) => c.put({ TableName: 't', Item: { id: '1' } }), true],
  [
    'UpdateItem',
    'UpdateCommand',
    (c) => c.update({ TableName: 't', Key: { id: '1' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } }),
    true,
  ],
  ['DeleteItem', 'DeleteCommand', (c) => c.delete({ TableName: 't', Key: { id: '1' } }), true],
  ['Query', 'QueryCommand', (c) => c.query({ TableName: 't', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': '1' } }), true],
  ['Scan', 'ScanCommand', (c) => c.scan({ TableName: 't' }), true],
  ['BatchGetItem', 'BatchGetCommand', (c) => c.batchGet({ RequestItems: { t: { Keys: [{ id: '1' }] } } }), true],
  ['BatchWriteItem', 'BatchWriteCommand', (c) => c.batchWrite({ RequestItems: { t: [{ DeleteRequest: { Key: { id: '1' } } }] } }), true],
  ['TransactWriteItems', 'TransactWriteCommand', (c) => c.transactWrite({ TransactItems: [{ Delete: { TableName: 't', Key: { id: '1' } } }] }), true],
  ['TransactGetItems', 'TransactGetCommand', (c) => c.transactGet({ TransactItems: [{ Get: { TableName: 't', Key: { id: '1' } } }] }), true],
  ['CreateTable', 'CreateTableCommand', (c) => c.createTable({ TableName: 't', KeySchema: [], AttributeDefinitions: [] }), false],
  ['UpdateTable', 'UpdateTableCommand', (c) => c.updateTable({ TableName: 't' }), false],
  ['DescribeTable', 'DescribeTableCommand', (c) => c.describeTable({ TableName: 't' }), false],
  ['DeleteTable', 'DeleteTableCommand', (c) => c.deleteTable({ TableName: 't' }), false],
  [
    'UpdateTimeToLive',
    'UpdateTimeToLiveCommand',
    (c) => c.updateTimeToLive({ TableName: 't', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }),
    false,
  ],
  ['DescribeTimeToLive', 'DescribeTimeToLiveCommand', (c) => c.describeTimeToLive({ TableName: 't' }), false],
  ['ListTables', 'ListTablesCommand', (c) => c.listTables(), false],
];

describe('observability: the logger record', () => {
  const sandbox = sinon.createSandbox();
  let records: RequestLogRecord[];
  const logger = (record: RequestLogRecord) => records.push(record);
  beforeEach(() => {
    records = [];
  });
  afterEach(() => sandbox.restore());

  it('every Connection method gives one record: operation, table, durationMs, attempts', async () => {
    const { conn, sent } = fakeConnection(sandbox, { logger }, () => ({ $metadata: { attempts: 2 } }));
    for (const [, , call] of CALLS) await call(conn);
    expect(records.map((r) => r.operation)).to.deep.equal(CALLS.map(([operation]) => operation));
    expect(sent.map((c) => c.name)).to.deep.equal(CALLS.map(([, command]) => command));
    for (const record of records) {
      expect(record.attempts, record.operation).to.equal(2);
      expect(record.durationMs, record.operation).to.be.a('number').and.at.least(0);
      expect(record.table, record.operation).to.equal(record.operation === 'ListTables' ? undefined : 't');
      expect(record, record.operation).not.to.have.any.keys('error', 'consumedCapacity', 'expressions');
    }
  });

  it('a failed request: the error and the attempts the SDK made; the error still reaches the caller', async () => {
    const failure = awsError('ProvisionedThroughputExceededException', 5);
    const { conn } = fakeConnection(sandbox, { logger }, () => Promise.reject(failure));
    for (const [operation, , call] of CALLS) {
      expect(await call(conn).catch((e: unknown) => e), operation).to.equal(failure);
    }
    expect(records).to.have.length(CALLS.length);
    for (const record of records) expect(record, record.operation).to.deep.include({ attempts: 5, error: failure });
  });

  it('batches and transactions name every table; a query its index', async () => {
    const { conn } = fakeConnection(sandbox, { logger });
    await conn.batchGet({ RequestItems: { a: { Keys: [{ id: '1' }] }, b: { Keys: [{ id: '2' }] } } });
    await conn.transactWrite({
      TransactItems: [{ Put: { TableName: 'a', Item: {} } }, { Put: { TableName: 'b', Item: {} } }, { Delete: { TableName: 'a', Key: {} } }],
    });
    await conn.query({ TableName: 'a', IndexName: 'gsi', KeyConditionExpression: 'x = :x' });
    expect(records.map((r) => [r.table, r.index])).to.deep.equal([
      ['a,b', undefined],
      ['a,b', undefined],
      ['a', 'gsi'],
    ]);
  });

  describe('returnConsumedCapacity', () => {
    for (const mode of ['TOTAL', 'INDEXES'] as const) {
      it(`'${mode}' is asked for on every data request, never on table operations; the record has what DynamoDB returned`, async () => {
        const consumed = { TableName: 't', CapacityUnits: 1 };
        const { conn, sent } = fakeConnection(sandbox, { logger, returnConsumedCapacity: mode }, (c) => ({
          $metadata: {},
          ...(c.input.ReturnConsumedCapacity ? { ConsumedCapacity: consumed } : {}),
        }));
        for (const [, , call] of CALLS) await call(conn);
        CALLS.forEach(([operation, , , data], i) => {
          expect(sent[i].input.ReturnConsumedCapacity, operation).to.equal(data ? mode : undefined);
          expect(records[i].consumedCapacity, operation).to.deep.equal(data ? consumed : undefined);
        });
      });
    }

    it("leaves the caller's input object as it was, and a mode the input gives wins", async () => {
      const { conn, sent } = fakeConnection(sandbox, { logger, returnConsumedCapacity: 'TOTAL' });
      const input = { TableName: 't', Key: { id: '1' } };
      await conn.get(input);
      expect(input).to.deep.equal({ TableName: 't', Key: { id: '1' } });
      expect(sent[0].input).to.deep.equal({ TableName: 't', Key: { id: '1' }, ReturnConsumedCapacity: 'TOTAL' });
      await conn.get({ ...input, ReturnConsumedCapacity: 'NONE' });
      expect(sent[1].input.ReturnConsumedCapacity).to.equal('NONE');
    });

    it('is not asked for when nothing would report it (no logger, no tracer)', async () => {
      const { conn, sent } = fakeConnection(sandbox, { returnConsumedCapacity: 'TOTAL' });
      await conn.get({ TableName: 't', Key: { id: '1' } });
      expect(sent[0].input).not.to.have.property('ReturnConsumedCapacity');
    });
  });

  describe('debug', () => {
    const answers = (c: { name: string }) => ({ $metadata: {}, ...(c.name === 'QueryCommand' ? { Items: [] } : {}) });

    it('debug: true adds the compiled expressions, every value redacted', async () => {
      const { conn } = fakeConnection(sandbox, { logger, debug: true }, answers);
      await conn.run(() => LogUser.where('id', '=', 'u1').filter('age', '>=', 18).select('name').all());
      expect(records).to.have.length(1);
      const { expressions } = records[0];
      expect(expressions).to.deep.equal({
        KeyConditionExpression: '#n1 = :v1',
        FilterExpression: '#n2 >= :v2',
        ProjectionExpression: '#n1, #n3',
        ExpressionAttributeNames: { '#n1': 'id', '#n2': 'age', '#n3': 'name' },
        ExpressionAttributeValues: { ':v1': '<redacted>', ':v2': '<redacted>' },
      });
      expect(JSON.stringify(records)).not.to.contain('u1');
    });

    it('debug: { values: true } shows the values', async () => {
      const { conn } = fakeConnection(sandbox, { logger, debug: { values: true } }, answers);
      await conn.run(() => LogUser.where('id', '=', 'u1').filter('age', '>=', 18).all());
      expect(records[0].expressions).to.deep.include({ ExpressionAttributeValues: { ':v1': 'u1', ':v2': 18 } });
    });

    it('conditions and updates of writes; no expressions key when the request has none', async () => {
      const { conn } = fakeConnection(sandbox, { logger, debug: true }, answers);
      await conn.run(() => LogUser.create({ id: 'u1', name: 'Ann' }));
      await conn.run(() => LogUser.update('u1').set('name', 'Bo').execute());
      await conn.get({ TableName: 't', Key: { id: '1' } });
      expect(records[0].expressions).to.have.property('ConditionExpression').that.is.a('string');
      expect(records[1].expressions).to.have.all.keys('UpdateExpression', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues');
      expect(Object.values((records[1].expressions as { ExpressionAttributeValues: object }).ExpressionAttributeValues)).to.deep.equal(['<redacted>']);
      expect(records[2]).not.to.have.property('expressions');
    });

    it('transactions and batch reads: one entry per action or table that has expressions', async () => {
      const { conn } = fakeConnection(sandbox, { logger, debug: true }, answers);
      await conn.transactWrite({
        TransactItems: [
          { Put: { TableName: 'a', Item: { id: '1' }, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'id' } } },
          { Delete: { TableName: 'b', Key: { id: '1' } } },
          {
            Update: {
              TableName: 'b',
              Key: { id: '2' },
              UpdateExpression: 'SET #n = :v',
              ExpressionAttributeNames: { '#n': 'n' },
              ExpressionAttributeValues: { ':v': 'secret' },
            },
          },
        ],
      });
      await conn.batchGet({
        RequestItems: { a: { Keys: [{ id: '1' }], ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': 'name' } }, b: { Keys: [{ id: '1' }] } },
      });
      await conn.batchWrite({ RequestItems: { a: [{ PutRequest: { Item: { id: '1' } } }] } });
      expect(records[0].expressions).to.deep.equal([
        { table: 'a', action: 'Put', ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'id' } },
        {
          table: 'b',
          action: 'Update',
          UpdateExpression: 'SET #n = :v',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':v': '<redacted>' },
        },
      ]);
      expect(records[1].expressions).to.deep.equal([{ table: 'a', ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': 'name' } }]);
      expect(records[2]).not.to.have.property('expressions');
    });

    it('the record of a failed request has the expressions too', async () => {
      const { conn } = fakeConnection(sandbox, { logger, debug: true }, () => Promise.reject(awsError('ValidationException')));
      await conn
        .query({ TableName: 't', KeyConditionExpression: '#a = :a', ExpressionAttributeNames: { '#a': 'id' }, ExpressionAttributeValues: { ':a': 'x' } })
        .catch(() => undefined);
      expect(records[0]).to.have.property('error');
      expect(records[0].expressions).to.deep.equal({
        KeyConditionExpression: '#a = :a',
        ExpressionAttributeNames: { '#a': 'id' },
        ExpressionAttributeValues: { ':a': '<redacted>' },
      });
    });
  });
});
