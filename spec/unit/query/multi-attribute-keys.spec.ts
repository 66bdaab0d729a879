import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Index, Model, ModelDefinitionError, PartitionKey, preRegister, QueryError, SortKey } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { planQuery, type PlanRequest, type WhereClause } from '../../../lib/query/planner';
import { tableDefinition } from '../../../lib/schema/table-definition';
import { stubConnection } from '../../../lib/testing';
import { thrown } from '../../support/thrown';

// Multi-attribute GSI keys (#18 item 1, DESIGN §12): up to 4 pk + 4 sk attributes, in `order`.
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
  @Index('gsi-player', 'sk', { order: 2, type: Date }) playedAt!: Date;
  @Index('gsi-player', 'sk', { order: 3, type: Number }) score!: number;
  @Index('lsi-bracket', 'sk') @Attribute() seed?: string;
}

const schema = resolveModel(Match);
const w = (property: string, op: WhereClause['op'], ...values: unknown[]): WhereClause => ({ property, op, values });
const plan = (where: WhereClause[], extra: Partial<PlanRequest> = {}) => planQuery(schema, { where, filtered: new Set(), consistent: false, ...extra });
const keyOf = (where: WhereClause[], extra: Partial<PlanRequest> = {}) => {
  const p = plan(where, extra);
  return {
    index: p.keySchema.name,
    partition: p.partition.map((m) => m.attr.property),
    sort: p.sort.map((m) => m.attr.property),
    rest: p.rest.map((c) => c.property),
    score: p.score,
  };
};
const definitionError = (fn: () => unknown) => thrown(ModelDefinitionError, fn);
/** A key condition with its placeholders resolved, for reading (the request itself holds placeholders only). */
const readable = (request: object) => {
  const params = request as {
    KeyConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  return params
    .KeyConditionExpression!.replace(/#n\d+/g, (n) => params.ExpressionAttributeNames![n])
    .replace(/:v\d+/g, (v) => JSON.stringify(params.ExpressionAttributeValues![v]));
};

describe('multi-attribute GSI keys (#18)', () => {
  describe('declaration', () => {
    it('keeps every key attribute in order, the first as partitionKey / sortKey', () => {
      const bracket = schema.indexes.find((i) => i.name === 'gsi-bracket')!;
      expect(bracket.partitionKeys.map((a) => a.property)).to.deep.equal(['tournamentId', 'region']);
      expect(bracket.sortKeys.map((a) => a.property)).to.deep.equal(['roundNo', 'bracket']);
      expect(bracket.partitionKey.property).to.equal('tournamentId');
      expect(bracket.sortKey?.property).to.equal('roundNo');
      expect(schema.tableKey.partitionKeys.map((a) => a.property)).to.deep.equal(['matchId']);
      expect(schema.indexes.find((i) => i.name === 'lsi-bracket')!.partitionKeys.map((a) => a.property)).to.deep.equal(['matchId']);
    });

    it('orders by `order`, not by declaration', () => {
      @Model({ table: 'mak_reversed' })
      class Reversed extends BaseModel {
        @PartitionKey() id!: string;
        @Index('g', 'pk', { order: 2 }) b!: string;
        @Index('g', 'pk', { order: 1 }) a!: string;
      }
      expect(resolveModel(Reversed).indexes[0].partitionKeys.map((a) => a.property)).to.deep.equal(['a', 'b']);
    });

    it('refuses a gap, a duplicate, a missing order, more than 4, and several sort keys on an LSI', () => {
      @Model({ table: 'mak_gap' })
      class Gap extends BaseModel {
        @PartitionKey() id!: string;
        @Index('g', 'pk', { order: 1 }) a!: string;
        @Index('g', 'pk', { order: 3 }) b!: string;
      }
      const rule = 'a multi-attribute key takes 2 to 4, with the orders 1..n, no gap, no repeat.';
      expect(definitionError(() => preRegister(Gap)).message).to.equal(`Gap: index 'g' has 2 partition keys (a: order 1, b: order 3); ${rule}`);
      @Model({ table: 'mak_dup' })
      class Dup extends BaseModel {
        @PartitionKey() id!: string;
        @Index('g', 'pk') a!: string;
        @Index('g', 'sk', { order: 1 }) b!: string;
        @Index('g', 'sk', { order: 1 }) c!: string;
      }
      expect(definitionError(() => preRegister(Dup)).message).to.equal(`Dup: index 'g' has 2 sort keys (b: order 1, c: order 1); ${rule}`);
      @Model({ table: 'mak_missing' })
      class Missing extends BaseModel {
        @PartitionKey() id!: string;
        @Index('g', 'pk', { order: 1 }) a!: string;
        @Index('g', 'pk') b!: string;
      }
      expect(definitionError(() => preRegister(Missing)).message).to.equal(`Missing: index 'g' has 2 partition keys (b: order missing, a: order 1); ${rule}`);
      @Model({ table: 'mak_five' })
      class Five extends BaseModel {
        @PartitionKey() id!: string;
        @Index('g', 'pk') p!: string;
        @Index('g', 'sk', { order: 1 }) a!: string;
        @Index('g', 'sk', { order: 2 }) b!: string;
        @Index('g', 'sk', { order: 3 }) c!: string;
        @Index('g', 'sk', { order: 4 }) d!: string;
        @Index('g', 'sk', { order: 5 }) e!: string;
      }
      expect(definitionError(() => preRegister(Five)).message).to.equal(
        `Five: index 'g' has 5 sort keys (a: order 1, b: order 2, c: order 3, d: order 4, e: order 5); ${rule}`,
      );
      @Model({ table: 'mak_lsi' })
      class Lsi extends BaseModel {
        @PartitionKey() id!: string;
        @SortKey() sk!: string;
        @Index('l', 'sk', { order: 1 }) a!: string;
        @Index('l', 'sk', { order: 2 }) b!: string;
      }
      expect(definitionError(() => preRegister(Lsi)).message).to.equal(
        "Lsi: index 'l' is local (no pk): its sort key is one property without order, not a, b.",
      );
    });

    it('creates the GSI with every HASH and RANGE element in order, and a definition for each', () => {
      const def = tableDefinition(schema, 'mak_matches', {});
      const gsi = def.GlobalSecondaryIndexes!.find((g) => g.IndexName === 'gsi-bracket')!;
      expect(gsi.KeySchema).to.deep.equal([
        { AttributeName: 'tournamentId', KeyType: 'HASH' },
        { AttributeName: 'region', KeyType: 'HASH' },
        { AttributeName: 'roundNo', KeyType: 'RANGE' },
        { AttributeName: 'bracket', KeyType: 'RANGE' },
      ]);
      expect(def.AttributeDefinitions).to.deep.include({ AttributeName: 'roundNo', AttributeType: 'N' });
      expect(def.AttributeDefinitions).to.deep.include({ AttributeName: 'playedAt', AttributeType: 'S' });
    });
  });

  describe('planner', () => {
    it('needs = on every partition attribute', () => {
      expect(keyOf([w('tournamentId', '=', 't'), w('region', '=', 'eu')])).to.deep.include({
        index: 'gsi-bracket',
        partition: ['tournamentId', 'region'],
        sort: [],
      });
      const err = thrown(QueryError, () => plan([w('tournamentId', '=', 't')]));
      expect(err.message).to.include("gsi-bracket (no '=' condition on its partition key region)");
    });

    it("takes '=' on a sort prefix, then one range on the next attribute", () => {
      const base = [w('player1', '=', 'ann')];
      expect(keyOf([...base, w('status', '=', 'done'), w('playedAt', '>', new Date(0))])).to.deep.include({ sort: ['status', 'playedAt'], rest: [], score: 3 });
      expect(keyOf([...base, w('status', 'begins_with', 'd')])).to.deep.include({ sort: ['status'], score: 2 });
      expect(keyOf([...base, w('status', '=', 'done'), w('playedAt', '=', new Date(0)), w('score', 'between', 1, 9)])).to.deep.include({
        sort: ['status', 'playedAt', 'score'],
        score: 4,
      });
    });

    it('rules an index out when a sort attribute has a condition the key condition cannot take', () => {
      // a gap (no status) and a condition after a range: DynamoDB allows no key attribute in a filter
      for (const where of [
        [w('player1', '=', 'ann'), w('playedAt', '=', new Date(0))],
        [w('player1', '=', 'ann'), w('status', '>', 'a'), w('playedAt', '=', new Date(0))],
      ]) {
        const err = thrown(QueryError, () => plan(where));
        expect(err.message).to.include("gsi-player ('playedAt' is one of its key attributes but its condition cannot be part of the key condition");
      }
      expect(thrown(QueryError, () => plan([w('player1', '=', 'ann')], { filtered: new Set(['score']) })).message).to.include(
        "'score' is one of its key attributes",
      );
    });

    it('scores by key attributes with conditions, ties to the table, then LSIs, then GSIs', () => {
      // the table (matchId =) and gsi-player (player1 =) both score 1 on these: the table wins
      expect(keyOf([w('matchId', '=', 'm'), w('player1', '=', 'ann')])).to.deep.include({ index: undefined, rest: ['player1'] });
      // gsi-player takes 2 conditions, the table 1
      expect(keyOf([w('matchId', '=', 'm'), w('player1', '=', 'ann'), w('status', '=', 'x')])).to.deep.include({ index: 'gsi-player', score: 2 });
    });

    it('orderBy only on the first sort attribute, which adds one to the score', () => {
      expect(keyOf([w('player1', '=', 'ann')], { orderBy: 'status' })).to.deep.include({ index: 'gsi-player', score: 2 });
      const err = thrown(QueryError, () => plan([w('player1', '=', 'ann')], { orderBy: 'playedAt' }));
      expect(err.message).to.include("orderBy('playedAt') needs 'playedAt' to be the sort key");
    });

    it('consistent() leaves the table and LSIs only; index(name) checks the same shapes', () => {
      expect(thrown(QueryError, () => plan([w('player1', '=', 'ann')], { consistent: true })).message).to.include(
        'gsi-player (a global secondary index cannot be read consistently)',
      );
      expect(thrown(QueryError, () => plan([w('tournamentId', '=', 't')], { index: 'gsi-bracket' })).message).to.include(
        "no '=' condition on its partition key region",
      );
      expect(keyOf([w('tournamentId', '=', 't'), w('region', '=', 'eu'), w('roundNo', '>=', 2)], { index: 'gsi-bracket' })).to.deep.include({
        sort: ['roundNo'],
      });
    });
  });

  describe('requests', () => {
    const sandbox = sinon.createSandbox();
    afterEach(() => sandbox.restore());

    it('puts every key attribute in the KeyConditionExpression, as placeholders', () => {
      stubConnection(sandbox);
      const params = Match.where('tournamentId', '=', 't1').where('region', '=', 'eu').where('roundNo', '=', 2).where('bracket', 'begins_with', 'W').toParams();
      expect(params).to.include({ IndexName: 'gsi-bracket' });
      expect(params.KeyConditionExpression).to.match(/^#n\d+ = :v\d+ AND #n\d+ = :v\d+ AND #n\d+ = :v\d+ AND begins_with\(#n\d+, :v\d+\)$/);
      expect(readable(params)).to.equal('tournamentId = "t1" AND region = "eu" AND roundNo = 2 AND begins_with(bracket, "W")');
    });

    it('explain() names the index, the key condition over all its attributes and why others were passed over', () => {
      stubConnection(sandbox);
      const explained = Match.where('player1', '=', 'ann').where('status', '=', 'done').where('playedAt', '<', new Date(0)).explain();
      expect(explained.index).to.equal('gsi-player');
      expect(readable(explained.params)).to.equal('player1 = "ann" AND status = "done" AND playedAt < "1970-01-01T00:00:00.000Z"');
      expect(explained.notes[0]).to.equal('reads gsi-player (score 3)');
      expect(explained.notes).to.include("not gsi-bracket: no '=' condition on its partition key tournamentId");
    });
  });
});
