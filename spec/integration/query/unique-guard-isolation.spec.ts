import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  ensureTable,
  getConnection,
  Index,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  UniqueConstraintError,
  ValidationError,
} from '../../../lib';

// DESIGN §4 / §11: unique-guard items are invisible to every read path. A query whose key
// condition names a guard's key is a ValidationError before any request (so neither a read
// nor deleteAll/updateAll can reach a guard, free its value and let a second user take it);
// where a key schema can still hold guards, the request filters them out, as scans do.

@Model({ table: 'qg_users' })
class Usr extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  // A GSI on the owner's @TTL: guards carry that attribute, so they are in this index.
  @Index('gsi-expiry', 'pk', { type: Date }) @TTL() expiresAt?: Date;
}

@Model({ table: 'qg_handles' })
class Handle extends BaseModel {
  @PartitionKey() org!: string;
  // gsi-user is partitioned by the table's sort key: every guard (sort key GUARD_SORT_KEY) is in it.
  @Index('gsi-user', 'pk') @SortKey() user!: string;
  @Attribute({ unique: true }) handle!: string;
}

@Model({ table: 'qg_tenants' })
class Tenant extends BaseModel {
  @PartitionKey({ template: '{region}#{tenantId}' }) pk!: string;
  @Attribute() region!: string;
  @Attribute() tenantId!: string;
  @Attribute({ unique: true }) domain!: string;
}

const guardPk = (table: string, attribute: string, value: string) => `_dynamorm#unique#${table}#${attribute}#${value}`;
const GUARD_SK = '_dynamorm#unique';

let seq = 0;
const next = (label: string) => `${label}-${++seq}`;

