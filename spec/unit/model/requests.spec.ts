import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  ConditionFailedError,
  CreatedAt,
  DynamormError,
  ItemExistsError,
  ItemNotFoundError,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  UpdatedAt,
  Version,
  VersionConflictError,
} from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';

@Model({ table: 'req_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute() status?: string;
  @Version() version!: number;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
}

@Model({ table: 'req_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Attribute() total?: number;
  @TTL() expiresAt?: Date;
}

describe('model requests (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  const now = new Date('2026-01-02T03:04:05.678Z');

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 'test_' });
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
  });
  afterEach(() => sandbox.restore());

  const totalCalls = () =>
    (['get', 'put', 'update', 'delete', 'query', 'scan', 'batchGet', 'batchWrite', 'transactWrite', 'transactGet', 'describeTable'] as const).reduce(
      (sum, method) => sum + conn[method].callCount,
      0,
    );

  it('find, get and create each send exactly one request', async () => {
    conn.get.resolves({ Item: { id: '1', version: 1 } });
    await User.find('1');
    expect(totalCalls()).to.equal(1);
    await User.get('1');
    expect(totalCalls()).to.equal(2);
    await User.create({ id: '2' });
    expect(totalCalls()).to.equal(3);
    expect([conn.get.callCount, conn.put.callCount]).to.deep.equal([2, 1]);
  });

  describe('find / get', () => {
    it('sends exactly one GetItem with the prefixed table and the key', async () => {
      conn.get.resolves({ Item: { id: '1', name: 'Ann', version: 3 } });
      const user = await User.find('1');
      expect(conn.get.callCount).to.equal(1);
      expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: 'test_req_users', Key: { id: '1' } });
      expect(user).to.be.instanceOf(User);
      expect(user.name).to.equal('Ann');
      expect(user.version).to.equal(3);
      expect(user.isNew).to.equal(false);
    });

    it('builds composite keys and strongly consistent reads', async () => {
      conn.get.resolves({});
      expect(await Order.get({ customerId: 'c1', orderId: 7 }, { consistent: true })).to.equal(undefined);
      expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: 'test_req_orders', Key: { customerId: 'c1', orderId: 7 }, ConsistentRead: true });
    });

    it('passes an abort signal to the connection', async () => {
      const controller = new AbortController();
      await User.get('1', { abortSignal: controller.signal });
      expect(conn.get.firstCall.args[1]).to.deep.equal({ abortSignal: controller.signal });
    });

    it('wraps SDK errors, naming the table', async () => {
      conn.get.rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
      const err = await User.get('1').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(DynamormError);
      expect((err as Error).message).to.contain("table 'test_req_users' does not exist");
      expect((err as { cause?: { name?: string } }).cause?.name).to.equal('ResourceNotFoundException');
      expect((err as { params?: unknown }).params).to.deep.equal({ TableName: 'test_req_users', Key: { id: '1' } });
    });

    it('find of a missing key is ItemNotFoundError naming model and key', async () => {
      const err = await User.find('nope').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemNotFoundError);
      expect((err as Error).message)
        .to.contain('User.find')
        .and.contain('id="nope"');
    });

    it('hides items whose TTL has passed unless withExpired', async () => {
      const past = Math.floor(now.getTime() / 1000) - 10;
      conn.get.resolves({ Item: { customerId: 'c', orderId: 1, expiresAt: past } });
      expect(await Order.get({ customerId: 'c', orderId: 1 })).to.equal(undefined);
      const kept = await Order.get({ customerId: 'c', orderId: 1 }, { withExpired: true });
      expect(kept?.expiresAt?.getTime()).to.equal(past * 1000);
    });
  });

  describe('create', () => {
    it('sends one conditional Put with version 1 and both timestamps', async () => {
      await User.create({ id: '1', name: 'Ann' });
      expect(conn.put.callCount).to.equal(1);
      expect(conn.put.firstCall.args[0]).to.deep.equal({
        TableName: 'test_req_users',
        Item: { id: '1', name: 'Ann', version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(#n1)',
        ExpressionAttributeNames: { '#n1': 'id' },
      });
    });

    it('with @TTL, accepts an expired item in the way', async () => {
      await Order.create({ customerId: 'c', orderId: 1 });
      const params = conn.put.firstCall.args[0];
      expect(params.ConditionExpression).to.equal('attribute_not_exists(#n1) OR #n2 < :v1');
      expect(params.ExpressionAttributeNames).to.deep.equal({ '#n1': 'customerId', '#n2': 'expiresAt' });
      expect(params.ExpressionAttributeValues).to.deep.equal({ ':v1': Math.floor(now.getTime() / 1000) });
    });

    it('turns a failed condition into ItemExistsError and leaves the instance new', async () => {
      conn.put.rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
      const user = User.build({ id: '1' });
      const err = await user.create().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemExistsError);
      expect((err as Error).message).to.contain('id="1"');
      expect((err as { cause?: { name?: string } }).cause?.name).to.equal('ConditionalCheckFailedException');
      expect(user.isNew).to.equal(true);
      expect(user.version).to.equal(undefined);
    });
  });

  describe('save of a loaded item', () => {
    async function loaded(): Promise<User> {
      conn.get.resolves({ Item: { id: '1', name: 'Ann', status: 'new', version: 4, createdAt: '2020-01-01T00:00:00.000Z' } });
      return User.find('1');
    }

    it('updates only the changed attributes, checks existence and version, bumps the version', async () => {
      const user = await loaded();
      user.name = 'Bo';
      user.status = undefined;
      await user.save();
      expect(conn.update.callCount).to.equal(1);
      expect(conn.update.firstCall.args[0]).to.deep.equal({
        TableName: 'test_req_users',
        Key: { id: '1' },
        ConditionExpression: 'attribute_exists(#n1) AND #n2 = :v1',
        UpdateExpression: 'SET #n3 = :v2, #n4 = :v3, #n2 = :v4 REMOVE #n5',
        ExpressionAttributeNames: { '#n1': 'id', '#n2': 'version', '#n3': 'name', '#n4': 'updatedAt', '#n5': 'status' },
        ExpressionAttributeValues: { ':v1': 4, ':v2': 'Bo', ':v3': now.toISOString(), ':v4': 5 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      expect(user.version).to.equal(5);
      expect(user.changedAttributes()).to.deep.equal([]);
    });

    it('sends nothing and bumps nothing when nothing changed', async () => {
      const user = await loaded();
      await user.save();
      expect(conn.update.callCount).to.equal(0);
      expect(conn.put.callCount).to.equal(0);
      expect(user.version).to.equal(4);
    });

    it('a stale version is VersionConflictError and the instance keeps its version', async () => {
      const user = await loaded();
      conn.update.rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException', Item: { id: { S: '1' } } }));
      user.name = 'Cy';
      const err = await user.save().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VersionConflictError);
      expect((err as Error).message).to.contain('expected version 4');
      expect(user.version).to.equal(4);
      expect(user.changedAttributes()).to.deep.equal(['name']);
    });

    it('an item deleted meanwhile is ItemNotFoundError', async () => {
      const user = await loaded();
      conn.update.rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));
      conn.get.resolves({});
      user.name = 'Cy';
      const err = await user.save().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemNotFoundError);
    });
  });

  it('when the item cannot be read to explain a failed condition, says only that the condition failed', async () => {
    conn.get.onFirstCall().resolves({ Item: { id: '1', name: 'Ann', version: 4 } });
    const user = await User.find('1');
    conn.update.rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));
    conn.get.rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    user.name = 'Cy';
    const err = await user.save().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConditionFailedError);
    expect(err).to.not.be.instanceOf(VersionConflictError);
    expect((err as Error).message).to.contain('changed or was deleted');
  });

  describe('delete', () => {
    it('is conditional on the loaded version', async () => {
      conn.get.resolves({ Item: { id: '1', version: 2 } });
      const user = await User.find('1');
      await user.delete();
      expect(conn.delete.firstCall.args[0]).to.deep.equal({
        TableName: 'test_req_users',
        Key: { id: '1' },
        ConditionExpression: '#n1 = :v1',
        ExpressionAttributeNames: { '#n1': 'version' },
        ExpressionAttributeValues: { ':v1': 2 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      expect(user.isNew).to.equal(true);
    });
  });
});
