import 'reflect-metadata';
import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Address, Profile } from '../../support/fixtures/nested-classes';
import { Attribute, BaseModel, CreatedAt, Index, Model, PartitionKey, SortKey, TTL, ValidationError, Version } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { assignFromItem, loopReaderForSpecs, toItem } from '../../../lib/marshal/item-codec';
import type { StoredItem } from '../../../lib/marshal/stored-item';

// model -> item (what the DocumentClient is given) and item -> model (what it returns,
// numbers wrapped as the Connection reads them: unmarshallOptions.wrapNumbers).

/** An item as the DocumentClient returns it with wrapNumbers: every number a NumberValue. */
function asRead(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') return new NumberValue(String(value));
  if (value instanceof NumberValue) return new NumberValue(value.value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Set) return new Set([...value].map(asRead));
  if (Array.isArray(value)) return value.map(asRead);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asRead(v)]));
  }
  return value;
}

@Model({ table: 'mic_kinds' })
class Kinds extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: String }) str?: string;
  @Attribute({ type: Number }) num?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ type: Boolean }) bool?: boolean;
  @Attribute({ type: Date }) iso?: Date;
  @Attribute({ format: 'epoch' }) epoch?: Date;
  @Attribute({ format: 'epoch_ms' }) epochMs?: Date;
  @Attribute({ type: Uint8Array }) bin?: Uint8Array;
  @Attribute({ type: Buffer }) buf?: Buffer;
  @Attribute({ set: true }) strings?: Set<string>;
  @Attribute({ type: Set }) numbers?: Set<number | bigint>;
  @Attribute({ type: Array }) list?: unknown[];
  @Attribute({ type: Object }) map?: Record<string, unknown>;
  @Attribute({ type: Profile }) profile?: Profile;
  @Attribute({ json: true }) json?: unknown;
  @Attribute({ json: true, type: Profile }) jsonProfile?: Profile;
  @Attribute({ name: 'nick_name' }) nickname?: string;
  @Attribute() untyped?: unknown;
}

const schema = resolveModel(Kinds);

function build(attrs: Partial<Kinds>): Kinds {
  return Object.assign(new Kinds(), { id: 'k' }, attrs);
}

function roundTrip(attrs: Partial<Kinds>): { item: StoredItem; back: Kinds } {
  const item = toItem(schema, build(attrs));
  const back = new Kinds();
  assignFromItem(schema, asRead(item) as StoredItem, back);
  return { item, back };
}

