import { expect } from 'chai';
import { DeleteItemCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { createTable, useLocalServer } from './support';

/**
 * Generated items (S, N and B key attributes, some missing one) and generated queries of every
 * shape DynamoDB allows on a GSI with multi-attribute keys, run against the local server and
 * against the tiny oracle below, which knows nothing of the layer: it filters and orders the
 * items with its own comparisons. Deterministic: one seed.
 */

type Item = Record<string, AttributeValue>;
type KeyType = 'S' | 'N' | 'B';

const SEED = 17;
const ITEMS = 120;
const QUERIES = 100;

/** mulberry32: a small deterministic generator. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTITION: Array<[string, KeyType]> = [
  ['p1', 'S'],
  ['p2', 'N'],
];
const SORT: Array<[string, KeyType]> = [
  ['s1', 'B'],
  ['s2', 'N'],
  ['s3', 'S'],
];
const DOMAIN: Record<string, AttributeValue[]> = {
  p1: [{ S: 'a' }, { S: 'b' }],
  p2: [{ N: '1' }, { N: '2' }, { N: '2.0' }],
  s1: [[0], [1], [1, 0], [1, 2], [255]].map((bytes) => ({ B: Uint8Array.from(bytes) })),
  s2: ['-3', '-1e-3', '0', '0.5', '10', '1e1', '12345678901234567890123456789012345678', '12345678901234567890123456789012345679'].map((N) => ({ N })),
  s3: ['Z', 'x', 'xy', 'é', '\uffff', '😀'].map((S) => ({ S })),
};

// --- the oracle's own comparisons -------------------------------------------------------

/** A number scaled by 10^80 as a BigInt: exact for every number used here. */
function scaled(text: string): bigint {
  const [mantissa, exponent = '0'] = text.toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace(/^[-+]/, '').split('.');
  const shift = 80 + Number(exponent) - fraction.length;
  const digits = BigInt(whole + fraction);
  const value = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return negative ? -value : value;
}

function bytesOf(value: AttributeValue, type: KeyType): Buffer {
  return type === 'B' ? Buffer.from(value.B!) : Buffer.from(value.S!, 'utf8');
}

function compare(a: AttributeValue, b: AttributeValue, type: KeyType): number {
  if (type === 'N') {
    const x = scaled(a.N!);
    const y = scaled(b.N!);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Buffer.compare(bytesOf(a, type), bytesOf(b, type));
}

function beginsWith(value: AttributeValue, prefix: AttributeValue, type: KeyType): boolean {
  const bytes = bytesOf(value, type);
  const start = bytesOf(prefix, type);
  return bytes.subarray(0, start.length).equals(start);
}

function inIndex(item: Item): boolean {
  return [...PARTITION, ...SORT].every(([name]) => item[name] !== undefined);
}

function order(a: Item, b: Item): number {
  for (const [name, type] of SORT) {
    const c = compare(a[name], b[name], type);
    if (c !== 0) return c;
  }
  return compare(a.id, b.id, 'S');
}

interface Shape {
  partition: Item;
  equals: Array<[string, AttributeValue]>;
  range?: { name: string; type: KeyType; op: string; values: AttributeValue[] };
}

function matches(item: Item, shape: Shape): boolean {
  if (!PARTITION.every(([name, type]) => compare(item[name], shape.partition[name], type) === 0)) return false;
  for (const [name, value] of shape.equals) {
    const type = SORT.find(([n]) => n === name)![1];
    if (compare(item[name], value, type) !== 0) return false;
  }
  const range = shape.range;
  if (!range) return true;
  const value = item[range.name];
  const [low, high] = range.values;
  switch (range.op) {
    case '<':
      return compare(value, low, range.type) < 0;
    case '<=':
      return compare(value, low, range.type) <= 0;
    case '>':
      return compare(value, low, range.type) > 0;
    case '>=':
      return compare(value, low, range.type) >= 0;
    case 'BETWEEN':
      return compare(value, low, range.type) >= 0 && compare(value, high, range.type) <= 0;
    default:
      return beginsWith(value, low, range.type);
  }
}

// --- generation --------------------------------------------------------------------------

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)];
}

