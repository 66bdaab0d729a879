import { expect } from 'chai';
import sinon from 'sinon';
import {
  ConditionFailedError,
  createTable,
  DynamormError,
  ensureTable,
  getConnection,
  ItemNotFoundError,
  TransactionCanceledError,
  transaction,
} from '../../../lib';
import { Counter, Doc, Project, User as Profile } from '../../support/fixtures/update-models';
import { rejection } from '../../support/thrown';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${++seq}`;

async function stored(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

describe('Model.update(key): the update builder (local DynamoDB)', () => {
  before(async () => {
    // Doc's table is made without enabling TTL, so the local server never sweeps it: an
    // expired item stays stored, as in DynamoDB until its sweep, and dynamorm must hide it.
    await Promise.all([ensureTable(Counter), ensureTable(Profile), ensureTable(Project), createTable(Doc)]);
  });

  async function profile(): Promise<Profile> {
    return Profile.create({
      id: nextId('p'),
      status: 'basic',
      nickname: 'nick',
      tags: new Set(['a', 'b']),
      history: ['h1', 'h2', 'h3'],
      credits: 10,
      email: 'x@y.z',
    });
  }

  it('set, remove, increment, decrement, setIfNotExists: each effect read back', async () => {
    const p = await profile();
    const joined = new Date('2025-05-06T07:08:09.000Z');
    await Profile.update(p.id)
      .set('status', 'premium')
      .set('joinedAt', joined)
      .remove('nickname')
      .decrement('credits', 3)
      .increment('score', 5)
      .setIfNotExists('email', 'other@y.z')
      .execute();
    const back = await Profile.find(p.id);
    expect(back.status).to.equal('premium');
    expect(back.joinedAt).to.deep.equal(joined);
    expect(back.nickname).to.equal(undefined);
    expect(back.credits).to.equal(7);
    expect(back.score).to.equal(5); // missing: counted from 0
    expect(back.email).to.equal('x@y.z'); // it existed: not overwritten
  });

  it('add and delete on a Set; append, prepend, setElement and removeElement on a list', async () => {
    const p = await profile();
    await Profile.update(p.id)
      .add('tags', new Set(['c']))
      .append('history', ['h4'])
      .execute();
    await Profile.update(p.id)
      .delete('tags', new Set(['a']))
      .prepend('history', ['h0'])
      .execute();
    await Profile.update(p.id).setElement('history', 1, 'H1').removeElement('history', 2).execute();
    const back = await Profile.find(p.id);
    expect(back.tags).to.deep.equal(new Set(['b', 'c']));
    expect(back.history).to.deep.equal(['h0', 'H1', 'h3', 'h4']);
  });

  it('append to a missing list starts it empty', async () => {
    const id = nextId('p');
    await Profile.create({ id });
    await Profile.update(id).append('history', ['first']).execute();
    expect((await Profile.find(id)).history).to.deep.equal(['first']);
  });

  it('an index key set to "" is removed: the item leaves the sparse index', async () => {
    const p = await profile();
    await Profile.update(p.id).set('email', '').execute();
    expect(await stored('upd_users', { id: p.id })).not.to.have.property('email');
    expect((await Profile.find(p.id)).email).to.equal(undefined);
  });

  it('the version goes up by exactly one and @UpdatedAt changes; @CreatedAt stays', async () => {
    const p = await profile();
    expect(p.version).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Profile.update(p.id).set('status', 'gold').execute();
    const back = await Profile.find(p.id);
    expect(back.version).to.equal(2);
    expect(back.updatedAt.getTime()).to.be.greaterThan(p.updatedAt.getTime());
    expect(back.createdAt).to.deep.equal(p.createdAt);
  });

  it('executeWithResult returns the updated model', async () => {
    const p = await profile();
    const fresh = await Profile.update(p.id)
      .set('status', 'premium')
      .add('tags', new Set(['vip']))
      .executeWithResult();
    expect(fresh).to.be.instanceOf(Profile);
    expect(fresh.status).to.equal('premium');
    expect(fresh.tags).to.deep.equal(new Set(['a', 'b', 'vip']));
    expect(fresh.version).to.equal(2);
    expect(fresh.isNew).to.equal(false);
    fresh.nickname = 'saved';
    await fresh.save(); // a usable loaded instance: version-checked save works
    expect((await Profile.find(p.id)).version).to.equal(3);
  });

  it('upsert creates a missing item (with version 1 and both timestamps)', async () => {
    const id = nextId('p');
    const made = await Profile.update(id).set('status', 'new').upsert().executeWithResult();
    expect(made.status).to.equal('new');
    expect(made.version).to.equal(1);
    expect(made.createdAt).to.be.instanceOf(Date);
    expect(made.updatedAt).to.deep.equal(made.createdAt);
    const cid = nextId('c');
    await Counter.update(cid).increment('count').upsert().execute();
    expect((await Counter.find(cid)).count).to.equal(1);
  });

  it('a missing item is ItemNotFoundError, and nothing is created', async () => {
    const id = nextId('missing');
    const error = await Counter.update(id)
      .increment('count')
      .execute()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ItemNotFoundError);
    expect(await Counter.get(id)).to.equal(undefined);
  });

  it('a failed if is ConditionFailedError (not ItemNotFoundError), and nothing is written', async () => {
    const p = await profile();
    const error = await Profile.update(p.id)
      .set('status', 'x')
      .if('version = :v', { v: 7 })
      .execute()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConditionFailedError);
    expect(error).not.to.be.instanceOf(ItemNotFoundError);
    const back = await Profile.find(p.id);
    expect([back.status, back.version]).to.deep.equal(['basic', 1]);
    await Profile.update(p.id).set('status', 'y').if('version = :v AND contains(tags, :t)', { v: 1, t: 'a' }).execute();
    expect((await Profile.find(p.id)).status).to.equal('y');
  });

  it('an if on a Date encodes the param as the property stores it', async () => {
    const p = await profile();
    await Profile.update(p.id).set('joinedAt', new Date('2025-01-01T00:00:00.000Z')).execute();
    await Profile.update(p.id)
      .set('status', 'early')
      .if('joinedAt < :t', { t: new Date('2025-06-01T00:00:00.000Z') })
      .execute();
    expect((await Profile.find(p.id)).status).to.equal('early');
  });

  it('50 concurrent increments on one counter end at exactly 50', async () => {
    const id = nextId('c');
    await Counter.create({ id });
    await Promise.all(Array.from({ length: 50 }, () => Counter.update({ id }).increment('count').execute()));
    expect((await Counter.find(id)).count).to.equal(50);
  });

  it('a key template as the key', async () => {
    await Project.create({ orgId: 'o1', projectId: 'p1', name: 'Apollo' });
    const fresh = await Project.update({ orgId: 'o1', projectId: 'p1' }).set('name', 'Artemis').executeWithResult();
    expect(fresh.name).to.equal('Artemis');
    expect([fresh.pk, fresh.sk]).to.deep.equal(['ORG#o1', 'PROJECT#p1']);
    expect((await Project.find({ orgId: 'o1', projectId: 'p1' })).name).to.equal('Artemis');
  });

  describe('an upsert that creates stores what create() would', () => {
    it('the key template sources, defaults, index templates, @CreatedAt and version 1: read back by find, found by filters on the sources', async () => {
      const [orgId, docId] = [nextId('org'), nextId('doc')];
      await Doc.update({ orgId, docId }).increment('views').upsert().execute();
      const doc = await Doc.find({ orgId, docId });
      expect([doc.orgId, doc.docId, doc.status, doc.labels, doc.orgKey, doc.views, doc.version]).to.deep.equal([
        orgId,
        docId,
        'draft',
        ['new'],
        `O#${orgId}`,
        1,
        1,
      ]);
      expect(doc.createdAt).to.be.instanceOf(Date);
      expect(doc.updatedAt).to.deep.equal(doc.createdAt);
      expect((await Doc.scan().filter('docId', '=', docId).all()).map((d) => d.orgId)).to.deep.equal([orgId]);
      expect((await Doc.where('orgId', '=', orgId).filter('status', '=', 'draft').all()).map((d) => d.docId)).to.deep.equal([docId]);
      expect((await Doc.query().index('gsi-org').where('orgKey', '=', `O#${orgId}`).all()).map((d) => d.docId)).to.deep.equal([docId]);
    });

    it("the builder's own operation wins over a default", async () => {
      const [orgId, docId] = [nextId('org'), nextId('doc')];
      await Doc.update({ orgId, docId }).set('status', 'live').append('labels', ['mine']).upsert().execute();
      const doc = await Doc.find({ orgId, docId });
      expect([doc.status, doc.labels]).to.deep.equal(['live', ['mine']]);
    });

    it('an upsert of an existing item keeps its @CreatedAt and stored values', async () => {
      const [orgId, docId] = [nextId('org'), nextId('doc')];
      const made = await Doc.create({ orgId, docId, status: 'published', labels: ['a'], title: 'kept' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Doc.update({ orgId, docId }).increment('views').upsert().execute();
      const doc = await Doc.find({ orgId, docId });
      expect([doc.status, doc.labels, doc.title, doc.views, doc.version]).to.deep.equal(['published', ['a'], 'kept', 1, 2]);
      expect(doc.createdAt).to.deep.equal(made.createdAt);
      expect(doc.updatedAt.getTime()).to.be.greaterThan(made.updatedAt.getTime());
    });
  });

  describe('expired items (@TTL passed, not yet swept)', () => {
    const sandbox = sinon.createSandbox();
    afterEach(() => sandbox.restore());
    const raw = (orgId: string, docId: string) => stored('upd_docs', { pk: `ORG#${orgId}`, sk: `DOC#${docId}` });

    async function expiredDoc(): Promise<{ orgId: string; docId: string; old: Doc }> {
      const [orgId, docId] = [nextId('org'), nextId('doc')];
      const old = await Doc.create({ orgId, docId, status: 'archived', labels: ['x'], views: 7, title: 'old', expiresAt: new Date(Date.now() - 60_000) });
      expect(await raw(orgId, docId)).to.have.property('title', 'old'); // stored, but hidden from reads
      expect(await Doc.get({ orgId, docId })).to.equal(undefined);
      return { orgId, docId, old };
    }

    it('without upsert: ItemNotFoundError, as get() says undefined; nothing written', async () => {
      const { orgId, docId } = await expiredDoc();
      const before = await raw(orgId, docId);
      const error = await rejection(Doc.update({ orgId, docId }).increment('views').executeWithResult());
      expect(error).to.be.instanceOf(ItemNotFoundError);
      expect((error as Error).message).to.contain('has expired');
      expect(await raw(orgId, docId)).to.deep.equal(before);
    });

    it('a false if on a live item with a TTL stays ConditionFailedError', async () => {
      const [orgId, docId] = [nextId('org'), nextId('doc')];
      await Doc.create({ orgId, docId, views: 1, expiresAt: new Date(Date.now() + 3_600_000) });
      const error = await rejection(Doc.update({ orgId, docId }).increment('views').if('views > :n', { n: 5 }).execute());
      expect(error).to.be.instanceOf(ConditionFailedError);
      expect(error).not.to.be.instanceOf(ItemNotFoundError);
      expect((await Doc.find({ orgId, docId })).views).to.equal(1);
    });

    it('with upsert: replaced as create() would, none of its old attributes surviving', async () => {
      const { orgId, docId, old } = await expiredDoc();
      const doc = await Doc.update({ orgId, docId }).increment('views').upsert().executeWithResult();
      expect([doc.views, doc.version, doc.status, doc.labels, doc.title, doc.expiresAt, doc.orgId]).to.deep.equal([
        1,
        1,
        'draft',
        ['new'],
        undefined,
        undefined,
        orgId,
      ]);
      expect(doc.createdAt.getTime()).to.be.greaterThan(old.createdAt.getTime());
      expect(await raw(orgId, docId)).not.to.have.property('title');
      expect((await Doc.find({ orgId, docId })).views).to.equal(1);
    });

    it('with upsert: an item renewed between the delete and its check is not deleted, and the update applies to it', async () => {
      const { orgId, docId } = await expiredDoc();
      const conn = getConnection();
      const renewed = Math.floor(Date.now() / 1000) + 3600;
      const original = conn.delete.bind(conn);
      const del = sandbox.stub(conn, 'delete').callsFake(async (input, options) => {
        // Someone saves the item with a new expiry just before our delete arrives.
        await conn.update({
          TableName: conn.tableName('upd_docs'),
          Key: { pk: `ORG#${orgId}`, sk: `DOC#${docId}` },
          UpdateExpression: 'SET expiresAt = :t',
          ExpressionAttributeValues: { ':t': renewed },
        });
        return original(input, options);
      });
      await Doc.update({ orgId, docId }).increment('views').upsert().execute();
      expect(del.callCount).to.equal(1);
      const doc = await Doc.find({ orgId, docId }, { consistent: true });
      expect([doc.title, doc.status, doc.views, doc.version]).to.deep.equal(['old', 'archived', 8, 2]);
      expect(Math.floor(doc.expiresAt!.getTime() / 1000)).to.equal(renewed);
    });

    it('with upsert, fault: the update after the delete fails; the error says so, and the expired item is gone with nothing written in its place', async () => {
      const { orgId, docId } = await expiredDoc();
      const conn = getConnection();
      const update = sandbox.stub(conn, 'update').callThrough();
      update.onSecondCall().rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException', $metadata: {} }));
      const error = await rejection(Doc.update({ orgId, docId }).increment('views').upsert().execute());
      expect(error).to.be.instanceOf(DynamormError);
      expect((error as Error).message)
        .to.contain('after deleting the expired item')
        .and.contain('Rate exceeded');
      expect(update.callCount).to.equal(2);
      sandbox.restore();
      expect(await raw(orgId, docId)).to.equal(undefined);
      // Sent again, the upsert creates it.
      await Doc.update({ orgId, docId }).increment('views').upsert().execute();
      expect((await Doc.find({ orgId, docId })).views).to.equal(1);
    });

    it('in a transaction: an update of an expired item cancels, its reason saying the item expired', async () => {
      const { orgId, docId } = await expiredDoc();
      const error = await rejection(transaction((tx) => void tx.update(Doc, { orgId, docId }).increment('views')));
      expect(error).to.be.instanceOf(TransactionCanceledError);
      expect((error as TransactionCanceledError).reasons[0].message).to.contain('has expired');
      const upsert = await rejection(transaction((tx) => void tx.update(Doc, { orgId, docId }).increment('views').upsert()));
      expect((upsert as TransactionCanceledError).reasons[0].message).to.contain('which a transaction cannot replace');
      expect(String((await raw(orgId, docId))?.views)).to.equal('7'); // untouched
    });
  });
});