describe('marshal: toItem / assignFromItem per kind', () => {
  it('string', () => {
    const { item, back } = roundTrip({ str: 'héllo #1' });
    expect(item).to.deep.equal({ id: 'k', str: 'héllo #1' });
    expect(back.str).to.equal('héllo #1');
  });

  it('number', () => {
    for (const num of [0, -1, 3.25, Number.MAX_SAFE_INTEGER, 1e-100]) {
      const { item, back } = roundTrip({ num });
      expect(item.num).to.equal(num);
      expect(back.num).to.equal(num);
    }
  });

  it('bigint, beyond 2^53 and small', () => {
    for (const big of [2n ** 70n, -(2n ** 64n), 5n]) {
      const { item, back } = roundTrip({ big });
      expect(item.big).to.equal(big);
      expect(back.big).to.equal(big);
    }
  });

  it('a bigint attribute given a number is a ValidationError (it would read back as a bigint)', () => {
    expect(() => toItem(schema, build({ big: 7 as never }))).to.throw(ValidationError, 'Kinds.big: expected a bigint, got number 7. Write BigInt(7) (or 7n).');
  });

  it('a Number attribute given a bigint is a ValidationError (it would read back rounded)', () => {
    expect(() => toItem(schema, build({ num: (2n ** 60n) as never }))).to.throw(
      ValidationError,
      'Kinds.num: expected a number, got the bigint 1152921504606846976n. A bigint would read back rounded as a number: declare the property { type: BigInt }.',
    );
  });

  it('boolean, false included', () => {
    for (const bool of [true, false]) {
      const { item, back } = roundTrip({ bool });
      expect(item.bool).to.equal(bool);
      expect(back.bool).to.equal(bool);
    }
  });

  it('Date as ISO-8601 text', () => {
    const iso = new Date('2024-02-29T12:34:56.789Z');
    const { item, back } = roundTrip({ iso });
    expect(item.iso).to.equal('2024-02-29T12:34:56.789Z');
    expect(back.iso).to.be.instanceOf(Date);
    expect(back.iso!.getTime()).to.equal(iso.getTime());
  });

  it('Date as epoch seconds: floor(ms / 1000)', () => {
    const { item, back } = roundTrip({ epoch: new Date(1_700_000_000_999) });
    expect(item.epoch).to.equal(1_700_000_000);
    expect(back.epoch!.getTime()).to.equal(1_700_000_000_000);
    expect(roundTrip({ epoch: new Date(-1500) }).item.epoch).to.equal(-2);
  });

  it('Date as epoch milliseconds', () => {
    const { item, back } = roundTrip({ epochMs: new Date(1_700_000_000_999) });
    expect(item.epochMs).to.equal(1_700_000_000_999);
    expect(back.epochMs!.getTime()).to.equal(1_700_000_000_999);
  });

  it('Invalid Date is a ValidationError', () => {
    expect(() => toItem(schema, build({ iso: new Date('nope') }))).to.throw(ValidationError, 'Kinds.iso: Invalid Date cannot be stored.');
    expect(() => toItem(schema, build({ epoch: new Date(NaN) }))).to.throw(ValidationError, 'Invalid Date');
  });

  it('a Date attribute given a number or boolean is a ValidationError naming the type option', () => {
    expect(() => toItem(schema, build({ iso: 5 as never }))).to.throw(
      ValidationError,
      "Kinds.iso: expected a Date, got number 5. Assign a Date (new Date(...)), or declare the property's type with the 'type' option.",
    );
    expect(() => toItem(schema, build({ epoch: true as never }))).to.throw(ValidationError, 'expected a Date');
  });

  it('Uint8Array (B), copied both ways', () => {
    const bin = new Uint8Array([0, 1, 255]);
    const { item, back } = roundTrip({ bin });
    expect(item.bin).to.deep.equal(new Uint8Array([0, 1, 255]));
    expect(item.bin).not.to.equal(bin);
    expect(back.bin).to.be.instanceOf(Uint8Array);
    expect(Buffer.isBuffer(back.bin)).to.equal(false);
    expect([...back.bin!]).to.deep.equal([0, 1, 255]);
  });

  it('Buffer (B) reads back as a Buffer', () => {
    const { item, back } = roundTrip({ buf: Buffer.from('hi') });
    expect(item.buf).to.be.instanceOf(Uint8Array);
    expect(Buffer.isBuffer(back.buf)).to.equal(true);
    expect(back.buf!.toString()).to.equal('hi');
  });

  it('Set<string> and Set<number>, copied', () => {
    const strings = new Set(['a', 'b']);
    const numbers = new Set([1, 2.5]);
    const { item, back } = roundTrip({ strings, numbers });
    expect(item.strings).to.deep.equal(new Set(['a', 'b']));
    expect(item.strings).not.to.equal(strings);
    expect(item.numbers).to.deep.equal(new Set([1, 2.5]));
    expect(item.numbers).not.to.equal(numbers);
    expect(back.strings).to.deep.equal(new Set(['a', 'b']));
    expect(back.numbers).to.deep.equal(new Set([1, 2.5]));
  });

  it('a set of bigints stays a set of bigints', () => {
    const { item, back } = roundTrip({ numbers: new Set([2n ** 70n, 3n]) });
    expect(item.numbers).to.deep.equal(new Set([2n ** 70n, 3n]));
    expect(back.numbers).to.deep.equal(new Set([2n ** 70n, 3]));
  });

  it('a set mixing numbers and bigints (as reads give them) is sent as exact number text', () => {
    // The SDK converts a number set by its first member's type; a number first and a bigint
    // past 2^53 later would be refused by it.
    const { item, back } = roundTrip({ numbers: new Set([1, 2.5, 2n ** 70n]) });
    const stored = [...(item.numbers as Set<unknown>)];
    for (const member of stored) expect(member).to.be.instanceOf(NumberValue);
    expect(stored.map((m) => (m as NumberValue).value)).to.deep.equal(['1', '2.5', '1180591620717411303424']);
    expect(back.numbers).to.deep.equal(new Set([1, 2.5, 2n ** 70n]));
  });

  it('an array given to a set attribute is a ValidationError (it would read back as a Set)', () => {
    expect(() => toItem(schema, build({ strings: ['x', 'x', 'y'] as never }))).to.throw(
      ValidationError,
      'Kinds.strings: expected a Set, got an array. Wrap the array: new Set([...]) (it reads back as a Set).',
    );
  });

  it('an empty set is not stored (DynamoDB has no empty set)', () => {
    const { item, back } = roundTrip({ strings: new Set(), numbers: new Set() });
    expect(item).to.deep.equal({ id: 'k' });
    expect(back.strings).to.equal(undefined);
  });

  it('a set of mixed or unsupported members is a ValidationError', () => {
    expect(() => toItem(schema, build({ strings: new Set(['a', 1]) as never }))).to.throw(
      ValidationError,
      "Kinds.strings: a set's members must all have one type (found string and number).",
    );
    expect(() => toItem(schema, build({ strings: new Set([true]) as never }))).to.throw(
      ValidationError,
      'Kinds.strings: a set holds strings, numbers or binary values, not boolean.',
    );
  });

  it('arrays (L) with nested values', () => {
    const when = new Date('2020-01-01T00:00:00.000Z');
    const list = ['a', 1, true, null, [2, 'b'], { x: 3 }, when, 2n ** 60n];
    const { item, back } = roundTrip({ list });
    expect(item.list).to.deep.equal(['a', 1, true, null, [2, 'b'], { x: 3 }, '2020-01-01T00:00:00.000Z', 2n ** 60n]);
    expect(back.list).to.deep.equal(['a', 1, true, null, [2, 'b'], { x: 3 }, '2020-01-01T00:00:00.000Z', 2n ** 60n]);
  });

  it('plain objects (M): undefined members and functions dropped, Maps stored as maps', () => {
    const map = { a: 1, b: { c: 'd', e: [1, { f: null }] }, skip: undefined, fn: () => 1, m: new Map<string, unknown>([['k', 2]]) };
    const { item, back } = roundTrip({ map });
    expect(item.map).to.deep.equal({ a: 1, b: { c: 'd', e: [1, { f: null }] }, m: { k: 2 } });
    expect(back.map).to.deep.equal({ a: 1, b: { c: 'd', e: [1, { f: null }] }, m: { k: 2 } });
  });

  it('a nested class is stored as a map and restored with class-transformer @Type', () => {
    const profile = Object.assign(new Profile(), {
      bio: 'hi',
      address: Object.assign(new Address(), { street: 'Main', zip: 12345 }),
      since: new Date('2021-05-06T07:08:09.000Z'),
    });
    const { item, back } = roundTrip({ profile });
    expect(item.profile).to.deep.equal({ bio: 'hi', address: { street: 'Main', zip: 12345 }, since: '2021-05-06T07:08:09.000Z' });
    expect(Object.getPrototypeOf(item.profile)).to.equal(Object.prototype);
    expect(back.profile).to.be.instanceOf(Profile);
    expect(back.profile!.address).to.be.instanceOf(Address);
    expect(back.profile!.address.label).to.equal('Main 12345');
    expect(back.profile!.since).to.be.instanceOf(Date);
    expect(back.profile!.since.getTime()).to.equal(profile.since.getTime());
  });

  it('{ json: true } is stored as a JSON string', () => {
    const json = { a: [1, 'two'], b: { c: null } };
    const { item, back } = roundTrip({ json });
    expect(item.json).to.equal('{"a":[1,"two"],"b":{"c":null}}');
    expect(back.json).to.deep.equal(json);
    expect(roundTrip({ json: 'text' }).item.json).to.equal('"text"');
    expect(roundTrip({ json: 'text' }).back.json).to.equal('text');
  });

  it('{ json: true, type: SomeClass } restores the class', () => {
    const jsonProfile = Object.assign(new Profile(), { bio: 'b', address: Object.assign(new Address(), { street: 'S', zip: 1 }), since: new Date(0) });
    const { item, back } = roundTrip({ jsonProfile });
    expect(item.jsonProfile).to.equal('{"bio":"b","address":{"street":"S","zip":1},"since":"1970-01-01T00:00:00.000Z"}');
    expect(back.jsonProfile).to.be.instanceOf(Profile);
    expect(back.jsonProfile!.address.label).to.equal('S 1');
  });

  it('a value JSON cannot serialise is a ValidationError', () => {
    expect(() => toItem(schema, build({ json: { n: 1n } }))).to.throw(ValidationError, 'Kinds.json: cannot be stored as JSON');
  });

  it('{ name } stores under the attribute name and reads it back into the property', () => {
    const { item, back } = roundTrip({ nickname: 'Bo' });
    expect(item).to.deep.equal({ id: 'k', nick_name: 'Bo' });
    expect(back.nickname).to.equal('Bo');
    expect(assignAndRead({ id: 'k', nickname: 'ignored' }).nickname).to.equal(undefined);
  });

  it('untyped attributes take their type from the stored value', () => {
    const cases: Array<[unknown, unknown, unknown]> = [
      ['s', 's', 's'],
      [12, 12, 12],
      [true, true, true],
      [new Uint8Array([9]), new Uint8Array([9]), new Uint8Array([9])],
      [new Set(['a']), new Set(['a']), new Set(['a'])],
      [new Set([1, 2]), new Set([1, 2]), new Set([1, 2])],
      [
        [1, 'a'],
        [1, 'a'],
        [1, 'a'],
      ],
      [{ a: { b: 1 } }, { a: { b: 1 } }, { a: { b: 1 } }],
    ];
    for (const [value, stored, read] of cases) {
      const { item, back } = roundTrip({ untyped: value });
      expect(item.untyped, String(value)).to.deep.equal(stored);
      expect(back.untyped, String(value)).to.deep.equal(read);
    }
  });

  it('an untyped Date or bigint is a ValidationError naming the type option (it would read back as a string or number)', () => {
    expect(() => toItem(schema, build({ untyped: new Date(0) }))).to.throw(
      ValidationError,
      'Kinds.untyped: expected a value whose type dynamorm knows, got a Date. A Date would read back as a string: declare it, e.g. @Attribute({ type: Date }).',
    );
    expect(() => toItem(schema, build({ untyped: 5n }))).to.throw(
      ValidationError,
      'A bigint would read back as a number: declare it, e.g. @Attribute({ type: BigInt }).',
    );
    expect(() => toItem(schema, build({ untyped: 2n ** 70n }))).to.throw(ValidationError, 'got the bigint 1180591620717411303424n');
  });

  it('an untyped value that cannot be stored is a ValidationError', () => {
    expect(() => toItem(schema, build({ untyped: Symbol('s') }))).to.throw(ValidationError, 'Kinds.untyped: a symbol cannot be stored in DynamoDB.');
    expect(() => toItem(schema, build({ untyped: () => 1 }))).to.throw(ValidationError, 'Kinds.untyped: a function cannot be stored in DynamoDB.');
  });

  it('null is stored as null and read back as null, for every kind', () => {
    const nulls = {
      str: null,
      num: null,
      big: null,
      bool: null,
      iso: null,
      epoch: null,
      bin: null,
      strings: null,
      list: null,
      map: null,
      profile: null,
      json: null,
      untyped: null,
    } as unknown as Partial<Kinds>;
    const { item, back } = roundTrip(nulls);
    expect(item).to.deep.equal({ id: 'k', ...nulls });
    for (const property of Object.keys(nulls)) expect((back as unknown as Record<string, unknown>)[property], property).to.equal(null);
  });

  it('undefined is not stored, and a missing attribute is read as undefined', () => {
    expect(toItem(schema, build({ str: undefined, num: undefined }))).to.deep.equal({ id: 'k' });
    const target = Object.assign(new Kinds(), { str: 'old', num: 1 });
    assignFromItem(schema, { id: 'k' }, target);
    expect(target.str).to.equal(undefined);
    expect(target.num).to.equal(undefined);
    expect(target.id).to.equal('k');
  });

  it('an empty string is stored as an empty string', () => {
    expect(toItem(schema, build({ str: '' })).str).to.equal('');
  });

  it('decodes plain (unwrapped) numbers too, as a stubbed connection may return them', () => {
    const target = new Kinds();
    assignFromItem(schema, { id: 'k', num: 4, big: 6, epoch: 10, epochMs: 10, untyped: 3 }, target);
    expect(target.num).to.equal(4);
    expect(target.big).to.equal(6n);
    expect(target.epoch!.getTime()).to.equal(10_000);
    expect(target.epochMs!.getTime()).to.equal(10);
    expect(target.untyped).to.equal(3);
  });
});

