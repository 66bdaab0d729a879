// The world of the differential query test (differential.spec.ts): a seeded PRNG, two
// models, their generated items, and DynamoDB's value semantics written out independently
// of lib/ (typed values, UTF-8 string order, equality, size()).
import { Attribute, BaseModel, Index, Model, PartitionKey, SortKey } from '../../../lib';

/** mulberry32: a tiny seeded PRNG, so that one seed reproduces the items and the queries. */
export class Rng {
  #a: number;

  constructor(seed: number) {
    this.#a = seed >>> 0;
  }

  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  /** Up to `n` distinct members of `list`, in a random order. */
  some<T>(list: readonly T[], n: number): T[] {
    return this.shuffle(list).slice(0, n);
  }

  shuffle<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// The models. Reserved words (status, name, size, data, count) as properties, a renamed
// attribute, a string set, a list, Dates (ISO and epoch), a number and a string table sort
// key, GSIs with and without a sort key (one keyed on a renamed attribute, one on `size`)
// and an LSI.

@Model({ table: 'qdiff_things' })
export class Thing extends BaseModel {
  @PartitionKey() pk!: string;
  @SortKey({ type: Number }) n!: number;
  @Index('gsi-status-at', 'pk') status?: string;
  @Index('gsi-status-at', 'sk', { type: Date }) at?: Date;
  @Index('lsi-name', 'sk') name?: string;
  @Attribute({ type: Number }) size?: number;
  @Attribute() data?: string | null;
  @Attribute({ type: Number }) count?: number;
  @Attribute({ name: 'renamed_attr' }) label?: string;
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute({ type: Array }) list?: Array<string | number>;
  @Attribute({ type: Number }) größe?: number;
}

@Model({ table: 'qdiff_entries' })
export class Entry extends BaseModel {
  @PartitionKey() owner!: string;
  @SortKey() key!: string;
  // Declared before gsi-by-size, which wins ties by name all the same.
  @Attribute({ name: 'kind_attr' }) @Index('gsi-kind-rank', 'pk') kind?: string;
  @Index('gsi-kind-rank', 'sk', { type: Number }) rank?: number;
  @Index('gsi-by-size', 'pk', { type: Number }) size?: number;
  @Attribute() status?: string;
  @Attribute() name?: string;
  @Attribute() data?: string | null;
  @Attribute({ type: Number }) count?: number;
  @Attribute({ name: 'renamed attr.#1:x' }) label?: string;
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute({ type: Date }) seen?: Date;
  @Attribute({ format: 'epoch' }) expires?: Date;
  /** A map whose keys are reserved words, a keyword and non-ASCII: reached as meta.status, meta.and, ... in expressions. */
  @Attribute({ type: Object }) meta?: Record<string, string | number>;
}

// ---------------------------------------------------------------------------------------
// Descriptions of the models, written by hand (not read from lib's metadata), so that the
// expected plan and results do not share the code under test.

/** How a property is stored: 'date' as an ISO string, 'epoch' as N seconds. */
export type Kind = 'string' | 'number' | 'date' | 'epoch' | 'set' | 'list' | 'map';

export interface PropDesc {
  readonly property: string;
  readonly attribute: string;
  readonly kind: Kind;
  /** May hold NULL (stored null) or '' as well as strings. */
  readonly nullable?: boolean;
}

export interface KeySchemaDesc {
  /** undefined: the table. */
  readonly index?: string;
  readonly type: 'table' | 'LSI' | 'GSI';
  readonly pk: string;
  readonly sk?: string;
}

export type Row = Record<string, unknown>;

export interface ModelDesc {
  readonly name: 'Thing' | 'Entry';
  readonly ctor: typeof Thing | typeof Entry;
  readonly props: Readonly<Record<string, PropDesc>>;
  /** DESIGN §3's tie order: the table, then LSIs, then GSIs, each by name. */
  readonly keySchemas: readonly KeySchemaDesc[];
  readonly items: readonly Row[];
  /** Every value each property holds among the items, for conditions that match something. */
  readonly seen: Readonly<Record<string, readonly unknown[]>>;
  /** Paths into lists and maps that expressions may name (`list[1]`, `meta.status`), with the values found there. */
  readonly nested: readonly NestedDesc[];
}

export interface NestedDesc {
  readonly p: string;
  readonly sub: ReadonlyArray<string | number>;
  readonly values: readonly unknown[];
}

const prop = (property: string, kind: Kind, extra: Partial<PropDesc> = {}): PropDesc => ({ property, attribute: property, kind, ...extra });

const THING_PROPS: Record<string, PropDesc> = Object.fromEntries(
  [
    prop('pk', 'string'),
    prop('n', 'number'),
    prop('status', 'string'),
    prop('at', 'date'),
    prop('name', 'string'),
    prop('size', 'number'),
    prop('data', 'string', { nullable: true }),
    prop('count', 'number'),
    prop('label', 'string', { attribute: 'renamed_attr' }),
    prop('tags', 'set'),
    prop('list', 'list'),
    prop('größe', 'number'),
  ].map((p) => [p.property, p]),
);

const ENTRY_PROPS: Record<string, PropDesc> = Object.fromEntries(
  [
    prop('owner', 'string'),
    prop('key', 'string'),
    prop('kind', 'string', { attribute: 'kind_attr' }),
    prop('rank', 'number'),
    prop('size', 'number'),
    prop('status', 'string'),
    prop('name', 'string'),
    prop('data', 'string', { nullable: true }),
    prop('count', 'number'),
    prop('label', 'string', { attribute: 'renamed attr.#1:x' }),
    prop('tags', 'set'),
    prop('seen', 'date'),
    prop('expires', 'epoch'),
    prop('meta', 'map'),
  ].map((p) => [p.property, p]),
);

// ---------------------------------------------------------------------------------------
// Generated values. The alphabet has non-ASCII (2, 3 and 4 UTF-8 bytes, astral characters
// that are surrogate pairs in JS) and the characters an expression could trip on. It leaves
// out U+E000-U+FFFF, where UTF-16 order (the local server's, in filters) and UTF-8 order
// (DynamoDB's) disagree with the astral characters; DIFF_UNICODE=all puts them in. See the
// skipped 'orders strings by UTF-8 bytes' spec.

export const ALPHABET = [
  'a',
  'b',
  'c',
  'd',
  'A',
  'Z',
  '0',
  '9',
  ' ',
  '#',
  ':',
  ')',
  '(',
  "'",
  '"',
  '-',
  '_',
  '.',
  ',',
  'é',
  'ü',
  'ß',
  'Ω',
  '日',
  '本',
  '😀',
  '𝄞',
  ...(process.env.DIFF_UNICODE === 'all' ? ['ｱ', '\uFFFD', '\uE000'] : []),
];

export function randomString(rng: Rng, min = 1, max = 8): string {
  let out = '';
  const length = rng.int(min, max);
  for (let i = 0; i < length; i++) out += rng.pick(ALPHABET);
  return out;
}

const TAGS = ['red', 'blue', 'green', 'x#y', 'a:b', 'ü', '日本', '😀', 'p)q', "it's", 'with space'];
const LIST_MEMBERS: ReadonlyArray<string | number> = ['red', 'x#y', '日本', 'a:b', 1, 2, 3, -1, 2.5, 10];
const DAY = 86_400_000;
// Numbers whose decimal text is long or odd: stored as text, compared as numbers.
const ODD_NUMBERS = [0.1, 0.30000000000000004, -0.001, 123456.789, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];

function randomSet(rng: Rng): Set<string> {
  return new Set(rng.some(TAGS, rng.int(0, 4))); // an empty set is not stored
}

function randomData(rng: Rng): string | null | undefined {
  if (rng.chance(0.08)) return null;
  if (rng.chance(0.05)) return '';
  return rng.chance(0.85) ? randomString(rng, 1, 10) : undefined;
}

function maybe<T>(rng: Rng, p: number, make: () => T): T | undefined {
  return rng.chance(p) ? make() : undefined;
}

function thingItems(rng: Rng, count: number): Row[] {
  const pks = ['p#1', 'p:2', 'Zürich', 'x) OR #a', `it's "q"`, '日本😀'];
  const statuses = ['active', 'in:active', 'ü#1', 'size', 'Ω) x', "d'oh"];
  const names = ['Ann', 'Anna', 'Ånne', 'Bob', 'bob', 'Zoë', '日本語', '😀x', 'a#b', 'a:b c', 'Ann)'];
  const base = Date.UTC(2026, 0, 1);
  const dates = Array.from({ length: 24 }, (_, i) => new Date(base + i * DAY + rng.int(0, 23) * 3_600_000 + rng.int(0, 999)));
  const used = new Set<string>();
  const items: Row[] = [];
  while (items.length < count) {
    const pk = rng.pick(pks);
    const n = rng.int(-300, 300) + (rng.chance(0.2) ? 0.5 : 0);
    if (used.has(JSON.stringify([pk, n]))) continue;
    used.add(JSON.stringify([pk, n]));
    items.push({
      pk,
      n,
      status: maybe(rng, 0.85, () => rng.pick(statuses)),
      at: maybe(rng, 0.85, () => new Date(rng.pick(dates).getTime())),
      name: maybe(rng, 0.8, () => rng.pick(names)),
      size: maybe(rng, 0.8, () => rng.int(0, 20)),
      data: randomData(rng),
      count: maybe(rng, 0.8, () => (rng.chance(0.1) ? rng.pick(ODD_NUMBERS) : rng.int(-5, 50) + (rng.chance(0.15) ? 0.25 : 0))),
      label: maybe(rng, 0.7, () => randomString(rng, 1, 6)),
      tags: maybe(rng, 0.65, () => randomSet(rng)),
      list: maybe(rng, 0.5, () => rng.some(LIST_MEMBERS, rng.int(0, 4))),
      größe: maybe(rng, 0.6, () => rng.int(-3, 3)),
    });
  }
  return items;
}

function entryItems(rng: Rng, count: number): Row[] {
  const owners = ['o#1', 'o:2', 'Ürsula', 'o "4"'];
  const prefixes = ['k#', 'k:', 'ä', '日', '😀', 'z', 'K'];
  const kinds = ['alpha', 'be ta', 'γ#', 'd:1)'];
  const statuses = ['active', 'inactive', 'x#y', '日'];
  const base = Date.UTC(2025, 11, 1);
  const used = new Set<string>();
  const items: Row[] = [];
  while (items.length < count) {
    const owner = rng.pick(owners);
    const key = rng.pick(prefixes) + randomString(rng, 0, 5);
    if (used.has(JSON.stringify([owner, key]))) continue;
    used.add(JSON.stringify([owner, key]));
    items.push({
      owner,
      key,
      kind: maybe(rng, 0.85, () => rng.pick(kinds)),
      rank: maybe(rng, 0.85, () => rng.int(0, 25)),
      size: maybe(rng, 0.75, () => rng.int(1, 5)),
      status: maybe(rng, 0.8, () => rng.pick(statuses)),
      name: maybe(rng, 0.7, () => randomString(rng, 1, 5)),
      data: randomData(rng),
      count: maybe(rng, 0.8, () => rng.int(0, 9)),
      label: maybe(rng, 0.6, () => rng.pick(['L1', 'L#2', 'l:3', 'Ł', '😀'])),
      tags: maybe(rng, 0.6, () => randomSet(rng)),
      seen: maybe(rng, 0.7, () => new Date(base + rng.int(0, 40) * DAY + rng.int(0, 86_399_999))),
      expires: maybe(rng, 0.5, () => new Date(base + rng.int(0, 20) * DAY + rng.int(0, 86_399) * 1000)),
      meta: maybe(rng, 0.7, () => {
        const meta: Record<string, string | number> = {};
        if (rng.chance(0.6)) meta.status = rng.pick(statuses);
        if (rng.chance(0.6)) meta.size = rng.int(0, 9);
        if (rng.chance(0.6)) meta['ü'] = randomString(rng, 1, 4);
        if (rng.chance(0.6)) meta.and = rng.int(-2, 2);
        return meta;
      }),
    });
  }
  return items;
}

function seenValues(props: Record<string, PropDesc>, items: readonly Row[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const p of Object.keys(props)) {
    const byKey = new Map<string, unknown>();
    for (const item of items) {
      const tv = toTV(item[p], props[p].kind);
      if (tv !== undefined) byKey.set(JSON.stringify(tv), item[p]);
    }
    out[p] = [...byKey.values()];
  }
  return out;
}

function nestedValues(items: readonly Row[], p: string, sub: ReadonlyArray<string | number>): unknown[] {
  const out = new Map<string, unknown>();
  for (const item of items) {
    let v: unknown = item[p];
    for (const segment of sub) v = v === undefined || v === null ? undefined : (v as Record<string | number, unknown>)[segment];
    if (v !== undefined) out.set(JSON.stringify(v), v);
  }
  return [...out.values()];
}

/** The two models with items generated from `rng`. */
export function buildWorld(rng: Rng, counts = { things: 240, entries: 160 }): ModelDesc[] {
  const things = thingItems(rng, counts.things);
  const entries = entryItems(rng, counts.entries);
  return [
    {
      name: 'Thing',
      ctor: Thing,
      props: THING_PROPS,
      keySchemas: [
        { type: 'table', pk: 'pk', sk: 'n' },
        { index: 'lsi-name', type: 'LSI', pk: 'pk', sk: 'name' },
        { index: 'gsi-status-at', type: 'GSI', pk: 'status', sk: 'at' },
      ],
      items: things,
      seen: seenValues(THING_PROPS, things),
      nested: [0, 1, 2, 5].map((i) => ({ p: 'list', sub: [i], values: nestedValues(things, 'list', [i]) })),
    },
    {
      name: 'Entry',
      ctor: Entry,
      props: ENTRY_PROPS,
      keySchemas: [
        { type: 'table', pk: 'owner', sk: 'key' },
        { index: 'gsi-by-size', type: 'GSI', pk: 'size' },
        { index: 'gsi-kind-rank', type: 'GSI', pk: 'kind', sk: 'rank' },
      ],
      items: entries,
      seen: seenValues(ENTRY_PROPS, entries),
      nested: ['status', 'size', 'ü', 'and', 'name'].map((key) => ({ p: 'meta', sub: [key], values: nestedValues(entries, 'meta', [key]) })),
    },
  ];
}

/** The table key of a row, as one string. */
export function rowId(desc: ModelDesc, row: Row): string {
  const table = desc.keySchemas[0];
  return JSON.stringify([row[table.pk], row[table.sk!]]);
}

// ---------------------------------------------------------------------------------------
// DynamoDB's values and their semantics, in memory.

/** A DynamoDB attribute value, as the server sees it. */
export type TV = { S: string } | { N: number } | { SS: string[] } | { L: TV[] } | { M: Record<string, TV> } | { NULL: true };

/**
 * The value stored for a JS value: undefined (and an empty set) is no attribute; a Date is
 * its ISO string, or N seconds for 'epoch'.
 */
export function toTV(value: unknown, kind?: Kind): TV | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { NULL: true };
  if (value instanceof Date) return kind === 'epoch' ? { N: Math.floor(value.getTime() / 1000) } : { S: value.toISOString() };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (value instanceof Set) return value.size === 0 ? undefined : { SS: [...value].map(String) };
  if (Array.isArray(value)) return { L: value.map((v) => toTV(v)!) };
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const m: Record<string, TV> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) m[k] = toTV(v)!;
    return { M: m };
  }
  throw new Error(`differential test: no DynamoDB value for ${String(value)}`);
}

