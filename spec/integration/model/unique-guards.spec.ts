import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  ConditionFailedError,
  ensureTable,
  getConnection,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  UniqueConstraintError,
  ValidationError,
} from '../../../lib';

// Swept: the test run's local server deletes expired items of this table every 100 ms.
@Model({ table: 'ug_members' })
class Member extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @TTL() expiresAt?: Date;
}

// The same shape on a table whose TTL is switched off, so expired items stay as long as a
// test needs them: "expired but not swept yet" made deterministic.
@Model({ table: 'ug_stale_members' })
class StaleMember extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'ug_handles' })
class Handle extends BaseModel {
  @PartitionKey() org!: string;
  @SortKey() user!: string;
  @Attribute({ unique: true }) handle!: string;
}

// Two unique attributes whose names and values would meet in one unescaped key.
@Model({ table: 'ug_tags' })
class Tag extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true, name: 'a#b' }) ab?: string;
  @Attribute({ unique: true, name: 'a' }) a?: string;
}

const guardPk = (table: string, attribute: string, value: string) => `_dynamorm#unique#${table}#${attribute}#${value}`;

async function raw(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

const memberGuard = (table: 'ug_members' | 'ug_stale_members', email: string) => raw(table, { id: guardPk(table, 'email', email) });
/** A stored guard's expiry, as a plain number (reads wrap numbers). */
const guardExpiry = async (table: 'ug_members' | 'ug_stale_members', email: string) => {
  const guard = await memberGuard(table, email);
  return guard?.expiresAt === undefined ? undefined : Number(String(guard.expiresAt));
};
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000);
const past = () => new Date(Date.now() - 60_000);

async function untilGone(table: string, key: Record<string, unknown>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await raw(table, key)) === undefined) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect.fail(`${JSON.stringify(key)} was not swept`);
}

let seq = 0;
const next = (label: string) => `${label}-${++seq}`;