function assignAndRead(item: StoredItem): Kinds {
  const target = new Kinds();
  assignFromItem(schema, item, target);
  return target;
}

@Model({ table: 'mic_options' })
class WithOptions extends BaseModel {
  @PartitionKey() id!: string;
  @SortKey({ type: Number }) n!: number;
  @Index('gsi', 'pk') gsiKey?: string;
  @Attribute({ omitEmpty: true }) text?: string;
  @Attribute({ omitEmpty: true, type: Number }) count?: number;
  @Attribute({ omitEmpty: true, type: Boolean }) flag?: boolean;
  @Attribute({ omitEmpty: true, type: Array }) list?: unknown[];
  @Attribute({ omitEmpty: true, type: Object }) map?: Record<string, unknown>;
  @Attribute({ omitEmpty: true }) nothing?: unknown;
  @Attribute({ omitEmpty: true, type: BigInt }) bigCount?: bigint;
  @Attribute({ omitEmpty: true, format: 'epoch' }) at?: Date;
  @Attribute({ type: Number }) plainZero?: number;
  @Version() version?: number;
  @CreatedAt() createdAt?: Date;
  @TTL() expiresAt?: Date;
}

describe('marshal: toItem options and keys', () => {
  const options = resolveModel(WithOptions);
  const base = () => Object.assign(new WithOptions(), { id: 'a', n: 1 });

  it("omitEmpty drops '', 0, false, empty arrays and empty maps", () => {
    const model = Object.assign(base(), { text: '', count: 0, flag: false, list: [], map: {}, nothing: null, plainZero: 0 });
    expect(toItem(options, model)).to.deep.equal({ id: 'a', n: 1, nothing: null, plainZero: 0 });
  });

  it('omitEmpty treats a bigint 0n as 0, and never drops a Date (not even the epoch, stored as 0)', () => {
    expect(toItem(options, Object.assign(base(), { bigCount: 0n, at: new Date(0) }))).to.deep.equal({ id: 'a', n: 1, at: 0 });
    expect(toItem(options, Object.assign(base(), { bigCount: 1n }))).to.deep.equal({ id: 'a', n: 1, bigCount: 1n });
  });

  it('omitEmpty keeps non-empty values', () => {
    const model = Object.assign(base(), { text: 'x', count: 2, flag: true, list: [0], map: { a: 0 } });
    expect(toItem(options, model)).to.deep.equal({ id: 'a', n: 1, text: 'x', count: 2, flag: true, list: [0], map: { a: 0 } });
  });

  it('a table key that is missing, null or empty is a ValidationError', () => {
    for (const id of [undefined, null, '']) {
      const model = Object.assign(new WithOptions(), { id, n: 1 });
      expect(() => toItem(options, model), String(id)).to.throw(ValidationError, 'WithOptions.id is a table key and is');
    }
    expect(() => toItem(options, Object.assign(new WithOptions(), { id: 'a' }))).to.throw(
      ValidationError,
      'WithOptions.n is a table key and is missing; every item needs a value for it.',
    );
  });

  it('an index key that is null, empty or undefined is not written (sparse index)', () => {
    for (const gsiKey of [undefined, null, '']) {
      expect(toItem(options, Object.assign(base(), { gsiKey })), String(gsiKey)).to.deep.equal({ id: 'a', n: 1 });
    }
    expect(toItem(options, Object.assign(base(), { gsiKey: 'g' }))).to.deep.equal({ id: 'a', n: 1, gsiKey: 'g' });
  });

  it('a key of the wrong type is a ValidationError naming the type option', () => {
    expect(() => toItem(options, Object.assign(base(), { id: 5 }))).to.throw(
      ValidationError,
      'WithOptions.id: expected a string, got number 5. If this key is not a string, declare it: { type: Number } (or BigInt, Date, Uint8Array).',
    );
    expect(() => toItem(options, Object.assign(base(), { n: '1' }))).to.throw(
      ValidationError,
      `WithOptions.n: expected a number, got the string "1". Assign the declared type, or declare another with the 'type' option`,
    );
  });

  it('managed attributes are strict about their types', () => {
    expect(() => toItem(options, Object.assign(base(), { version: 'x' }))).to.throw(ValidationError, 'WithOptions.version: expected a number');
    expect(() => toItem(options, Object.assign(base(), { createdAt: '2020-01-01' }))).to.throw(ValidationError, 'WithOptions.createdAt: expected a Date');
  });

  it('@TTL is stored as epoch seconds', () => {
    const item = toItem(options, Object.assign(base(), { expiresAt: new Date(1_234_567_890_500) }));
    expect(item.expiresAt).to.equal(1_234_567_890);
  });
});

