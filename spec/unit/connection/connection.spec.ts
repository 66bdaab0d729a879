import { expect } from 'chai';
import sinon from 'sinon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Attribute, BaseModel, connect, Connection, DynamormError, getConnection, Model, PartitionKey, type RequestLogRecord } from '../../../lib';
import { holder } from '../../../lib/connection/connection-context';
import { stubConnection } from '../../../lib/testing';

@Model({ table: 'conn_things' })
class Thing extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
}

describe('Connection', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('getConnection without connect() says what to do', () => {
    sandbox.replace(holder, 'current', null);
    expect(() => getConnection())
      .to.throw(DynamormError, 'call connect(')
      .with.property('message')
      .that.matches(/connectLambda\(/);
  });

  it('connect() sets the default connection and applies the table prefix', async () => {
    const previous = holder.current;
    try {
      const conn = connect({ region: 'local', tablePrefix: 'dev_' });
      expect(getConnection()).to.equal(conn);
      const get = sandbox.stub(conn, 'get').resolves({ Item: { id: '1' } } as never);
      await Thing.find('1');
      expect(get.firstCall.args[0].TableName).to.equal('dev_conn_things');
    } finally {
      holder.current = previous;
    }
  });

  it('run() scopes a connection to an async context, concurrently with others', async () => {
    const a = new Connection({ region: 'local', tablePrefix: 'a_' });
    const b = new Connection({ region: 'local', tablePrefix: 'b_' });
    const seen: string[] = [];
    for (const conn of [a, b]) {
      sandbox.stub(conn, 'get').callsFake(async (input) => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(String(input.TableName));
        return { Item: { id: '1', name: String(input.TableName) }, $metadata: {} };
      });
    }
    const [fromA, fromB] = await Promise.all([a.run(() => Thing.find('1')), b.run(() => Thing.find('1'))]);
    expect(fromA.name).to.equal('a_conn_things');
    expect(fromB.name).to.equal('b_conn_things');
    expect(seen.sort()).to.deep.equal(['a_conn_things', 'b_conn_things']);
  });

  it('a closed connection refuses requests and says so', async () => {
    const conn = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    conn.close();
    expect(conn.isClosed).to.equal(true);
    const err = await conn.get({ TableName: 't', Key: { id: '1' } }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DynamormError);
    expect((err as Error).message).to.contain('closed');
  });

  it('close() releases a client it built, and leaves a client passed in open (it belongs to the caller)', () => {
    const own = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const destroyOwn = sandbox.spy(own.client, 'destroy');
    own.close();
    expect(destroyOwn.callCount).to.equal(1);

    const client = new DynamoDBClient({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const destroyGiven = sandbox.spy(client, 'destroy');
    const given = new Connection({ client });
    expect(given.client).to.equal(client);
    given.close();
    expect(destroyGiven.callCount).to.equal(0);
    expect(given.isClosed).to.equal(true);
  });

  it('logs one record per request with operation, table, duration and attempts', async () => {
    const records: RequestLogRecord[] = [];
    const conn = new Connection({ region: 'local', logger: (r) => records.push(r) });
    const fakeDocument = { send: sinon.stub().resolves({ Item: { id: '1' }, $metadata: { attempts: 2 }, ConsumedCapacity: { CapacityUnits: 0.5 } }) };
    sandbox.stub(conn as unknown as { document: unknown }, 'document').get(() => fakeDocument);
    await conn.get({ TableName: 'things', Key: { id: '1' } });
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ operation: 'GetItem', table: 'things', attempts: 2 });
    expect(records[0].consumedCapacity).to.deep.equal({ CapacityUnits: 0.5 });
    expect(records[0].durationMs).to.be.a('number');

    fakeDocument.send.rejects(Object.assign(new Error('boom'), { $metadata: { attempts: 5 } }));
    await conn.query({ TableName: 'things', IndexName: 'gsi', KeyConditionExpression: 'x' }).catch(() => undefined);
    expect(records[1]).to.include({ operation: 'Query', table: 'things', index: 'gsi', attempts: 5 });
    expect((records[1].error as Error).message).to.equal('boom');
  });

  it('xray: true without aws-xray-sdk-core is a clear error', () => {
    const conn = new Connection({ region: 'local', xray: true });
    expect(() => conn.client).to.throw(DynamormError, 'aws-xray-sdk-core');
  });

  it('stubConnection installs stubs as the default connection until restore', async () => {
    const before = holder.current;
    const inner = sinon.createSandbox();
    const conn = stubConnection(inner);
    expect(getConnection()).to.equal(conn);
    expect(await Thing.get('1')).to.equal(undefined);
    expect(conn.get.callCount).to.equal(1);
    inner.restore();
    expect(holder.current).to.equal(before);
  });
});
