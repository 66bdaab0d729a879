import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, autoMigrate, BaseModel, deleteTable, describeTable, ensureTable, getConnection, Index, Model, PartitionKey, SortKey } from '../../../lib';

// #18 item 1 against the local server: a 2+2 GSI (gsi-bracket) and a 1+3 GSI (gsi-player).
@Model({ table: 'mak_matches' })
class Match extends BaseModel {
  @PartitionKey() matchId!: string;
  @SortKey() round!: string;
  @Index('gsi-bracket', 'pk', { order: 1 }) tournamentId!: string;
  @Index('gsi-bracket', 'pk', { order: 2 }) region!: string;
  @Index('gsi-bracket', 'sk', { order: 1, type: Number }) roundNo!: number;
  @Index('gsi-bracket', 'sk', { order: 2 }) bracket!: string;
  @Index('gsi-player', 'pk') player1!: string;
  @Index('gsi-player', 'sk', { order: 1 }) status!: string;
  @Index('gsi-player', 'sk', { order: 2, type: Date }) playedAt?: Date;
  @Index('gsi-player', 'sk', { order: 3, type: Number }) score?: number;
}

// Two versions of one table for autoMigrate and drift (the registry keys models by table name).
@Model({ table: 'mak_migrate' })
class GameV1 extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() league!: string;
  @Attribute() season!: string;
  @Attribute({ type: Number }) week!: number;
}

@Model({ table: 'mak_migrate' })
class GameV2 extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-league', 'pk', { order: 1 }) league!: string;
  @Index('gsi-league', 'pk', { order: 2 }) season!: string;
  @Index('gsi-league', 'sk', { type: Number }) week!: number;
}

@Model({ table: 'mak_migrate' })
class GameV3 extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-league', 'pk', { order: 2 }) league!: string; // the order changed
  @Index('gsi-league', 'pk', { order: 1 }) season!: string;
  @Index('gsi-league', 'sk', { type: Number }) week!: number;
}

const day = (n: number) => new Date(Date.UTC(2026, 0, n));
const ids = (items: Match[]) => items.map((m) => m.matchId);