async function raw(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

describe('queries never reach unique guards (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  before(async () => {
    await Promise.all([ensureTable(Usr), ensureTable(Handle), ensureTable(Tenant)]);
  });

  /** Spies on the connection's reads and writes; `count()` is how many were sent. */
  function requests() {
    const conn = getConnection();
    const spies = (['query', 'scan', 'get', 'put', 'update', 'delete', 'transactWrite', 'batchWrite'] as const).map((method) => sandbox.spy(conn, method));
    return { count: () => spies.reduce((sum, spy) => sum + spy.callCount, 0) };
  }

  it("a key condition on a guard's key is a ValidationError on every path, before any request; the value stays taken", async () => {
    const id = next('ann');
    const email = `${id}@x.co`;
    await Usr.create({ id, email });
    const key = guardPk('qg_users', 'email', email);
    const guard = await raw('qg_users', { id: key });
    expect(guard).to.have.property('__dynamorm_unique', 'email');
    const byGuard = () => Usr.where('id', '=', key);
    const sent = requests();
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['all', () => byGuard().all()],
      ['first', () => byGuard().first()],
      ['page', () => byGuard().page()],
      ['count', () => byGuard().count()],
      ['deleteAll', () => byGuard().deleteAll()],
      ['updateAll', () => byGuard().updateAll({ name: 'taken over' })],
      ['withExpired().all', () => byGuard().withExpired().all()],
      ['select().all', () => byGuard().select('email').all()],
      [
        'for await',
        async () => {
          for await (const user of byGuard()) return user;
        },
      ],
    ];
    for (const [path, attempt] of attempts) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).to.be.instanceOf(ValidationError);
      expect((error as Error).message, path).to.include("Usr.where('id', '=', ...): partition key values starting with '_dynamorm#' are reserved");
    }
    expect(sent.count()).to.equal(0);
    sandbox.restore();
    expect(await raw('qg_users', { id: key })).to.deep.equal(guard);
    const second = await Usr.create({ id: next('bob'), email }).catch((e: unknown) => e);
    expect(second).to.be.instanceOf(UniqueConstraintError);
  });

  it('a value rendered from a key template into the reserved namespace is refused too', async () => {
    const sent = requests();
    const error = await Tenant.where('region', '=', '_dynamorm')
      .where('tenantId', '=', 'unique')
      .all()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include("Tenant.pk (rendered from its template): partition key values starting with '_dynamorm#' are reserved");
    expect(sent.count()).to.equal(0);
  });

  it('a GSI partitioned by the table sort key (where every guard is) refuses the guard sort key; deleteAll cannot free a handle', async () => {
    const handle = next('h');
    await Handle.create({ org: 'acme', user: next('ann'), handle });
    const sent = requests();
    const byGuardUser = () => Handle.query().index('gsi-user').where('user', '=', GUARD_SK);
    for (const attempt of [() => byGuardUser().all(), () => byGuardUser().count(), () => byGuardUser().deleteAll()]) {
      expect(await attempt().catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
    }
    // The table's own key, with the guard's partition value.
    expect(
      await Handle.where('org', '=', guardPk('qg_handles', 'handle', handle))
        .deleteAll()
        .catch((e: unknown) => e),
    ).to.be.instanceOf(ValidationError);
    expect(sent.count()).to.equal(0);
    sandbox.restore();
    expect(await raw('qg_handles', { org: guardPk('qg_handles', 'handle', handle), user: GUARD_SK })).to.have.property('__dynamorm_unique', 'handle');
    expect(await Handle.create({ org: 'other', user: next('bob'), handle }).catch((e: unknown) => e)).to.be.instanceOf(UniqueConstraintError);
  });

  // withExpired(): a query of an index partitioned by the @TTL attribute cannot send the
  // expiry filter (DynamoDB allows no key attribute in a FilterExpression).
  it('a GSI on the owner’s @TTL holds its guards: every query path leaves them out', async () => {
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + 86_400 + seq) * 1000);
    const id = next('ttl');
    const email = `${id}@x.co`;
    await Usr.create({ id, email, expiresAt });
    // The guard carries its owner's expiry, so the index holds it next to its owner.
    expect(await raw('qg_users', { id: guardPk('qg_users', 'email', email) })).to.have.property('expiresAt');
    const byExpiry = () => Usr.query().index('gsi-expiry').where('expiresAt', '=', expiresAt).withExpired();
    expect(byExpiry().toParams()).to.deep.include({ FilterExpression: 'attribute_not_exists(#n2)' });
    expect(byExpiry().toParams().ExpressionAttributeNames).to.deep.include({ '#n2': '__dynamorm_unique' });
    expect((await byExpiry().all()).map((u) => u.id)).to.deep.equal([id]);
    expect((await byExpiry().first())?.id).to.equal(id);
    expect(await byExpiry().count()).to.equal(1);
    const page = await byExpiry().limit(1).page();
    expect(page.items.map((u) => u.id)).to.deep.equal([id]);
    const seen: string[] = [];
    for await (const user of byExpiry()) seen.push(user.id);
    expect(seen).to.deep.equal([id]);

    expect(await byExpiry().updateAll({ name: 'renamed' })).to.equal(1);
    expect(await raw('qg_users', { id: guardPk('qg_users', 'email', email) })).not.to.have.property('name');
    expect(await byExpiry().deleteAll()).to.equal(1);
    // The owner's delete released its guard, as delete() does; the value is free, once.
    expect(await raw('qg_users', { id: guardPk('qg_users', 'email', email) })).to.equal(undefined);
    await Usr.create({ id: next('bob'), email });
    expect(await Usr.create({ id: next('cy'), email }).catch((e: unknown) => e)).to.be.instanceOf(UniqueConstraintError);
  });

  it('scans (whole, counted, parallel, of an index) leave guards out', async () => {
    const id = next('scan');
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + 2 * 86_400) * 1000);
    await Usr.create({ id, email: `${id}@x.co`, expiresAt });
    const isGuard = (u: Usr) => u.id.startsWith('_dynamorm#');
    const everyone = await Usr.scan().all();
    expect(everyone.some((u) => u.id === id)).to.equal(true);
    expect(everyone.filter(isGuard)).to.deep.equal([]);
    expect(await Usr.scan().count()).to.equal(everyone.length);
    expect((await Usr.scan().parallel(3).all()).filter(isGuard)).to.deep.equal([]);
    expect((await Usr.scan().index('gsi-expiry').all()).filter(isGuard)).to.deep.equal([]);
    expect((await Handle.scan().index('gsi-user').all()).filter((h) => h.org.startsWith('_dynamorm#'))).to.deep.equal([]);
  });
});
