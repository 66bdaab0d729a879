import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  BeforeSave,
  BeforeUpdate,
  ConditionFailedError,
  DynamormError,
  Index,
  ItemNotFoundError,
  Model,
  PartitionKey,
  QueryError,
  TTL,
  UpdateBuilder,
  ValidationError,
} from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';
import { thrown } from '../../support/thrown';
import { Counter, Doc, Project, User } from '../../support/fixtures/update-models';

@Model({ table: 'upd_members' })
class Member extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'upd_sessions' })
class Session extends BaseModel {
  @PartitionKey() id!: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'upd_hooked' })
class Hooked extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) n?: number;
  @BeforeUpdate() @BeforeSave() refuse(): void {
    throw new Error('hooks must not run');
  }
}

@Model({ table: 'upd_handles' })
class Handle extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true, default: () => 'anon' }) handle?: string;
  @Attribute({ type: Number }) n?: number;
}

@Model({ table: 'upd_tagged' })
class Tagged extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-user', 'pk', { template: 'USER#{id}' }) userKey?: string;
  @Attribute({ type: Number }) n?: number;
}

const awsError = (name: string) => Object.assign(new Error(`${name} from the stub`), { name, $metadata: {} });
const conditionFailed = (extra: object = {}) =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...extra });