@Model({ table: 'mic_odd_names' })
class OddNames extends BaseModel {
  @PartitionKey({ name: 'pk"\\\n\u2028' }) 'i"d\\'!: string;
  @Attribute({ name: "it's" }) 'constructor2'?: string;
  @Attribute({ type: Number, name: '0' }) zero?: number;
  @Attribute({ type: Date, name: '__proto__x' }) when?: Date;
}

describe('marshal: assignFromItem, one reader per model', () => {
  const loop = (s: typeof schema, item: StoredItem) => {
    const out: Record<string, unknown> = {};
    const issues = loopReaderForSpecs(s)(item, out);
    return { out, issues };
  };
  const generated = (s: typeof schema, item: StoredItem) => {
    const out: Record<string, unknown> = {};
    const issues = assignFromItem(s, item, out);
    return { out, issues };
  };

  it('reads what the loop over the attributes reads, issues included', () => {
    const items: StoredItem[] = [
      asRead(
        toItem(
          schema,
          build({
            str: 's',
            num: 1.5,
            big: 2n ** 70n,
            bool: true,
            iso: new Date(5),
            epoch: new Date(7000),
            epochMs: new Date(9),
            bin: new Uint8Array([1]),
            strings: new Set(['a']),
            numbers: new Set([1, 2]),
            list: [1, 'x'],
            map: { a: 1 },
            json: { j: [1] },
            nickname: 'n',
            untyped: 'u',
          }),
        ),
      ) as StoredItem,
      { id: 'k' },
      { id: 'k', str: null, num: null, iso: null },
      // Wrong types: each property undefined and reported, the others read.
      {
        id: 7,
        str: 1,
        num: 'x',
        big: new NumberValue('1.5'),
        bool: 'no',
        iso: 'not a date',
        epoch: true,
        bin: 'b',
        strings: ['a'],
        list: 'l',
        map: 3,
        json: '{',
        nick_name: 5,
      },
      { id: 'k', num: new NumberValue('9007199254740993'), iso: '2024-02-30T00:00:00.000Z' },
    ];
    for (const item of items) {
      const a = generated(schema, item);
      const b = loop(schema, item);
      expect(a.out, JSON.stringify(Object.keys(item))).to.deep.equal(b.out);
      expect(a.issues).to.deep.equal(b.issues);
    }
    expect(generated(schema, items[3]).issues!.map((issue) => issue.property)).to.include.members([
      'id',
      'str',
      'num',
      'big',
      'bool',
      'iso',
      'epoch',
      'bin',
      'strings',
      'list',
      'map',
      'json',
    ]);
  });

  it('takes any property or attribute name as plain text', () => {
    const odd = resolveModel(OddNames);
    const item: StoredItem = { 'pk"\\\n\u2028': 'key', "it's": 'v', '0': new NumberValue('3'), __proto__x: '2026-01-05T09:00:00.000Z' };
    const a = generated(odd, item);
    expect(a.out).to.deep.equal(loop(odd, item).out);
    expect(a.out).to.deep.equal({ 'i"d\\': 'key', constructor2: 'v', zero: 3, when: new Date('2026-01-05T09:00:00.000Z') });
    expect(a.issues).to.equal(undefined);
  });
});

