import { expect } from 'chai';
import { BaseModel, deleteTable, ensureTable, Index, Model, PartitionKey, type WhereOperator } from '../../../lib';

// #18: seeded items and seeded where() shapes on a 2+3 multi-attribute GSI, each result checked
// against an in-memory oracle with DynamoDB's rules (every partition attribute '=', '=' on a
// sort prefix then one range, order by the sort attributes left to right, items lacking an
// index attribute not in the index). MAK_SEED=<seed> reproduces a run.
@Model({ table: 'mak_diff' })
class Cell extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-grid', 'pk', { order: 1 }) a!: string;
  @Index('gsi-grid', 'pk', { order: 2, type: Number }) b!: number;
  @Index('gsi-grid', 'sk', { order: 1, type: Number }) x!: number;
  @Index('gsi-grid', 'sk', { order: 2 }) y!: string;
  @Index('gsi-grid', 'sk', { order: 3, type: Number }) z?: number;
}

const SEED = process.env.MAK_SEED ? Number(process.env.MAK_SEED) : Math.floor(Math.random() * 2 ** 31);

/** mulberry32: small, seedable. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  id: string;
  a: string;
  b: number;
  x: number;
  y: string;
  z?: number;
}
interface Cond {
  property: 'x' | 'y' | 'z';
  op: WhereOperator;
  values: Array<string | number>;
}
const SORT = ['x', 'y', 'z'] as const;

function matches(value: string | number, cond: Cond): boolean {
  const [v, w] = cond.values;
  switch (cond.op) {
    case '=':
      return value === v;
    case '<':
      return value < v;
    case '<=':
      return value <= v;
    case '>':
      return value > v;
    case '>=':
      return value >= v;
    case 'between':
      return value >= v && value <= w;
    case 'begins_with':
      return String(value).startsWith(String(v));
  }
}

const compareRows = (p: Row, q: Row): number => {
  for (const k of SORT) {
    const u = p[k]!;
    const v = q[k]!;
    if (u !== v) return u < v ? -1 : 1;
  }
  return 0;
};

describe('multi-attribute GSI keys: differential test (local DynamoDB, #18)', () => {
  const rows: Row[] = [];
  const random = rng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  before(async () => {
    await deleteTable(Cell, { ifExists: true });
    await ensureTable(Cell);
    for (let i = 0; i < 60; i++) {
      const row: Row = { id: `c${i}`, a: pick(['p', 'q']), b: pick([1, 2]), x: pick([-1, 0, 2, 10]), y: pick(['a', 'ab', 'b', 'B']) };
      if (random() < 0.8) row.z = pick([0.5, 3, 20]);
      rows.push(row);
      await Cell.create(row);
    }
  });
  after(() => deleteTable(Cell, { ifExists: true }));

  it(`agrees with the oracle on generated shapes (seed ${SEED})`, async () => {
    let total = 0;
    for (let n = 0; n < 60; n++) {
      const a = pick(['p', 'q']);
      const b = pick([1, 2]);
      const conds: Cond[] = [];
      const prefix = Math.floor(random() * 4); // '=' on 0..3 sort attributes
      const domains = { x: [-1, 0, 2, 10], y: ['a', 'ab', 'b', 'B'], z: [0.5, 3, 20] } as const;
      for (let i = 0; i < prefix; i++) conds.push({ property: SORT[i], op: '=', values: [pick(domains[SORT[i]] as ReadonlyArray<string | number>)] });
      if (prefix < 3 && random() < 0.7) {
        const property = SORT[prefix];
        const domain = domains[property] as ReadonlyArray<string | number>;
        const op = pick<WhereOperator>(property === 'y' ? ['<', '<=', '>', '>=', 'between', 'begins_with'] : ['<', '<=', '>', '>=', 'between']);
        const values =
          op === 'between'
            ? [pick(domain), pick(domain)].sort((u, v) => (u < v ? -1 : u > v ? 1 : 0))
            : [op === 'begins_with' ? pick(['a', 'b', 'B']) : pick(domain)];
        conds.push({ property, op, values });
      }
      const desc = random() < 0.3;
      const expected = rows
        .filter((r) => r.z !== undefined && r.a === a && r.b === b && conds.every((c) => matches(r[c.property]!, c)))
        .sort((p, q) => (desc ? -compareRows(p, q) : compareRows(p, q)));
      let query = Cell.where('a', '=', a).where('b', '=', b);
      for (const c of conds) {
        // the oracle's values are typed loosely; the generator gives each property its own type
        const [v, w] = c.values as never[];
        query = c.op === 'between' ? query.where(c.property, 'between', v, w) : query.where(c.property, c.op, v);
      }
      if (desc) query = query.orderBy('x', 'desc');
      const shape = `seed ${SEED} case ${n}: a=${a} b=${b} ${conds.map((c) => `${c.property} ${c.op} ${c.values.join(',')}`).join(' ')}${desc ? ' desc' : ''}`;
      expect(query.explain().index, shape).to.equal('gsi-grid');
      const got = await query.all();
      const tuple = (r: Row | Cell) => `${r.x}|${r.y}|${r.z}`;
      expect(got.map(tuple), shape).to.deep.equal(expected.map(tuple));
      expect(got.map((r) => r.id).sort(), shape).to.deep.equal(expected.map((r) => r.id).sort());
      expect(await query.count(), shape).to.equal(expected.length);
      total += expected.length;
    }
    expect(total, 'the generated shapes match some items').to.be.greaterThan(0);
  });
});