describe('unique guards (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  before(async () => {
    for (const model of [Member, StaleMember, Handle, Tag]) await ensureTable(model);
    const conn = getConnection();
    await conn.updateTimeToLive({ TableName: conn.tableName('ug_stale_members'), TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } });
  });

  /** Spies on every data request of the connection; `count()` is how many were sent. */
  function requests() {
    const conn = getConnection();
    const spies = (['get', 'put', 'update', 'delete', 'transactWrite'] as const).map((method) => sandbox.spy(conn, method));
    return { count: () => spies.reduce((sum, spy) => sum + spy.callCount, 0) };
  }

  describe('guard items', () => {
    it('are stored under a reserved key with their marker and owner', async () => {
      const id = next('ann');
      await Member.create({ id, email: `${id}@x.co` });
      expect(await memberGuard('ug_members', `${id}@x.co`)).to.deep.equal({
        id: guardPk('ug_members', 'email', `${id}@x.co`),
        __dynamorm_unique: 'email',
        __dynamorm_owner: JSON.stringify([id]),
      });
    });

    it('are refused as keys by get, find, create and delete: ValidationError, nothing read or written', async () => {
      const id = next('ann');
      const email = `${id}@x.co`;
      await Member.create({ id, email });
      const key = guardPk('ug_members', 'email', email);
      const before = await memberGuard('ug_members', email);
      const sent = requests();
      const attempts: Array<() => Promise<unknown>> = [
        () => Member.get(key),
        () => Member.find(key),
        () => Member.get({ id: key }, { withExpired: true }),
        () => Member.create({ id: key, email: `${id}-2@x.co` }),
        () => Member.build({ id: key, email }).delete(),
      ];
      for (const attempt of attempts) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).to.be.instanceOf(ValidationError);
        expect((err as Error).message).to.contain("'_dynamorm#'");
      }
      expect(sent.count()).to.equal(0);
      sandbox.restore();
      expect(await memberGuard('ug_members', email)).to.deep.equal(before);
      const err = await Member.create({ id: next('ann'), email }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UniqueConstraintError);
    });

    it('use a constant sort key on a table with one, and no user key reaches them', async () => {
      const handle = next('ann');
      await Handle.create({ org: 'acme', user: 'ann', handle });
      const key = { org: guardPk('ug_handles', 'handle', handle), user: '_dynamorm#unique' };
      expect(await raw('ug_handles', key)).to.deep.equal({ ...key, __dynamorm_unique: 'handle', __dynamorm_owner: JSON.stringify(['acme', 'ann']) });
      expect(await Handle.get(key).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      expect(await Handle.get({ org: 'acme', user: '_dynamorm#unique' })).to.equal(undefined);
      const err = await Handle.create({ org: 'other', user: 'bob', handle }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UniqueConstraintError);
      expect((err as UniqueConstraintError).attribute).to.equal('handle');
    });

    it('escape the attribute name, so `a#b`=c and `a`=b#c do not meet', async () => {
      await Tag.create({ id: next('t'), ab: 'c' });
      const other = await Tag.create({ id: next('t'), a: 'b#c' });
      expect(other.isNew).to.equal(false);
      expect(await raw('ug_tags', { id: guardPk('ug_tags', 'a\\#b', 'c') })).to.have.property('__dynamorm_unique', 'a#b');
      expect(await raw('ug_tags', { id: guardPk('ug_tags', 'a', 'b#c') })).to.have.property('__dynamorm_unique', 'a');
    });

    it('a member whose id is an old-format guard key blocks nobody', async () => {
      const email = `${next('bob')}@x.co`;
      const squatter = await Member.create({ id: `ug_members#email#${email}`, email: `${next('sq')}@x.co` });
      const bob = await Member.create({ id: next('bob'), email });
      expect(bob.isNew).to.equal(false);
      expect((await Member.find(squatter.id)).email).to.equal(squatter.email);
    });
  });

  describe('expired owners', () => {
    it('free their value before the sweep: created expired, or saved with a past expiry', async () => {
      const first = `${next('e')}@x.co`;
      await StaleMember.create({ id: next('old'), email: first, expiresAt: past() });
      const taker = await StaleMember.create({ id: next('new'), email: first });
      expect(await memberGuard('ug_stale_members', first)).to.deep.equal({
        id: guardPk('ug_stale_members', 'email', first),
        __dynamorm_unique: 'email',
        __dynamorm_owner: JSON.stringify([taker.id]),
      });

      const second = `${next('e')}@x.co`;
      const owner = await StaleMember.create({ id: next('old'), email: second, expiresAt: inHours(1) });
      const refused = await StaleMember.create({ id: next('new'), email: second }).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(UniqueConstraintError);
      await owner.update({ expiresAt: past() });
      await StaleMember.create({ id: next('new'), email: second });
    });

    it('free their value after the sweep, guard and owner gone', async () => {
      const id = next('old');
      const email = `${id}@x.co`;
      await Member.create({ id, email, expiresAt: past() });
      await untilGone('ug_members', { id });
      await untilGone('ug_members', { id: guardPk('ug_members', 'email', email) });
      const taker = await Member.create({ id: next('new'), email });
      expect(await memberGuard('ug_members', email)).to.have.property('__dynamorm_owner', JSON.stringify([taker.id]));
    });

    it('can be replaced by create, keeping the value or taking another', async () => {
      const id = next('k');
      const email = `${id}@x.co`;
      await StaleMember.create({ id, email, expiresAt: past() });
      const same = await StaleMember.create({ id, email, expiresAt: inHours(1) });
      expect(await memberGuard('ug_stale_members', email)).to.have.property('__dynamorm_owner', JSON.stringify([id]));
      expect(await guardExpiry('ug_stale_members', email)).to.equal(seconds(same.expiresAt!));

      const other = next('k');
      const oldEmail = `${other}@x.co`;
      await StaleMember.create({ id: other, email: oldEmail, expiresAt: past() });
      await StaleMember.create({ id: other, email: `${other}-new@x.co` });
      expect((await StaleMember.find(other)).email).to.equal(`${other}-new@x.co`);
      // The replaced item's guard is left to the sweep; it carries the old expiry, so it blocks nobody.
      await StaleMember.create({ id: next('k'), email: oldEmail });
      const taken = await StaleMember.create({ id: next('k'), email: `${other}-new@x.co` }).catch((e: unknown) => e);
      expect(taken).to.be.instanceOf(UniqueConstraintError);
    });

    it('a stale owner changing or deleting its value leaves the new holder’s guard alone', async () => {
      const email = `${next('s')}@x.co`;
      const stale = await StaleMember.create({ id: next('stale'), email, expiresAt: inHours(1) });
      await stale.update({ expiresAt: past() });
      const holder = await StaleMember.create({ id: next('holder'), email });
      const guard = await memberGuard('ug_stale_members', email);
      expect(guard).to.have.property('__dynamorm_owner', JSON.stringify([holder.id]));

      const sent = sandbox.spy(getConnection(), 'transactWrite');
      await stale.update({ email: `${stale.id}@x.co` });
      // The first attempt was cancelled on the release alone; the second went without it.
      expect(sent.callCount).to.equal(2);
      expect(sent.secondCall.args[0].TransactItems).to.have.length(2);
      expect(await memberGuard('ug_stale_members', email)).to.deep.equal(guard);
      expect((await StaleMember.get(stale.id, { withExpired: true }))?.email).to.equal(`${stale.id}@x.co`);
      sandbox.restore();

      const lapsed = await StaleMember.create({ id: next('stale'), email: `${next('s')}@x.co`, expiresAt: inHours(1) });
      await lapsed.update({ expiresAt: past() });
      const holder2 = await StaleMember.create({ id: next('holder'), email: lapsed.email });
      // Extending itself back to life does not win the value back from its new holder.
      const refused = await lapsed.update({ expiresAt: inHours(1) }).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(UniqueConstraintError);
      await lapsed.delete();
      expect(await StaleMember.get(lapsed.id, { withExpired: true })).to.equal(undefined);
      expect(await memberGuard('ug_stale_members', lapsed.email)).to.have.property('__dynamorm_owner', JSON.stringify([holder2.id]));
      const err = await StaleMember.create({ id: next('k'), email: lapsed.email }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UniqueConstraintError);
    });
  });

  describe('guard expiry follows the owner', () => {
    it('is set on create and moved by a save that extends or removes the owner’s TTL', async () => {
      const id = next('ttl');
      const email = `${id}@x.co`;
      const member = await Member.create({ id, email, expiresAt: inHours(1) });
      expect(await guardExpiry('ug_members', email)).to.equal(seconds(member.expiresAt!));

      await member.update({ expiresAt: inHours(2) });
      expect(await guardExpiry('ug_members', email)).to.equal(seconds(member.expiresAt!));

      await member.update({ expiresAt: undefined });
      expect(await memberGuard('ug_members', email)).to.deep.equal({
        id: guardPk('ug_members', 'email', email),
        __dynamorm_unique: 'email',
        __dynamorm_owner: JSON.stringify([id]),
      });

      await member.update({ expiresAt: inHours(3) });
      expect(await guardExpiry('ug_members', email)).to.equal(seconds(member.expiresAt!));
    });

    it('is left alone by a save that changes neither the value nor the TTL', async () => {
      const member = await Member.create({ id: next('ttl'), email: `${next('ttl')}@x.co`, expiresAt: inHours(1) });
      const conn = getConnection();
      const update = sandbox.spy(conn, 'update');
      const transact = sandbox.spy(conn, 'transactWrite');
      await member.update({ name: 'Ann' });
      expect([update.callCount, transact.callCount]).to.deep.equal([1, 0]);
    });

    it('moves with the value when both change in one save', async () => {
      const id = next('mv');
      const member = await Member.create({ id, email: `${id}@x.co`, expiresAt: inHours(1) });
      await member.update({ email: `${id}-2@x.co`, expiresAt: inHours(5) });
      expect(await memberGuard('ug_members', `${id}@x.co`)).to.equal(undefined);
      expect(await guardExpiry('ug_members', `${id}-2@x.co`)).to.equal(seconds(member.expiresAt!));
    });
  });

  it('delete releases the guard', async () => {
    const id = next('del');
    const email = `${id}@x.co`;
    const member = await Member.create({ id, email });
    await member.delete();
    expect(await memberGuard('ug_members', email)).to.equal(undefined);
    await Member.create({ id: next('del'), email });
  });

  describe('a unique value too long for its guard key', () => {
    const prefix = guardPk('ug_members', 'email', '');

    it('is a ValidationError naming the model, the attribute and the guard key; nothing is written', async () => {
      const id = next('long');
      const fits = 'a'.repeat(2048 - prefix.length);
      const sent = requests();
      const err = await Member.create({ id, email: `${fits}b` }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message)
        .to.contain('Member.email')
        .and.contain('unique guard key')
        .and.contain('2048');
      expect((err as ValidationError).errors[0].property).to.equal('email');
      expect(sent.count()).to.equal(0);
      sandbox.restore();
      expect(await raw('ug_members', { id })).to.equal(undefined);

      const member = await Member.create({ id, email: fits });
      const changed = await member.update({ email: `${fits}é` }).catch((e: unknown) => e);
      expect(changed).to.be.instanceOf(ValidationError);
      expect((await raw('ug_members', { id }))?.email).to.equal(fits);
    });

    it('is held to the partition limit only when the table has a sort key', async () => {
      const handle = 'h'.repeat(1500);
      await Handle.create({ org: 'acme', user: next('long'), handle });
      const err = await Handle.create({ org: 'acme', user: next('long'), handle }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UniqueConstraintError);
    });
  });
  describe('stale instances and instances never loaded', () => {
    it('a stale copy (no @Version) that changes a value it no longer holds fails, and leaks no guard', async () => {
      const id = next('stale');
      const [a, b, c] = [`${id}-a@x.co`, `${id}-b@x.co`, `${id}-c@x.co`];
      await Member.create({ id, email: a });
      const first = await Member.find(id);
      const stale = await Member.find(id);
      await first.update({ email: b });
      const err = await stale.update({ email: c }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ConditionFailedError);
      expect((await raw('ug_members', { id }))?.email).to.equal(b);
      expect(await memberGuard('ug_members', b)).to.not.equal(undefined);
      expect(await memberGuard('ug_members', c)).to.equal(undefined);
      await Member.create({ id: next('other'), email: c }); // c was never taken
    });

    it('deleting an instance never loaded frees its unique values', async () => {
      const id = next('keyonly');
      const email = `${id}@x.co`;
      await Member.create({ id, email });
      await Member.build({ id }).delete();
      expect(await raw('ug_members', { id })).to.equal(undefined);
      expect(await memberGuard('ug_members', email)).to.equal(undefined);
      await Member.create({ id: next('taker'), email });
    });
  });
});