// DESIGN §11 "Reading stored data": number text DynamoDB could not have stored (from a stream
// image, fromItem, or a stubbed read) is undecodable like any other bad value, at the top of a
// property or anywhere inside it, and both readers say so alike.
describe('marshal: assignFromItem, number text DynamoDB could not have stored', () => {
  const BAD = ['abc', '', '1e400', '1e-400', '1'.repeat(39), ' 7', '0x10', 'NaN'];
  const wrapped = (text: string) => NumberValue.from(text);
  const because = (text: string) =>
    `stored with the number text ${JSON.stringify(text)} (N), which is not a number DynamoDB stores (decimal, at most 38 significant digits, 0 or 1E-130 to 1E+126 in magnitude)`;
  const readers = {
    generated: (s: typeof schema, item: StoredItem) => {
      const out: Record<string, unknown> = {};
      return { out, issues: assignFromItem(s, item, out) };
    },
    loop: (s: typeof schema, item: StoredItem) => {
      const out: Record<string, unknown> = {};
      return { out, issues: loopReaderForSpecs(s)(item, out) };
    },
  };

  for (const [name, read] of Object.entries(readers)) {
    it(`${name} reader: number, bigint, epoch Dates, sets, lists, maps, nested classes and untyped values are left undefined and reported; the rest is read`, () => {
      for (const text of BAD) {
        const item: StoredItem = {
          id: 'k',
          str: 's',
          bool: false,
          num: wrapped(text),
          big: wrapped(text),
          epoch: wrapped(text),
          epochMs: wrapped(text),
          numbers: new Set([wrapped('1'), wrapped(text)]),
          list: ['x', [wrapped('2'), wrapped(text)]],
          map: { a: { b: wrapped(text) } },
          profile: { bio: 'b', address: { street: 's', zip: wrapped(text) } },
          untyped: wrapped(text),
        };
        const { out, issues } = read(schema, item);
        const bad = ['num', 'big', 'epoch', 'epochMs', 'numbers', 'list', 'map', 'profile', 'untyped'];
        expect(out, JSON.stringify(text)).to.include({ id: 'k', str: 's', bool: false });
        for (const property of bad) expect(out[property], `${property} of ${JSON.stringify(text)}`).to.equal(undefined);
        expect(issues, JSON.stringify(text)).to.deep.equal(
          bad.map((property) => ({ property, attribute: property, raw: item[property], message: `Kinds.${property} is ${because(text)}` })),
        );
      }
    });
  }

  it('valid text that Number() reads as such is still read (no false alarms at the edges)', () => {
    const { out, issues } = readers.generated(schema, {
      id: 'k',
      num: wrapped('-1E-130'),
      big: wrapped('-99999999999999999999999999999999999999'),
      epoch: wrapped('0'),
      numbers: new Set([wrapped('0.5'), wrapped('123456789012345678901234567890')]),
      list: [wrapped('1E+125')],
      untyped: wrapped('-0.000'),
    });
    expect(issues).to.equal(undefined);
    expect(out).to.deep.include({ num: -1e-130, big: -99999999999999999999999999999999999999n, epoch: new Date(0), list: [1e125], untyped: -0 });
    expect(out.numbers).to.deep.equal(new Set([0.5, 123456789012345678901234567890n]));
  });

  it('plain numbers (a stub, or the item dynamorm just wrote) are held to the same rule', () => {
    const { out, issues } = readers.generated(schema, { id: 'k', num: NaN, big: Infinity, epoch: -Infinity, str: 'x' });
    expect(out).to.include({ num: undefined, big: undefined, epoch: undefined, str: 'x' });
    expect(issues!.map((issue) => issue.message)).to.deep.equal([
      `Kinds.num is ${because('NaN')}`,
      `Kinds.big is ${because('Infinity')}`,
      `Kinds.epoch is ${because('-Infinity')}`,
    ]);
  });

  it('a number key, @Version and @TTL with malformed text are reported like any property', () => {
    const options = resolveModel(WithOptions);
    for (const [name, read] of Object.entries(readers)) {
      const item: StoredItem = { id: 'a', n: wrapped(''), version: wrapped('abc'), expiresAt: wrapped('1e-400'), count: wrapped('3') };
      const { out, issues } = read(options, item);
      expect(out, name).to.include({ id: 'a', n: undefined, version: undefined, expiresAt: undefined, count: 3 });
      expect(issues, name).to.deep.equal([
        { property: 'n', attribute: 'n', raw: item.n, message: `WithOptions.n is ${because('')}` },
        { property: 'version', attribute: 'version', raw: item.version, message: `WithOptions.version is ${because('abc')}` },
        { property: 'expiresAt', attribute: 'expiresAt', raw: item.expiresAt, message: `WithOptions.expiresAt is ${because('1e-400')}` },
      ]);
    }
  });
});