function generateItems(next: () => number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < ITEMS; i += 1) {
    const item: Item = { id: { S: `item-${String(i).padStart(3, '0')}` } };
    for (const [name] of [...PARTITION, ...SORT]) item[name] = pick(next, DOMAIN[name]);
    // Some items lack one key attribute: they are in no index (sparse).
    if (next() < 0.15) delete item[pick(next, [...PARTITION, ...SORT])[0]];
    if (next() < 0.4) item.extra = { S: `e${i}` };
    items.push(item);
  }
  return items;
}

function generateShape(next: () => number): Shape {
  const partition: Item = {};
  for (const [name] of PARTITION) partition[name] = pick(next, DOMAIN[name]);
  const prefix = Math.floor(next() * (SORT.length + 1));
  const equals = SORT.slice(0, prefix).map(([name]): [string, AttributeValue] => [name, pick(next, DOMAIN[name])]);
  if (prefix === SORT.length || next() < 0.25) return { partition, equals };
  const [name, type] = SORT[prefix];
  const ops = type === 'N' ? ['<', '<=', '>', '>=', 'BETWEEN'] : ['<', '<=', '>', '>=', 'BETWEEN', 'begins_with'];
  const op = pick(next, ops);
  if (op === 'BETWEEN') {
    const bounds = [pick(next, DOMAIN[name]), pick(next, DOMAIN[name])].sort((a, b) => compare(a, b, type));
    return { partition, equals, range: { name, type, op, values: bounds } };
  }
  if (op === 'begins_with') {
    const prefixes: AttributeValue[] = type === 'S' ? [{ S: 'x' }, { S: 'Z' }, { S: '\uffff' }] : [{ B: Uint8Array.from([1]) }, { B: Uint8Array.from([255]) }];
    return { partition, equals, range: { name, type, op, values: [pick(next, prefixes)] } };
  }
  return { partition, equals, range: { name, type, op, values: [pick(next, DOMAIN[name])] } };
}