/** DynamoDB orders strings by their UTF-8 bytes (not JS's UTF-16 code units). */
export function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The order of two scalars of one type (S by UTF-8 bytes, N numerically); undefined when they do not compare. */
export function compareTV(a: TV | undefined, b: TV | undefined): number | undefined {
  if (!a || !b) return undefined;
  if ('S' in a && 'S' in b) return utf8Compare(a.S, b.S);
  if ('N' in a && 'N' in b) return Math.sign(a.N - b.N);
  return undefined;
}

export function equalTV(a: TV | undefined, b: TV | undefined): boolean {
  if (!a || !b) return false;
  if ('S' in a && 'S' in b) return a.S === b.S;
  if ('N' in a && 'N' in b) return a.N === b.N;
  if ('NULL' in a && 'NULL' in b) return true;
  if ('SS' in a && 'SS' in b) return a.SS.length === b.SS.length && a.SS.every((s) => b.SS.includes(s));
  if ('L' in a && 'L' in b) return a.L.length === b.L.length && a.L.every((v, i) => equalTV(v, b.L[i]));
  if ('M' in a && 'M' in b) {
    const keys = Object.keys(a.M);
    return keys.length === Object.keys(b.M).length && keys.every((k) => equalTV(a.M[k], b.M[k]));
  }
  return false;
}