describe('Model.update(key): the update builder (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  const now = new Date('2026-01-02T03:04:05.678Z');
  const iso = now.toISOString();

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 'test_' });
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
  });
  afterEach(() => sandbox.restore());

  const sent = () =>
    (['get', 'put', 'update', 'delete', 'query', 'scan', 'batchGet', 'batchWrite', 'transactWrite', 'transactGet'] as const).reduce(
      (n, m) => n + conn[m].callCount,
      0,
    );

  describe('request shapes', () => {
    it('increment: if_not_exists(count, 0) + 1 under attribute_exists(<pk>)', () => {
      expect(Counter.update({ id: 'a' }).increment('count').toParams()).to.deep.equal({
        TableName: 'test_upd_counters',
        Key: { id: 'a' },
        UpdateExpression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
        ConditionExpression: 'attribute_exists(#n2)',
        ExpressionAttributeNames: { '#n1': 'count', '#n2': 'id' },
        ExpressionAttributeValues: { ':v1': 0, ':v2': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      expect(sent()).to.equal(0);
    });

    it('decrement negates; a bigint counts in bigints from 0n', () => {
      expect(Counter.update('a').decrement('count', 5).toParams().ExpressionAttributeValues).to.deep.equal({ ':v1': 0, ':v2': -5 });
      expect(Counter.update('a').increment('big').toParams().ExpressionAttributeValues).to.deep.equal({ ':v1': 0n, ':v2': 1n });
      expect(Counter.update('a').decrement('big', 3n).toParams().ExpressionAttributeValues).to.deep.equal({ ':v1': 0n, ':v2': -3n });
    });

    it('sets @UpdatedAt and bumps @Version with if_not_exists(version, 0) + 1', () => {
      expect(User.update('1').set('status', 'premium').toParams()).to.deep.equal({
        TableName: 'test_upd_users',
        Key: { id: '1' },
        UpdateExpression: 'SET #n1 = :v1, #n2 = :v2, #n3 = if_not_exists(#n3, :v3) + :v4',
        ConditionExpression: 'attribute_exists(#n4)',
        ExpressionAttributeNames: { '#n1': 'status', '#n2': 'updatedAt', '#n3': 'version', '#n4': 'id' },
        ExpressionAttributeValues: { ':v1': 'premium', ':v2': iso, ':v3': 0, ':v4': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });

    it("DESIGN §5's chain: every clause, in one request", () => {
      const params = User.update('123')
        .set('status', 'premium')
        .add('tags', new Set(['vip']))
        .remove('nickname')
        .append('history', ['x'])
        .decrement('credits', 5)
        .setIfNotExists('score', 0)
        .if('version = :v', { v: 3 })
        .toParams();
      expect(params.UpdateExpression).to.equal(
        'SET #n1 = :v1, #n2 = list_append(if_not_exists(#n2, :v2), :v3), #n3 = if_not_exists(#n3, :v4) + :v5, #n4 = if_not_exists(#n4, :v6), ' +
          '#n5 = :v7, #n6 = if_not_exists(#n6, :v8) + :v9 REMOVE #n7 ADD #n8 :v10',
      );
      expect(params.ConditionExpression).to.equal('attribute_exists(#n9) AND #n6 = :v11');
      expect(params.ExpressionAttributeNames).to.deep.equal({
        '#n1': 'status',
        '#n2': 'history',
        '#n3': 'credits',
        '#n4': 'score',
        '#n5': 'updatedAt',
        '#n6': 'version',
        '#n7': 'nickname',
        '#n8': 'tags',
        '#n9': 'id',
      });
      expect(params.ExpressionAttributeValues).to.deep.equal({
        ':v1': 'premium',
        ':v2': [],
        ':v3': ['x'],
        ':v4': 0,
        ':v5': -5,
        ':v6': 0,
        ':v7': iso,
        ':v8': 0,
        ':v9': 1,
        ':v10': new Set(['vip']),
        ':v11': 3,
      });
    });

    it('prepend, setElement, removeElement and delete', () => {
      const params = User.update('1')
        .prepend('history', ['a'])
        .delete('tags', new Set(['old']))
        .toParams();
      expect(params.UpdateExpression).to.equal(
        'SET #n1 = list_append(:v1, if_not_exists(#n1, :v2)), #n2 = :v3, #n3 = if_not_exists(#n3, :v4) + :v5 DELETE #n4 :v6',
      );
      expect(params.ExpressionAttributeValues).to.include({ ':v2': params.ExpressionAttributeValues![':v2'] });
      expect(params.ExpressionAttributeValues![':v1']).to.deep.equal(['a']);
      expect(params.ExpressionAttributeValues![':v6']).to.deep.equal(new Set(['old']));
      const elements = User.update('1').setElement('history', 2, 'y').removeElement('history', 0).toParams();
      expect(elements.UpdateExpression).to.equal('SET #n1[2] = :v1, #n2 = :v2, #n3 = if_not_exists(#n3, :v3) + :v4 REMOVE #n1[0]');
      expect(elements.ExpressionAttributeNames!['#n1']).to.equal('history');
    });

    it('values are stored as their declared types; an index key set to "" or null is REMOVEd (sparse index)', () => {
      const at = new Date('2025-05-06T07:08:09.000Z');
      expect(User.update('1').set('joinedAt', at).toParams().ExpressionAttributeValues![':v1']).to.equal('2025-05-06T07:08:09.000Z');
      const sparse = User.update('1').set('email', '').toParams();
      expect(sparse.UpdateExpression).to.equal('SET #n1 = :v1, #n2 = if_not_exists(#n2, :v2) + :v3 REMOVE #n3');
      expect(sparse.ExpressionAttributeNames).to.include({ '#n3': 'email' });
      expect(User.update('1').set('email', null).toParams().UpdateExpression).to.match(/REMOVE #n3$/);
      expect(User.update('1').set('nickname', null).toParams().ExpressionAttributeValues![':v1']).to.equal(null);
      expect(User.update('1').set('nickname', undefined).toParams().UpdateExpression).to.match(/REMOVE #n3$/);
    });

    it('if: property names become attribute names and params are encoded as the property stores them', () => {
      const at = new Date('2025-05-06T07:08:09.000Z');
      const params = User.update('1')
        .set('status', 'x')
        .if('joinedAt < :t AND contains(tags, :tag)', { t: at, tag: 'vip', unused: 1 })
        .if('attribute_not_exists(nickname)')
        .toParams();
      expect(params.ConditionExpression).to.equal('attribute_exists(#n4) AND #n5 < :v5 AND contains(#n6, :v6) AND attribute_not_exists(#n7)');
      expect(params.ExpressionAttributeValues).to.include({ ':v5': '2025-05-06T07:08:09.000Z', ':v6': 'vip' });
      expect(Object.keys(params.ExpressionAttributeValues!)).to.have.length(6);
    });

    it('upsert drops attribute_exists and sets @CreatedAt only if the item has none', () => {
      expect(Counter.update('a').increment('count').upsert().toParams()).to.deep.equal({
        TableName: 'test_upd_counters',
        Key: { id: 'a' },
        UpdateExpression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
        ExpressionAttributeNames: { '#n1': 'count' },
        ExpressionAttributeValues: { ':v1': 0, ':v2': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      const params = User.update('1').set('status', 'new').upsert().toParams();
      expect(params.UpdateExpression).to.equal('SET #n1 = :v1, #n2 = if_not_exists(#n2, :v2), #n3 = :v3, #n4 = if_not_exists(#n4, :v4) + :v5');
      expect(params.ExpressionAttributeNames).to.deep.equal({ '#n1': 'status', '#n2': 'createdAt', '#n3': 'updatedAt', '#n4': 'version' });
      expect(params).not.to.have.property('ConditionExpression');
    });

    it('a key template is the key: its sources build pk and sk', () => {
      const params = Project.update({ orgId: 'o1', projectId: 'p#1' }).set('name', 'Apollo').toParams();
      expect(params.Key).to.deep.equal({ pk: 'ORG#o1', sk: 'PROJECT#p\\#1' });
      expect(params.ConditionExpression).to.equal('attribute_exists(#n2)');
      expect(params.ExpressionAttributeNames).to.deep.equal({ '#n1': 'name', '#n2': 'pk' });
    });

    it('is immutable: each call returns a new builder, and a base can be branched', () => {
      const base = Counter.update('a');
      const one = base.increment('count');
      const two = base.set('count', 7);
      expect(one).to.be.instanceOf(UpdateBuilder);
      expect(one).not.to.equal(base);
      expect(one.toParams().UpdateExpression).to.equal('SET #n1 = if_not_exists(#n1, :v1) + :v2');
      expect(two.toParams().UpdateExpression).to.equal('SET #n1 = :v1');
      expect(one.upsert().toParams()).not.to.have.property('ConditionExpression');
      expect(one.toParams()).to.have.property('ConditionExpression');
      expect(thrown(QueryError, () => base.toParams()).message).to.equal(
        'Counter.update(id="a"): nothing to update; add an operation such as set(...) or increment(...).',
      );
    });

    it('property names and value types are checked at compile time', () => {
      // Never called: tsc checks the lines below.
      const typeChecks = () => {
        // @ts-expect-error not a property
        User.update('1').set('nmae', 'x');
        // @ts-expect-error a string property is not a number
        User.update('1').set('credits', 'x');
        // @ts-expect-error increment takes number properties only
        User.update('1').increment('status');
        // @ts-expect-error add takes Set properties only
        User.update('1').add('history', new Set(['x']));
        // @ts-expect-error members of a Set<string> are strings
        User.update('1').add('tags', new Set([1]));
        // @ts-expect-error append takes list properties only
        User.update('1').append('tags', ['x']);
        // @ts-expect-error list elements are strings
        User.update('1').append('history', [1]);
        // @ts-expect-error the resolved value is a User
        const n: number = User.update('1').set('status', 'x').executeWithResult();
        return n;
      };
      expect(typeChecks).to.be.a('function');
    });
  });

  describe('execute / executeWithResult', () => {
    it('execute sends exactly the toParams request once and resolves void', async () => {
      const builder = Counter.update({ id: 'a' }).increment('count', 2);
      // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- on purpose: checks that execute() resolves undefined, as its void type says
      expect(await builder.execute()).to.equal(undefined);
      expect(sent()).to.equal(1);
      expect(conn.update.firstCall.args[0]).to.deep.equal(builder.toParams());
    });

    it('executeWithResult asks for ALL_NEW and resolves to a hydrated model', async () => {
      conn.update.resolves({ Attributes: { id: '1', status: 'premium', version: 4, tags: new Set(['vip']), updatedAt: iso } });
      const user = await User.update('1').set('status', 'premium').executeWithResult();
      expect(conn.update.firstCall.args[0]).to.deep.include({ ReturnValues: 'ALL_NEW' });
      expect(user).to.be.instanceOf(User);
      expect(user.isNew).to.equal(false);
      expect(user.status).to.equal('premium');
      expect(user.version).to.equal(4);
      expect(user.updatedAt).to.deep.equal(now);
      expect(user.changedAttributes()).to.deep.equal([]);
    });

    it('runs no instance hooks', async () => {
      await Hooked.update('h').increment('n').execute();
      expect(conn.update.callCount).to.equal(1);
    });

    it('a failed condition with no item returned, and none stored: ItemNotFoundError', async () => {
      conn.update.rejects(conditionFailed());
      conn.get.resolves({});
      const error = await Counter.update('gone')
        .increment('count')
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ItemNotFoundError);
      expect((error as Error).message).to.equal(
        'Counter.update (id="gone"): no item with this key; nothing was written. Add .upsert() to create it, or create() it first.',
      );
      expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: 'test_upd_counters', Key: { id: 'gone' }, ConsistentRead: true });
    });

    it('a failed condition that returns the old item (ALL_OLD): ConditionFailedError, without another read', async () => {
      conn.update.rejects(conditionFailed({ Item: { id: { S: 'a' }, count: { N: '1' } } }));
      const error = await Counter.update('a')
        .increment('count')
        .if('count < :max', { max: 1 })
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConditionFailedError);
      expect(error).not.to.be.instanceOf(ItemNotFoundError);
      expect((error as Error).message).to.equal(
        'Counter.update (id="a"): the condition "attribute_exists(#n2) AND #n1 < :v3" did not hold; nothing was written.',
      );
      expect(conn.get.callCount).to.equal(0);
    });

    it('an upsert whose if fails: ConditionFailedError', async () => {
      conn.update.rejects(conditionFailed());
      const error = await Counter.update('a')
        .increment('count')
        .if('count < :max', { max: 1 })
        .upsert()
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConditionFailedError);
      expect(error).not.to.be.instanceOf(ItemNotFoundError);
      expect(conn.get.callCount).to.equal(0);
    });
  });

  describe('upsert creates what create() would', () => {
    it("stores the key template sources, defaults and index templates with if_not_exists; the user's own operation wins over a default", () => {
      expect(Doc.update({ orgId: 'o1', docId: 'd1' }).set('status', 'live').upsert().toParams()).to.deep.equal({
        TableName: 'test_upd_docs',
        Key: { pk: 'ORG#o1', sk: 'DOC#d1' },
        UpdateExpression:
          'SET #n1 = :v1, #n2 = if_not_exists(#n2, :v2), #n3 = if_not_exists(#n3, :v3), #n4 = if_not_exists(#n4, :v4), #n5 = if_not_exists(#n5, :v5), ' +
          '#n6 = if_not_exists(#n6, :v6), #n7 = :v7, #n8 = if_not_exists(#n8, :v8) + :v9',
        ConditionExpression: 'NOT #n9 < :v10', // missing, or not expired
        ExpressionAttributeNames: {
          '#n1': 'status',
          '#n2': 'orgId',
          '#n3': 'docId',
          '#n4': 'labels',
          '#n5': 'orgKey',
          '#n6': 'createdAt',
          '#n7': 'updatedAt',
          '#n8': 'version',
          '#n9': 'expiresAt',
        },
        ExpressionAttributeValues: {
          ':v1': 'live',
          ':v2': 'o1',
          ':v3': 'd1',
          ':v4': ['new'],
          ':v5': 'O#o1',
          ':v6': iso,
          ':v7': iso,
          ':v8': 0,
          ':v9': 1,
          ':v10': Math.floor(now.getTime() / 1000),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      // Without the user's status, its default is stored too; without upsert, none of them.
      expect(Doc.update({ orgId: 'o1', docId: 'd1' }).append('labels', ['x']).upsert().toParams().ExpressionAttributeNames).to.deep.include({
        '#n2': 'orgId',
        '#n4': 'status',
      });
      expect(Object.values(Doc.update({ orgId: 'o1', docId: 'd1' }).set('title', 't').toParams().ExpressionAttributeNames!)).to.deep.equal([
        'title',
        'updatedAt',
        'version',
        'pk',
        'expiresAt',
      ]);
    });

    it('an index template rendered from a plain partition key given as a lone value', () => {
      const params = Tagged.update('u1').increment('n').upsert().toParams();
      expect(params.UpdateExpression).to.equal('SET #n1 = if_not_exists(#n1, :v1) + :v2, #n2 = if_not_exists(#n2, :v3)');
      expect([params.ExpressionAttributeNames!['#n2'], params.ExpressionAttributeValues![':v3']]).to.deep.equal(['userKey', 'USER#u1']);
    });

    it('a templated key given as stored values, or a unique attribute with a default: QueryError at upsert(), nothing sent', async () => {
      const raw = Doc.update({ pk: 'ORG#o1', sk: 'DOC#d1' }).set('title', 't');
      expect(raw.toParams().Key).to.deep.equal({ pk: 'ORG#o1', sk: 'DOC#d1' }); // fine without upsert
      expect(thrown(QueryError, () => raw.upsert()).message).to.equal(
        'Doc.update(pk="ORG#o1", sk="DOC#d1").upsert(): give the key as { orgId }, not \'pk\': an upsert stores them, as create() does.',
      );
      expect(thrown(QueryError, () => Handle.update('h').increment('n').upsert()).message).to.include("unique 'handle' has a default");
      expect(sent()).to.equal(0);
    });
  });

  describe('expired items (@TTL passed) count as missing', () => {
    const past = { N: String(Math.floor(now.getTime() / 1000) - 60) };
    const key = { pk: 'ORG#o1', sk: 'DOC#d1' };

    it('without upsert: an expired item returned with the failure is ItemNotFoundError; nothing deleted or resent', async () => {
      conn.update.rejects(conditionFailed({ Item: { pk: { S: 'ORG#o1' }, sk: { S: 'DOC#d1' }, expiresAt: past } }));
      const error = await Doc.update({ orgId: 'o1', docId: 'd1' })
        .increment('views')
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ItemNotFoundError);
      expect((error as Error).message).to.equal(
        'Doc.update (pk="ORG#o1", sk="DOC#d1"): the item has expired (its @TTL passed); nothing was written. Add .upsert() to create it, or create() it first.',
      );
      expect([conn.update.callCount, conn.delete.callCount, conn.get.callCount]).to.deep.equal([1, 0, 0]);
    });

    it('without upsert and no item returned: a consistent read that finds it expired is ItemNotFoundError; a live one with a false if ConditionFailedError', async () => {
      conn.update.rejects(conditionFailed());
      conn.get.onFirstCall().resolves({ Item: { ...key, expiresAt: Number(past.N) } });
      expect(
        await Doc.update({ orgId: 'o1', docId: 'd1' })
          .increment('views')
          .execute()
          .catch((e: unknown) => e),
      ).to.be.instanceOf(ItemNotFoundError);
      conn.get.onSecondCall().resolves({ Item: { ...key, expiresAt: Number(past.N) + 3600 } });
      const error = await Doc.update({ orgId: 'o1', docId: 'd1' })
        .increment('views')
        .if('views < :m', { m: 1 })
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConditionFailedError);
      expect(error).not.to.be.instanceOf(ItemNotFoundError);
    });

    it('with upsert: the expired item is deleted while still expired, then the same update is sent again onto no item', async () => {
      conn.update.onFirstCall().rejects(conditionFailed({ Item: { pk: { S: 'ORG#o1' }, sk: { S: 'DOC#d1' }, title: { S: 'old' }, expiresAt: past } }));
      conn.update
        .onSecondCall()
        .resolves({ Attributes: { ...key, orgId: 'o1', docId: 'd1', status: 'draft', views: 1, version: 1, createdAt: iso, updatedAt: iso } });
      const doc = await Doc.update({ orgId: 'o1', docId: 'd1' }).increment('views').upsert().executeWithResult();
      expect(conn.delete.callCount).to.equal(1);
      expect(conn.delete.firstCall.args[0]).to.deep.equal({
        TableName: 'test_upd_docs',
        Key: key,
        ConditionExpression: '#n1 < :v1',
        ExpressionAttributeNames: { '#n1': 'expiresAt' },
        ExpressionAttributeValues: { ':v1': Math.floor(now.getTime() / 1000) },
      });
      expect(conn.update.callCount).to.equal(2);
      expect(conn.update.secondCall.args[0]).to.deep.equal(conn.update.firstCall.args[0]);
      expect(conn.delete.calledAfter(conn.update)).to.equal(true);
      expect(conn.update.secondCall.calledAfter(conn.delete.firstCall)).to.equal(true);
      expect([doc.views, doc.version, doc.status]).to.deep.equal([1, 1, 'draft']);
    });

    it("with upsert, and no item returned: the consistent read decides; a renewed item (the delete's condition fails) is kept and updated", async () => {
      conn.update.onFirstCall().rejects(conditionFailed());
      conn.get.resolves({ Item: { ...key, expiresAt: Number(past.N) } });
      conn.delete.rejects(conditionFailed()); // its TTL was renewed between the two steps
      await Doc.update({ orgId: 'o1', docId: 'd1' }).increment('views').upsert().execute();
      expect([conn.get.callCount, conn.delete.callCount, conn.update.callCount]).to.deep.equal([1, 1, 2]);
    });

    it('faults: a failed delete stops before the retry; a failed retry says the expired item was deleted; a false if on the retry is ConditionFailedError, sent once more only', async () => {
      const expired = () => conditionFailed({ Item: { pk: { S: 'ORG#o1' }, sk: { S: 'DOC#d1' }, expiresAt: past } });
      const upsert = () =>
        Doc.update({ orgId: 'o1', docId: 'd1' })
          .increment('views')
          .if('attribute_not_exists(title)')
          .upsert()
          .execute()
          .then(
            () => new Error('resolved'),
            (e: unknown) => e as Error,
          );

      conn.update.rejects(expired());
      conn.delete.rejects(awsError('ProvisionedThroughputExceededException'));
      const deleteFailed = await upsert();
      expect(deleteFailed).to.be.instanceOf(DynamormError);
      expect(deleteFailed.message).to.include('Doc.update (upsert: deleting the expired item; nothing was written)');
      expect((deleteFailed as DynamormError).cause).to.have.property('name', 'ProvisionedThroughputExceededException');
      expect([conn.update.callCount, conn.delete.callCount]).to.deep.equal([1, 1]);

      conn.update.reset();
      conn.delete.reset();
      conn.delete.resolves({});
      conn.update.onFirstCall().rejects(expired());
      conn.update.onSecondCall().rejects(awsError('ProvisionedThroughputExceededException'));
      const retryFailed = await upsert();
      expect(retryFailed).to.be.instanceOf(DynamormError);
      expect(retryFailed).not.to.be.instanceOf(ConditionFailedError);
      expect(retryFailed.message).to.include('Doc.update (upsert: after deleting the expired item) (pk="ORG#o1", sk="DOC#d1") failed');
      expect([conn.update.callCount, conn.delete.callCount]).to.deep.equal([2, 1]);

      conn.update.reset();
      conn.delete.reset();
      conn.delete.resolves({});
      conn.update.onFirstCall().rejects(expired());
      conn.update.onSecondCall().rejects(expired()); // even an expired item again: no third attempt
      const falseIf = await upsert();
      expect(falseIf).to.be.instanceOf(ConditionFailedError);
      expect(falseIf).not.to.be.instanceOf(ItemNotFoundError);
      expect([conn.update.callCount, conn.delete.callCount]).to.deep.equal([2, 1]);
    });
  });

  describe('bad input: a typed error before any request', () => {
    const cases: Array<[string, () => unknown, new (...args: never[]) => Error, string]> = [
      [
        'two operations on one path',
        () => User.update('1').set('status', 'a').remove('status'),
        QueryError,
        "User.update(...).remove('status') overlaps set('status'): one update may change a path only once (DynamoDB's rule). Combine them into one operation, or send two updates.",
      ],
      [
        'overlapping paths',
        () => User.update('1').append('history', ['x']).setElement('history', 0, 'y'),
        QueryError,
        "User.update(...).setElement('history', 0) overlaps append('history'): one update may change a path only once (DynamoDB's rule). Combine them into one operation, or send two updates.",
      ],
      [
        'two elements of one list are fine, but not the same one twice',
        () => User.update('1').setElement('history', 0, 'a').setElement('history', 1, 'b').removeElement('history', 0),
        QueryError,
        "User.update(...).removeElement('history', 0) overlaps setElement('history', 0)",
      ],
      [
        'a table key',
        () => User.update('1').set('id', '2'),
        QueryError,
        "User.update(...).set('id'): 'id' is part of the table key, which cannot change in place; delete the item and create a new one instead.",
      ],
      [
        'a key-template source of the table key',
        () => Project.update({ orgId: 'o', projectId: 'p' }).set('orgId', 'o2'),
        QueryError,
        "Project.update(...).set('orgId'): 'orgId' is a source of the table key 'pk' (ORG#{orgId}), which cannot change in place; delete the item and create a new one instead.",
      ],
      [
        '@UpdatedAt',
        () => User.update('1').set('updatedAt', new Date()),
        QueryError,
        "User.update(...).set('updatedAt'): 'updatedAt' is the @UpdatedAt timestamp, which every update sets itself.",
      ],
      [
        '@Version',
        () => User.update('1').increment('version'),
        QueryError,
        "User.update(...).increment('version'): 'version' is the @Version, which every update bumps by one itself.",
      ],
      [
        'a unique attribute',
        () => Member.update('1').set('email', 'a@b.co'),
        QueryError,
        "Member.update(...).set('email'): 'email' is unique, and its guard item moves only with save(); load the instance and save() it.",
      ],
      [
        '@TTL in a model with unique attributes',
        () => Member.update('1').set('expiresAt', new Date()),
        QueryError,
        "Member.update(...).set('expiresAt'): 'expiresAt' is the @TTL of a model with unique attributes, whose guards carry its expiry; load the instance and save() it.",
      ],
      [
        'an unknown property',
        () => User.update('1').set('nmae' as never, 'x' as never),
        QueryError,
        "User.update(...).set('nmae'): 'nmae' is not a property of User (known: id, status, nickname, tags, history, credits, score, joinedAt, email, version, createdAt, updatedAt).",
      ],
      [
        'a value of the wrong type',
        () => User.update('1').set('credits', 'x' as never),
        ValidationError,
        'User.credits: expected a number, got the string "x".',
      ],
      ['NaN', () => User.update('1').increment('credits', NaN), ValidationError, 'User.credits: NaN is not a finite number'],
      ['Infinity', () => User.update('1').set('score', Infinity), ValidationError, 'User.score: Infinity is not a finite number'],
      ['a number for a bigint', () => Counter.update('1').increment('big', 2 as never), ValidationError, 'Counter.big: expected a bigint, got number 2.'],
      ['a Date that is invalid', () => User.update('1').set('joinedAt', new Date(NaN)), ValidationError, 'User.joinedAt: Invalid Date cannot be stored.'],
      [
        'an empty Set to add',
        () => User.update('1').add('tags', new Set()),
        ValidationError,
        'User.tags: an empty Set cannot be stored or applied (DynamoDB has no empty set); leave the operation out, or remove() the property.',
      ],
      ['an empty Set to delete', () => User.update('1').delete('tags', new Set()), ValidationError, 'User.tags: an empty Set cannot be stored'],
      ['an empty Set to set', () => User.update('1').set('tags', new Set()), ValidationError, 'User.tags: an empty Set cannot be stored'],
      ['an array for a Set', () => User.update('1').add('tags', ['a'] as never), ValidationError, "User.tags: add('tags') takes a Set, e.g. new Set(['a'])."],
      [
        'increment of a string property',
        () => User.update('1').increment('status' as never),
        QueryError,
        "User.status: increment('status') takes a number property, and 'status' is declared as a string.",
      ],
      [
        'a negative list index',
        () => User.update('1').removeElement('history', -1),
        QueryError,
        "User.history: removeElement('history', -1) takes a list index (an integer from 0), not -1.",
      ],
      [
        'a missing if param',
        () => User.update('1').set('status', 'a').if('status = :s', {}),
        QueryError,
        "':s' is used but params has no 's', at position 9 in 'status = :s'",
      ],
      ['an unknown property in if', () => User.update('1').set('status', 'a').if('stauts = :s', { s: 'x' }), QueryError, "'stauts' is not a property of User"],
      [
        'an if param of the wrong type',
        () => User.update('1').set('status', 'a').if('credits > :c', { c: 'x' }),
        ValidationError,
        'User.credits: expected a number, got the string "x".',
      ],
      ['a key missing a part', () => Project.update({ orgId: 'o' }), ValidationError, "Project: the key is missing 'projectId'"],
      [
        'setIfNotExists of an index key with ""',
        () => User.update('1').setIfNotExists('email', ''),
        ValidationError,
        "User.email: setIfNotExists('email') needs a value to store, got ''.",
      ],
    ];
    for (const [name, run, type, message] of cases) {
      it(`${name}: ${type.name}`, () => {
        const error = thrown(type, run);
        expect(error.message).to.include(message);
        expect(sent()).to.equal(0);
      });
    }

    it('@TTL in a model without unique attributes is fine', () => {
      const at = new Date('2030-01-01T00:00:00.000Z');
      const params = Session.update('s').set('expiresAt', at).toParams();
      expect(params.ExpressionAttributeValues).to.deep.equal({ ':v1': Math.floor(at.getTime() / 1000), ':v2': Math.floor(now.getTime() / 1000) });
      expect(params.ConditionExpression).to.equal('attribute_exists(#n2) AND NOT #n1 < :v2'); // an expired item counts as missing
    });

    it('execute of an empty update rejects with a QueryError and sends nothing', async () => {
      const error = await Counter.update('a')
        .execute()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(QueryError);
      expect(sent()).to.equal(0);
    });
  });
});