describe('multi-attribute GSI keys (local DynamoDB, #18)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());
  before(async () => {
    await deleteTable(Match, { ifExists: true });
    await ensureTable(Match);
    // gsi-bracket: t1/eu has rounds 1..3 with brackets W and L; t1/us one match; t2/eu one.
    let n = 0;
    for (const roundNo of [3, 1, 2]) {
      for (const bracket of ['W', 'L']) {
        n += 1;
        await Match.create({
          matchId: `m${n}`,
          round: 'r',
          tournamentId: 't1',
          region: 'eu',
          roundNo,
          bracket,
          player1: n % 2 ? 'ann' : 'bob',
          status: n <= 4 ? 'done' : 'open',
          playedAt: day(10 - n),
          score: n * 10,
        });
      }
    }
    await Match.create({
      matchId: 'us1',
      round: 'r',
      tournamentId: 't1',
      region: 'us',
      roundNo: 1,
      bracket: 'W',
      player1: 'ann',
      status: 'done',
      playedAt: day(20),
      score: 5,
    });
    await Match.create({
      matchId: 'eu2',
      round: 'r',
      tournamentId: 't2',
      region: 'eu',
      roundNo: 1,
      bracket: 'W',
      player1: 'cy',
      status: 'done',
      playedAt: day(21),
      score: 7,
    });
    // sparse: no playedAt / score, so not in gsi-player
    await Match.create({ matchId: 'sparse', round: 'r', tournamentId: 't9', region: 'eu', roundNo: 1, bracket: 'W', player1: 'ann', status: 'done' });
  });
  after(() => deleteTable(Match, { ifExists: true }));

  it('ensureTable creates the GSIs with every HASH and RANGE element in order', async () => {
    const table = await describeTable(Match);
    const keys = Object.fromEntries(
      (table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i.KeySchema!.map((k) => `${k.AttributeName}:${k.KeyType}`)]),
    );
    expect(keys).to.deep.equal({
      'gsi-bracket': ['tournamentId:HASH', 'region:HASH', 'roundNo:RANGE', 'bracket:RANGE'],
      'gsi-player': ['player1:HASH', 'status:RANGE', 'playedAt:RANGE', 'score:RANGE'],
    });
    expect(await autoMigrate(Match)).to.deep.include({ indexesAdded: [], drift: [] });
  });

  it('every partition attribute =, ordered by the first sort attribute (N), both directions', async () => {
    const q = Match.where('tournamentId', '=', 't1').where('region', '=', 'eu');
    expect(q.explain().index).to.equal('gsi-bracket');
    // N then S ordering: roundNo 1 (L, W), 2 (L, W), 3 (L, W)
    expect((await q.all()).map((m) => `${m.roundNo}${m.bracket}`)).to.deep.equal(['1L', '1W', '2L', '2W', '3L', '3W']);
    expect((await q.orderBy('roundNo', 'desc').all()).map((m) => `${m.roundNo}${m.bracket}`)).to.deep.equal(['3W', '3L', '2W', '2L', '1W', '1L']);
    expect(await q.count()).to.equal(6);
    expect((await q.orderBy('roundNo', 'desc').first())?.roundNo).to.equal(3);
  });

  it("'=' on a sort prefix then a range, via all, count, first and for-await", async () => {
    const base = Match.where('tournamentId', '=', 't1').where('region', '=', 'eu');
    expect((await base.where('roundNo', '>=', 2).all()).map((m) => `${m.roundNo}${m.bracket}`)).to.deep.equal(['2L', '2W', '3L', '3W']);
    expect(await base.where('roundNo', 'between', 1, 2).count()).to.equal(4);
    expect((await base.where('roundNo', '=', 2).where('bracket', '=', 'W').first())?.roundNo).to.equal(2);
    const seen: string[] = [];
    for await (const m of base.where('roundNo', '=', 3).where('bracket', 'begins_with', 'L')) seen.push(`${m.roundNo}${m.bracket}`);
    expect(seen).to.deep.equal(['3L']);
    expect(await Match.where('tournamentId', '=', 't1').where('region', '=', 'us').count()).to.equal(1);
  });

  it('page() carries a cursor across pages with no gaps or duplicates', async () => {
    const q = Match.where('tournamentId', '=', 't1').where('region', '=', 'eu').limit(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await q.page(cursor);
      seen.push(...ids(page.items));
      expect(page.hasMore).to.equal(page.cursor !== undefined);
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).to.be.greaterThan(1);
    expect([...seen].sort()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('a 1+3 key: ordering by S, then Date, then N, and sparse items left out', async () => {
    const ann = Match.where('player1', '=', 'ann');
    expect(ann.explain().index).to.equal('gsi-player');
    // status done (m1, m3, us1) before open (m5); within done, by playedAt: m3 (day 7), m1 (day 9), us1 (day 20)
    expect(ids(await ann.all())).to.deep.equal(['m3', 'm1', 'us1', 'm5']);
    expect(ids(await ann.where('status', '=', 'done').where('playedAt', '>', day(8)).all())).to.deep.equal(['m1', 'us1']);
    expect(ids(await ann.where('status', '=', 'done').where('playedAt', '=', day(9)).where('score', '<', 20).all())).to.deep.equal(['m1']);
    expect(ids(await ann.where('status', '=', 'done').orderBy('status', 'desc').all())).to.deep.equal(['us1', 'm1', 'm3']);
    // 'sparse' has player1 ann but no playedAt/score: the index does not hold it
    expect(ids(await ann.all())).to.not.include('sparse');
    const raw = await getConnection().get({ TableName: getConnection().tableName('mak_matches'), Key: { matchId: 'sparse', round: 'r' } });
    expect(raw.Item).to.not.have.any.keys('playedAt', 'score');
  });

  it('deleteAll and updateAll read through the planner on such an index', async () => {
    await Match.create({
      matchId: 'x1',
      round: 'r',
      tournamentId: 'tx',
      region: 'eu',
      roundNo: 1,
      bracket: 'W',
      player1: 'z',
      status: 'done',
      playedAt: day(1),
      score: 1,
    });
    await Match.create({
      matchId: 'x2',
      round: 'r',
      tournamentId: 'tx',
      region: 'eu',
      roundNo: 2,
      bracket: 'W',
      player1: 'z',
      status: 'done',
      playedAt: day(1),
      score: 2,
    });
    const q = Match.where('tournamentId', '=', 'tx').where('region', '=', 'eu');
    await q.where('roundNo', '=', 2).updateAll({ status: 'void' });
    expect((await Match.where('player1', '=', 'z').where('status', '=', 'void').all()).map((m) => m.matchId)).to.deep.equal(['x2']);
    await q.deleteAll();
    expect(await q.count()).to.equal(0);
  });

  describe('autoMigrate and drift', () => {
    after(() => deleteTable(GameV1, { ifExists: true }));

    it('adds a multi-attribute GSI to an existing table, then reports a different attribute order as drift', async () => {
      await deleteTable(GameV1, { ifExists: true });
      await autoMigrate(GameV1);
      await GameV1.create({ id: 'g1', league: 'nba', season: '2026', week: 2 });
      await GameV1.create({ id: 'g2', league: 'nba', season: '2026', week: 1 });
      await GameV1.create({ id: 'g3', league: 'nba', season: '2025', week: 1 });
      const updateTable = sandbox.spy(getConnection(), 'updateTable');
      expect(await autoMigrate(GameV2)).to.deep.include({ indexesAdded: [{ table: 'mak_migrate', index: 'gsi-league' }], drift: [] });
      expect(updateTable.firstCall.args[0].GlobalSecondaryIndexUpdates?.[0].Create?.KeySchema).to.deep.equal([
        { AttributeName: 'league', KeyType: 'HASH' },
        { AttributeName: 'season', KeyType: 'HASH' },
        { AttributeName: 'week', KeyType: 'RANGE' },
      ]);
      expect((await GameV2.where('league', '=', 'nba').where('season', '=', '2026').all()).map((g) => g.id)).to.deep.equal(['g2', 'g1']);
      expect((await autoMigrate(GameV3)).drift.map((d) => d.message)).to.deep.equal([
        "global secondary index 'gsi-league' has key league (HASH, S), season (HASH, S), week (RANGE, N), GameV3 declares season (HASH, S), league (HASH, S), week (RANGE, N). dynamorm never deletes an index: delete it yourself and run autoMigrate again, or give the new one another name.",
      ]);
    });
  });
});
