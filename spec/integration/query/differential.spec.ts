import { expect } from 'chai';
import { Attribute, BaseModel, ensureTable, Model, PartitionKey, SortKey } from '../../../lib';
import { describeFailure, expectedPlan, expectedRows, pinnedDown, runCase } from './differential-oracle';
import { generateCase, type Case } from './differential-queries';
import { buildWorld, Entry, Rng, Thing, type ModelDesc } from './differential-world';

// A differential test of the query compiler and planner (issue 8): items generated from a
// seed are written with create(); a few hundred generated queries (key conditions on the
// table, an LSI and GSIs; where clauses; structured and expression-string filters with
// AND/OR/NOT, parentheses and size(); orderBy, limit, offset, select, consistent; all,
// first, count and page by page) run against the local server, and each result is compared
// with the same query evaluated in memory with DynamoDB's semantics
// (differential-oracle.ts). Each explain() is checked too: the index DESIGN §3's scoring
// picks, and expressions made of placeholders only.
//
// The seed is printed; DIFF_SEED=<seed> npm test reproduces a run, DIFF_CASE=<n> runs one
// case of it, DIFF_CASES=<n> changes how many are generated (400 by default).

function envInteger(name: string, fallback: number, max = 2 ** 32 - 1): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be an integer from 0 to ${max}, not '${given}'.`);
  return n;
}

const SEED = envInteger('DIFF_SEED', Math.floor(Math.random() * 2 ** 32));
const CASES = envInteger('DIFF_CASES', 400, 100_000);
const ONLY = process.env.DIFF_CASE ? envInteger('DIFF_CASE', 0, 100_000) : undefined;

// For the skipped spec at the end.
@Model({ table: 'qdiff_utf8' })
class Utf8Probe extends BaseModel {
  @PartitionKey() id!: string;
  @SortKey() s!: string;
  @Attribute() t?: string;
}

describe('queries: differential test of the compiler and planner (local DynamoDB)', () => {
  let world: ModelDesc[];

  before(async function () {
    this.timeout(60_000);
    console.log(`\n      differential query test: seed ${SEED} (re-run with DIFF_SEED=${SEED} npm test; DIFF_CASE=<n> runs one case)`);
    // Items and queries draw from two streams, so that DIFF_CASES does not change the items.
    world = buildWorld(new Rng(SEED));
    await Promise.all([ensureTable(Thing), ensureTable(Entry)]);
    for (const desc of world) {
      const ctor = desc.ctor as unknown as { create(attrs: object): Promise<unknown> };
      for (let i = 0; i < desc.items.length; i += 16) await Promise.all(desc.items.slice(i, i + 16).map((row) => ctor.create(row)));
    }
  });

  it(`${ONLY === undefined ? CASES : 1} generated queries return what the same query returns in memory`, async function () {
    this.timeout(120_000);
    const rng = new Rng(SEED ^ 0x5bd1e995);
    const started = Date.now();
    const failures: string[] = [];
    const stats = { ran: 0, matched: 0, refused: 0, byIndex: new Map<string, number>() };
    for (let no = 0; no < CASES; no++) {
      const c: Case = generateCase(rng, rng.pick(world), no, pinnedDown);
      if (ONLY !== undefined && no > ONLY) break;
      if (ONLY !== undefined && no !== ONLY) continue;
      const outcome = expectedPlan(c);
      const result = await runCase(c);
      stats.ran += 1;
      if ('error' in outcome) stats.refused += 1;
      else {
        if (expectedRows(c, outcome.plan).rows.length > 0) stats.matched += 1;
        const key = `${c.model.name}:${c.scan ? 'scan' : (outcome.plan.keySchema.index ?? 'table')}`;
        stats.byIndex.set(key, (stats.byIndex.get(key) ?? 0) + 1);
      }
      if (result.problem) failures.push(describeFailure(SEED, c, result));
      else if (ONLY !== undefined) console.log(`      case ${no} agrees: ${describeFailure(SEED, c, { ...result, problem: 'ok' })}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      differential: ${stats.ran} cases in ${seconds} s (${stats.matched} with matches, ${stats.refused} refused with QueryError; ${[...stats.byIndex].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    );
    if (failures.length > 0) {
      expect.fail(
        `${failures.length} of ${stats.ran} generated queries disagree with the in-memory evaluation (seed ${SEED}; re-run with DIFF_SEED=${SEED} npm test, add DIFF_CASE=<n> for one case).\n\n` +
          `${failures.slice(0, 3).join('\n\n')}${failures.length > 3 ? `\n\n... and ${failures.length - 3} more` : ''}`,
      );
    }
  });

  // Skipped: the local server (dynamorm/testing's startLocalDynamo, on dynalite 4's
  // db.compare) compares strings by UTF-16 code units in filters, in BETWEEN's bounds check
  // and in the ExclusiveStartKey check, where DynamoDB compares UTF-8 bytes, as the same
  // server's key order already does. The two orders differ between U+E000-U+FFFF and astral
  // characters: 'ｱ' (U+FF71, UTF-8 EF BD B1) sorts before '😀' (U+1F600, F0 9F 98 80) in
  // DynamoDB, after it ('\uD83D...') in JS. Not a fault of lib/query: every request below is
  // valid DynamoDB. The generated values leave these characters out (DIFF_UNICODE=all puts
  // them back, and the differential test above then fails the same way).
  it.skip('the local server compares strings by UTF-8 bytes, as DynamoDB does, in filters, BETWEEN and paging', async () => {
    await ensureTable(Utf8Probe);
    for (const s of ['a', 'ｱ', '😀']) await Utf8Probe.create({ id: 'x', s, t: s });
    const sks = (list: Utf8Probe[]) => list.map((p) => p.s);
    expect(sks(await Utf8Probe.where('id', '=', 'x').all())).to.deep.equal(['a', 'ｱ', '😀']); // passes: key order is UTF-8
    expect(sks(await Utf8Probe.where('id', '=', 'x').filter('t', '<', 'ｱ').all())).to.deep.equal(['a']); // the server adds '😀'
    expect(sks(await Utf8Probe.where('id', '=', 'x').filter('t', 'between', 'ｱ', '😀').all())).to.deep.equal(['ｱ', '😀']); // the server: ValidationException, upper bound below lower
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await Utf8Probe.where('id', '=', 'x').where('s', '<', '😀').limit(1).page(cursor);
      paged.push(...sks(page.items));
      cursor = page.cursor;
    } while (cursor);
    expect(paged).to.deep.equal(['a', 'ｱ']); // the server: "The provided starting key does not match the range key predicate"
  });
});