/** The value at a document path below an attribute: a map's key, a list's element. */
export function descendTV(v: TV | undefined, sub: ReadonlyArray<string | number>): TV | undefined {
  for (const segment of sub) {
    if (!v) return undefined;
    if (typeof segment === 'number') v = 'L' in v ? v.L[segment] : undefined;
    else v = 'M' in v ? v.M[segment] : undefined;
  }
  return v;
}

/**
 * size(): a string's length in UTF-16 code units (what DynamoDB counts: size('é𝄞') is 3,
 * verified against DynamoDB in ExtendDB#67), a set's or list's number of members; nothing
 * for other types.
 */
export function sizeTV(v: TV | undefined): TV | undefined {
  if (!v) return undefined;
  if ('S' in v) return { N: v.S.length };
  if ('SS' in v) return { N: v.SS.length };
  if ('L' in v) return { N: v.L.length };
  if ('M' in v) return { N: Object.keys(v.M).length };
  return undefined;
}

/** contains(): a substring of a string, a member of a set, an element of a list. */
export function containsTV(subject: TV | undefined, operand: TV | undefined): boolean {
  if (!subject || !operand) return false;
  if ('S' in subject) return 'S' in operand && subject.S.includes(operand.S);
  if ('SS' in subject) return 'S' in operand && subject.SS.includes(operand.S);
  if ('L' in subject) return subject.L.some((v) => equalTV(v, operand));
  return false;
}

export function beginsWithTV(subject: TV | undefined, prefix: TV | undefined): boolean {
  return !!subject && !!prefix && 'S' in subject && 'S' in prefix && subject.S.startsWith(prefix.S);
}