/** The Query for a shape: placeholders for every name and value, never values spliced in. */
function queryInput(shape: Shape): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const parts: string[] = [];
  let counter = 0;
  const value = (v: AttributeValue) => {
    counter += 1;
    values[`:v${counter}`] = v;
    return `:v${counter}`;
  };
  const name = (n: string) => {
    names[`#${n}`] = n;
    return `#${n}`;
  };
  for (const [n] of PARTITION) parts.push(`${name(n)} = ${value(shape.partition[n])}`);
  for (const [n, v] of shape.equals) parts.push(`${name(n)} = ${value(v)}`);
  const range = shape.range;
  if (range) {
    const n = name(range.name);
    if (range.op === 'BETWEEN') parts.push(`${n} BETWEEN ${value(range.values[0])} AND ${value(range.values[1])}`);
    else if (range.op === 'begins_with') parts.push(`begins_with(${n}, ${value(range.values[0])})`);
    else parts.push(`${n} ${range.op} ${value(range.values[0])}`);
  }
  return { KeyConditionExpression: parts.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

describe('local server: GSIs with multi-attribute keys, against an oracle', () => {
  const h = useLocalServer();
  let table: string;
  let stored: Map<string, Item>;
  const next = random(SEED);

  before(async () => {
    table = await createTable(h.client, {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        ...[...PARTITION, ...SORT].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'mixed',
          KeySchema: [
            ...PARTITION.map(([AttributeName]) => ({ AttributeName, KeyType: 'HASH' as const })),
            ...SORT.map(([AttributeName]) => ({ AttributeName, KeyType: 'RANGE' as const })),
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    stored = new Map();
    const items = generateItems(next);
    for (const item of items) {
      await h.client.send(new PutItemCommand({ TableName: table, Item: item }));
      stored.set(item.id.S!, item);
    }
    // Rewrite and delete some, so that entries move and leave.
    for (let i = 0; i < 30; i += 1) {
      const victim = pick(next, items);
      if (next() < 0.5) {
        await h.client.send(new DeleteItemCommand({ TableName: table, Key: { id: victim.id } }));
        stored.delete(victim.id.S!);
      } else {
        const replacement = { ...generateItems(next)[0], id: victim.id };
        await h.client.send(new PutItemCommand({ TableName: table, Item: replacement }));
        stored.set(victim.id.S!, replacement);
      }
    }
  });

  // Numbers come back in DynamoDB's one spelling (1e1 as 10): compared by value.
  const normal = (item: Item) =>
    JSON.stringify(
      Object.entries(item)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => [name, value.N === undefined ? value : { N: scaled(value.N).toString() }]),
    );

  it('answers every generated query as the oracle does, page by page', async () => {
    let nonEmpty = 0;
    for (let q = 0; q < QUERIES; q += 1) {
      const shape = generateShape(next);
      const forward = next() < 0.5;
      const limit = next() < 0.3 ? undefined : 1 + Math.floor(next() * 6);
      const filtered = next() < 0.3;
      const count = next() < 0.2;
      const expected = [...stored.values()].filter((item) => inIndex(item) && matches(item, shape)).sort(order);
      if (!forward) expected.reverse();
      const expectedItems = filtered ? expected.filter((item) => item.extra !== undefined) : expected;
      if (expected.length > 0) nonEmpty += 1;

      const input = queryInput(shape);
      const got: Item[] = [];
      let counted = 0;
      let scanned = 0;
      let start: Item | undefined;
      let pages = 0;
      do {
        const out = await h.client.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'mixed',
            ...input,
            ...(filtered ? { FilterExpression: 'attribute_exists(extra)' } : {}),
            ScanIndexForward: forward,
            Limit: limit,
            Select: count ? 'COUNT' : undefined,
            ExclusiveStartKey: start,
          }),
        );
        if (limit !== undefined) expect(out.ScannedCount).to.be.at.most(limit);
        if (count) expect(out.Items).to.equal(undefined);
        got.push(...(out.Items ?? []));
        counted += out.Count ?? 0;
        scanned += out.ScannedCount ?? 0;
        start = out.LastEvaluatedKey;
        if (start) expect(Object.keys(start).sort()).to.deep.equal(['id', 'p1', 'p2', 's1', 's2', 's3']);
        pages += 1;
        expect(pages, 'pages').to.be.at.most(ITEMS + 2);
      } while (start);

      const context = `query ${q}: ${input.KeyConditionExpression} ${JSON.stringify(input.ExpressionAttributeValues)} forward=${forward} limit=${limit}`;
      expect(scanned, context).to.equal(expected.length);
      expect(counted, context).to.equal(expectedItems.length);
      if (!count) expect(got.map(normal), context).to.deep.equal(expectedItems.map(normal));
    }
    // The generator is meant to reach items, not only empty partitions.
    expect(nonEmpty).to.be.greaterThan(QUERIES / 3);
  });

  it('scans the index page by page and segment by segment, each entry once', async () => {
    const expected = [...stored.values()].filter(inIndex).map((item) => item.id.S!);
    for (const limit of [undefined, 1, 7]) {
      for (const total of [1, 3]) {
        const seen: string[] = [];
        for (let segment = 0; segment < total; segment += 1) {
          let start: Item | undefined;
          do {
            const out = await h.client.send(
              new ScanCommand({
                TableName: table,
                IndexName: 'mixed',
                Limit: limit,
                ExclusiveStartKey: start,
                ...(total > 1 ? { Segment: segment, TotalSegments: total } : {}),
              }),
            );
            seen.push(...(out.Items ?? []).map((item) => item.id.S!));
            start = out.LastEvaluatedKey;
          } while (start);
        }
        expect(seen.slice().sort(), `limit=${limit} segments=${total}`).to.deep.equal(expected.slice().sort());
      }
    }
  });
});
