import { expect } from 'chai';
import { ConditionFailedError, ensureTable, getConnection, ItemNotFoundError } from '../../../lib';
import { Counter, Project, User as Profile } from '../../support/fixtures/update-models';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${++seq}`;

async function stored(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

describe('Model.update(key): the update builder (local DynamoDB)', () => {
  before(async () => {
    await Promise.all([ensureTable(Counter), ensureTable(Profile), ensureTable(Project)]);
  });

  async function profile(): Promise<Profile> {
    return Profile.create({
      id: nextId('p'), status: 'basic', nickname: 'nick', tags: new Set(['a', 'b']), history: ['h1', 'h2', 'h3'], credits: 10, email: 'x@y.z',
    });
  }

  it('set, remove, increment, decrement, setIfNotExists: each effect read back', async () => {
    const p = await profile();
    const joined = new Date('2025-05-06T07:08:09.000Z');
    await Profile.update(p.id).set('status', 'premium').set('joinedAt', joined).remove('nickname').decrement('credits', 3).increment('score', 5).setIfNotExists('email', 'other@y.z').execute();
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
    await Profile.update(p.id).add('tags', new Set(['c'])).append('history', ['h4']).execute();
    await Profile.update(p.id).delete('tags', new Set(['a'])).prepend('history', ['h0']).execute();
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
    const fresh = await Profile.update(p.id).set('status', 'premium').add('tags', new Set(['vip'])).executeWithResult();
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
    const error = await Counter.update(id).increment('count').execute().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ItemNotFoundError);
    expect(await Counter.get(id)).to.equal(undefined);
  });

  it('a failed if is ConditionFailedError (not ItemNotFoundError), and nothing is written', async () => {
    const p = await profile();
    const error = await Profile.update(p.id).set('status', 'x').if('version = :v', { v: 7 }).execute().catch((e: unknown) => e);
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
    await Profile.update(p.id).set('status', 'early').if('joinedAt < :t', { t: new Date('2025-06-01T00:00:00.000Z') }).execute();
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
});
