// Random condition trees, written out as users might write them (extra and doubled parentheses,
// keywords in any case), with a JS evaluator: the parser, the compiler and the local server
// must all agree with it. Shared by the unit round-trip spec and the integration spec.
import { cond, operand, type Condition } from '../../../lib/expressions/condition';

export interface Row {
  a: number;
  b: number;
  c: number;
  d?: string;
  s: string;
  tags: Set<string>;
}

interface Leaf {
  text: string;
  node: () => Condition;
  test: (row: Row) => boolean;
}

export const PARAMS = { one: 1, two: 2, three: 3, p: 'x' };

export const LEAVES: Leaf[] = [
  { text: 'a = :one', node: () => cond.eq(['a'], 1), test: (r) => r.a === 1 },
  { text: 'b <> :one', node: () => cond.compare(['b'], '<>', 1), test: (r) => r.b !== 1 },
  { text: 'c < :two', node: () => cond.compare(['c'], '<', 2), test: (r) => r.c < 2 },
  { text: 'b BETWEEN :two AND :three', node: () => cond.between(['b'], 2, 3), test: (r) => r.b >= 2 && r.b <= 3 },
  { text: 'c IN (:two, :three)', node: () => cond.in(['c'], [2, 3]), test: (r) => r.c === 2 || r.c === 3 },
  { text: 'attribute_exists(d)', node: () => cond.exists(['d']), test: (r) => r.d !== undefined },
  { text: 'size(tags) > :one', node: () => cond.comparison(operand.size(['tags']), '>', operand.value(1)), test: (r) => r.tags.size > 1 },
  { text: 'begins_with(s, :p)', node: () => cond.beginsWith(['s'], 'x'), test: (r) => r.s.startsWith('x') },
  { text: 'a < c', node: () => cond.comparison(operand.path(['a']), '<', operand.path(['c'])), test: (r) => r.a < r.c },
];

/** The 16 rows every combination of the leaves is checked against. */
export const ROWS: Row[] = Array.from({ length: 16 }, (_, i) => ({
  a: (i & 1) + 1,
  b: ((i >> 1) & 1) + 1,
  c: ((i >> 2) & 1) + 1,
  ...(i & 8 ? { d: 'yes' } : {}),
  s: i % 3 === 0 ? 'xy' : 'yx',
  tags: new Set(i % 5 === 0 ? ['t1', 't2'] : ['t1']),
}));

/** A tree with the JS meaning and the user's text of each node. */
export interface Sample {
  node: Condition;
  text: string;
  test: (row: Row) => boolean;
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVEL = { or: 1, and: 2, not: 3, leaf: 4 };

export function sample(rand: () => number, depth = 4): Sample & { level: number } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const word = (w: string) => (rand() < 0.2 ? w.toLowerCase() : w);
  const wrap = (child: Sample & { level: number }, needed: boolean) => {
    if (!needed && rand() > 0.25) return child.text;
    return rand() < 0.15 ? `((${child.text}))` : `(${child.text})`;
  };
  if (depth === 0 || rand() < 0.25) {
    const leaf = pick(LEAVES);
    return { node: leaf.node(), text: leaf.text, test: leaf.test, level: LEVEL.leaf };
  }
  const kind = pick(['and', 'or', 'not'] as const);
  if (kind === 'not') {
    const child = sample(rand, depth - 1);
    return { node: cond.not(child.node), text: `${word('NOT')} ${wrap(child, child.level < LEVEL.not)}`, test: (r) => !child.test(r), level: LEVEL.not };
  }
  const children = Array.from({ length: rand() < 0.7 ? 2 : 3 }, () => sample(rand, depth - 1));
  const level = LEVEL[kind];
  return {
    node: { kind, conditions: children.map((c) => c.node) },
    text: children.map((c) => wrap(c, c.level < level)).join(` ${word(kind.toUpperCase())} `),
    test: kind === 'and' ? (r) => children.every((c) => c.test(r)) : (r) => children.some((c) => c.test(r)),
    level,
  };
}

/** The tree with nested ANDs (ORs) merged into their AND (OR) parent: the same meaning, one shape. */
export function flatten(node: Condition): Condition {
  if (node.kind === 'not') return { kind: 'not', condition: flatten(node.condition) };
  if (node.kind !== 'and' && node.kind !== 'or') return node;
  const conditions = node.conditions.map(flatten).flatMap((c) => (c.kind === node.kind ? (c as { conditions: readonly Condition[] }).conditions : [c]));
  return conditions.length === 1 ? conditions[0] : { kind: node.kind, conditions };
}
