import { expect } from 'chai';
import { Attribute, BaseModel, Index, Model, PartitionKey, TTL, deleteTable, ensureTable, getConnection } from '../../../lib';

@Model({ table: 'mak_iso_players' })
class Player extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) handle!: string;
  @Index('gsi-league', 'pk', { order: 1 }) league!: string;
  @Index('gsi-league', 'pk', { order: 2 }) season!: string;
  @Index('gsi-league', 'sk', { order: 1, type: Number }) rank!: number;
  @TTL() expiresAt?: Date;
}

// The read-path checks on a GSI with a multi-attribute key: the unique guards that share the
// table never show, and items past their TTL that DynamoDB has not deleted yet are hidden
// (counted out too) unless withExpired() asks for them.
describe('queries of a multi-attribute GSI: guards and expired items', () => {
  before(async () => {
    await ensureTable(Player);
    // TTL off, so that the expired item stays stored (and must be hidden by the read itself).
    const conn = getConnection();
    await conn.updateTimeToLive({ TableName: conn.tableName('mak_iso_players'), TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } });
    await Player.create({ id: 'p1', handle: 'ann', league: 'north', season: '2026', rank: 1 });
    await Player.create({ id: 'p2', handle: 'bob', league: 'north', season: '2026', rank: 2, expiresAt: new Date(Date.now() - 60_000) });
    await Player.create({ id: 'p3', handle: 'cy', league: 'north', season: '2026', rank: 3, expiresAt: new Date(Date.now() + 3_600_000) });
  });
  after(() => deleteTable(Player, { ifExists: true }));

  const league = () => Player.where('league', '=', 'north').where('season', '=', '2026');

  it('reads the index and returns only the live players, no guard items', async () => {
    expect(league().explain().index).to.equal('gsi-league');
    expect((await league().all()).map((p) => p.id)).to.deep.equal(['p1', 'p3']);
    expect(await league().count()).to.equal(2);
    const page = await league().limit(1).page();
    expect(page.items.map((p) => p.id)).to.deep.equal(['p1']);
    expect((await league().limit(1).page(page.cursor)).items.map((p) => p.id)).to.deep.equal(['p3']);
  });

  it('includes the expired one with withExpired()', async () => {
    expect((await league().withExpired().all()).map((p) => p.id)).to.deep.equal(['p1', 'p2', 'p3']);
  });

  it('the guards are stored in the same table (so the isolation above is real)', async () => {
    const conn = getConnection();
    const { Items = [] } = await conn.scan({ TableName: conn.tableName('mak_iso_players'), ConsistentRead: true });
    expect(Items.filter((i) => String(i.id).startsWith('_dynamorm#'))).to.have.length(3);
  });
});
