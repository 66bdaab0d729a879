import 'reflect-metadata';
import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Address, Profile } from '../../support/fixtures/nested-classes';
import { Attribute, BaseModel, ensureTable, getConnection, Model, PartitionKey, ValidationError } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';

// DESIGN §1: every type round-trips exactly through create + find against the local
// server, stored as DynamoDB's own types. The suite runs under tsx (esbuild), which emits no
// design:type metadata: the models below rely on the `type` option or on the stored value.

let counter = 0;

@Model({ table: 'rt_types' })
class Typed extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() str?: string | null;
  @Attribute({ type: Number }) num?: number | null;
  @Attribute({ type: BigInt }) big?: bigint | null;
  @Attribute({ type: Boolean }) bool?: boolean | null;
  @Attribute({ type: Date }) iso?: Date | null;
  @Attribute({ format: 'epoch' }) epoch?: Date | null;
  @Attribute({ format: 'epoch_ms' }) epochMs?: Date | null;
  @Attribute({ type: Uint8Array }) bin?: Uint8Array | null;
  @Attribute({ type: Buffer }) buf?: Buffer | null;
  @Attribute({ set: true }) strings?: Set<string> | null;
  @Attribute({ set: true }) numbers?: Set<number | bigint> | null;
  @Attribute({ type: Array }) list?: unknown[] | null;
  @Attribute({ type: Object }) map?: Record<string, unknown> | null;
  @Attribute({ type: Profile }) profile?: Profile | null;
  @Attribute({ json: true }) json?: unknown;
  @Attribute({ json: true, type: Profile }) jsonProfile?: Profile | null;
  @Attribute({ name: 'nick_name' }) nickname?: string | null;
  @Attribute({ omitEmpty: true }) emptyText?: string;
  @Attribute({ omitEmpty: true, type: Number }) emptyNumber?: number;
  @Attribute({ omitEmpty: true, type: Boolean }) emptyFlag?: boolean;
  @Attribute({ omitEmpty: true, type: Array }) emptyList?: unknown[];
  @Attribute({ omitEmpty: true, type: Object }) emptyMap?: Record<string, unknown>;
  @Attribute({ default: 'draft' }) status?: string | null;
  @Attribute({ default: () => `gen-${++counter}` }) generated?: string;
  @Attribute({ default: { theme: 'dark', tabs: [1] }, type: Object }) settings?: Record<string, unknown>;
}

// Not a single `type` option: everything comes from the stored value on read.
@Model({ table: 'rt_untyped' })
class Untyped extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() str?: unknown;
  @Attribute() num?: unknown;
  @Attribute() big?: unknown;
  @Attribute() small?: unknown;
  @Attribute() bool?: unknown;
  @Attribute() bin?: unknown;
  @Attribute() strings?: unknown;
  @Attribute() numbers?: unknown;
  @Attribute() list?: unknown;
  @Attribute() map?: unknown;
  @Attribute() nothing?: unknown;
  @Attribute() when?: unknown;
}

async function rawItem(table: string, id: string): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: { id }, ConsistentRead: true }))?.Item;
}

/** The text of a number as stored (reads use wrapNumbers). */
function storedNumber(value: unknown): string {
  expect(value).to.be.instanceOf(NumberValue);
  return (value as NumberValue).value;
}

async function roundTrip(attrs: Partial<Typed>): Promise<{ found: Typed; raw: Record<string, unknown> }> {
  const id = `rt-${++counter}`;
  const created = await Typed.create({ id, ...attrs });
  expect(created.changedAttributes(), 'after create').to.deep.equal([]);
  const found = await Typed.find(id);
  expect(found.changedAttributes(), 'after find').to.deep.equal([]);
  const raw = await rawItem('rt_types', id);
  if (!raw) return expect.fail(`no raw item ${id}`);
  return { found, raw };
}

describe('round trip of every type (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Typed);
    await ensureTable(Untyped);
  });

  it('runs without design:type metadata (tsx / esbuild)', () => {
    expect(Reflect.getMetadata('design:type', Typed.prototype, 'num')).to.equal(undefined);
    expect(Reflect.getMetadata('design:type', Untyped.prototype, 'str')).to.equal(undefined);
    expect(
      resolveModel(Untyped)
        .attributes.filter((a) => a.kind !== 'unknown')
        .map((a) => a.property),
    ).to.deep.equal(['id']);
  });

  it('string (S)', async () => {
    const { found, raw } = await roundTrip({ str: 'héllo wörld #1 😀' });
    expect(found.str).to.equal('héllo wörld #1 😀');
    expect(raw.str).to.equal('héllo wörld #1 😀');
  });

  it('an empty string is stored as an empty string', async () => {
    const { found, raw } = await roundTrip({ str: '' });
    expect(raw.str).to.equal('');
    expect(found.str).to.equal('');
  });

  it('number (N)', async () => {
    for (const num of [0, -17, 3.25, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e-100, 1.5e100 / 1e90]) {
      const { found, raw } = await roundTrip({ num });
      expect(found.num, String(num)).to.equal(num);
      expect(Number(storedNumber(raw.num))).to.equal(num);
    }
  });

  it('bigint beyond 2^53 (N, exact)', async () => {
    for (const big of [2n ** 70n, -(2n ** 64n) - 1n, 12345678901234567890123456789012345678n, 5n]) {
      const { found, raw } = await roundTrip({ big });
      expect(found.big).to.equal(big);
      expect(storedNumber(raw.big)).to.equal(big.toString());
    }
  });

  it('boolean (BOOL), false included', async () => {
    for (const bool of [true, false]) {
      const { found, raw } = await roundTrip({ bool });
      expect(found.bool).to.equal(bool);
      expect(raw.bool).to.equal(bool);
    }
  });

  it('Date as an ISO-8601 string (S)', async () => {
    const iso = new Date('2024-02-29T23:59:59.123Z');
    const { found, raw } = await roundTrip({ iso });
    expect(raw.iso).to.equal('2024-02-29T23:59:59.123Z');
    expect(found.iso).to.be.instanceOf(Date);
    expect(found.iso!.getTime()).to.equal(iso.getTime());
  });

  it("Date { format: 'epoch' } as epoch seconds (N), floor(ms / 1000)", async () => {
    const whole = new Date('2023-11-14T22:13:20.000Z');
    const exact = await roundTrip({ epoch: whole });
    expect(storedNumber(exact.raw.epoch)).to.equal(String(whole.getTime() / 1000));
    expect(exact.found.epoch).to.be.instanceOf(Date);
    expect(exact.found.epoch!.getTime()).to.equal(whole.getTime());

    const fraction = new Date(1_700_000_000_999);
    const floored = await roundTrip({ epoch: fraction });
    expect(storedNumber(floored.raw.epoch)).to.equal('1700000000');
    expect(floored.found.epoch!.getTime()).to.equal(1_700_000_000_000);
  });

  it("Date { format: 'epoch_ms' } as epoch milliseconds (N)", async () => {
    const epochMs = new Date(1_700_000_000_999);
    const { found, raw } = await roundTrip({ epochMs });
    expect(storedNumber(raw.epochMs)).to.equal('1700000000999');
    expect(found.epochMs).to.be.instanceOf(Date);
    expect(found.epochMs!.getTime()).to.equal(1_700_000_000_999);
  });

  it('Uint8Array (B)', async () => {
    const bin = new Uint8Array([0, 1, 127, 128, 255]);
    const { found, raw } = await roundTrip({ bin });
    expect(raw.bin).to.be.instanceOf(Uint8Array);
    expect([...(raw.bin as Uint8Array)]).to.deep.equal([0, 1, 127, 128, 255]);
    expect(found.bin).to.be.instanceOf(Uint8Array);
    expect(Buffer.isBuffer(found.bin)).to.equal(false);
    expect([...found.bin!]).to.deep.equal([0, 1, 127, 128, 255]);
  });

  it('Buffer (B) reads back as a Buffer', async () => {
    const buf = Buffer.from('bytes \u00ff\u0000', 'latin1');
    const { found, raw } = await roundTrip({ buf });
    expect(raw.buf).to.be.instanceOf(Uint8Array);
    expect(Buffer.isBuffer(found.buf)).to.equal(true);
    expect(found.buf!.equals(buf)).to.equal(true);
  });

  it('Set<string> (SS)', async () => {
    const { found, raw } = await roundTrip({ strings: new Set(['b', 'a', 'c']) });
    expect(raw.strings).to.be.instanceOf(Set);
    expect([...(raw.strings as Set<string>)].sort()).to.deep.equal(['a', 'b', 'c']);
    expect(found.strings).to.be.instanceOf(Set);
    expect([...found.strings!].sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('Set<number> (NS), bigints beyond 2^53 included', async () => {
    const { found, raw } = await roundTrip({ numbers: new Set([1, 2.5, -3, 2n ** 70n]) });
    expect([...(raw.numbers as Set<unknown>)].map(storedNumber).sort()).to.deep.equal(['-3', '1', '1180591620717411303424', '2.5']);
    expect(found.numbers).to.deep.equal(new Set([1, 2.5, -3, 2n ** 70n]));
  });

  it('an empty Set removes the attribute (not in the raw item), and reads back undefined', async () => {
    const { found, raw } = await roundTrip({ strings: new Set(), numbers: new Set() });
    expect(raw).not.to.have.property('strings');
    expect(raw).not.to.have.property('numbers');
    expect(found.strings).to.equal(undefined);
    expect(found.numbers).to.equal(undefined);
  });

  it('arrays (L) with nested values', async () => {
    const list = ['a', 1, 2.5, true, false, null, [2, ['deep']], { x: 'y', n: 3 }, 2n ** 60n, new Uint8Array([7])];
    const { found, raw } = await roundTrip({ list });
    expect(raw.list).to.be.an('array').with.lengthOf(10);
    expect(found.list).to.deep.equal(['a', 1, 2.5, true, false, null, [2, ['deep']], { x: 'y', n: 3 }, 2n ** 60n, new Uint8Array([7])]);
  });

  it('plain objects (M) with nested values', async () => {
    const map = { s: 'x', n: -1.5, b: false, z: null, l: [1, 'two'], m: { deep: { deeper: 'yes' } }, set: new Set(['q']) };
    const { found, raw } = await roundTrip({ map });
    expect(raw.map).to.be.an('object');
    expect(found.map).to.deep.equal(map);
  });

  it('a nested class (M) is restored with class-transformer @Type', async () => {
    const profile = Object.assign(new Profile(), {
      bio: 'hello',
      address: Object.assign(new Address(), { street: 'Main St', zip: 12345 }),
      since: new Date('2020-05-06T07:08:09.010Z'),
    });
    const { found, raw } = await roundTrip({ profile });
    expect(raw.profile).to.deep.include({ bio: 'hello', since: '2020-05-06T07:08:09.010Z' });
    expect(found.profile).to.be.instanceOf(Profile);
    expect(found.profile!.bio).to.equal('hello');
    expect(found.profile!.address).to.be.instanceOf(Address);
    expect(found.profile!.address.label).to.equal('Main St 12345');
    expect(found.profile!.since).to.be.instanceOf(Date);
    expect(found.profile!.since.getTime()).to.equal(profile.since.getTime());
  });

  it('{ json: true } is stored as a JSON string (S)', async () => {
    const json = { a: [1, 'two', null], b: { c: true } };
    const { found, raw } = await roundTrip({ json });
    expect(raw.json).to.equal('{"a":[1,"two",null],"b":{"c":true}}');
    expect(found.json).to.deep.equal(json);
  });

  it('{ json: true, type: SomeClass } restores the class', async () => {
    const jsonProfile = Object.assign(new Profile(), {
      bio: 'j',
      address: Object.assign(new Address(), { street: 'Elm', zip: 1 }),
      since: new Date('2001-01-01T00:00:00.000Z'),
    });
    const { found, raw } = await roundTrip({ jsonProfile });
    expect(raw.jsonProfile).to.equal('{"bio":"j","address":{"street":"Elm","zip":1},"since":"2001-01-01T00:00:00.000Z"}');
    expect(found.jsonProfile).to.be.instanceOf(Profile);
    expect(found.jsonProfile!.address.label).to.equal('Elm 1');
    expect(found.jsonProfile!.since.getTime()).to.equal(jsonProfile.since.getTime());
  });

  it("{ name: 'nick_name' } is stored under that attribute name", async () => {
    const { found, raw } = await roundTrip({ nickname: 'Bo' });
    expect(raw.nick_name).to.equal('Bo');
    expect(raw).not.to.have.property('nickname');
    expect(found.nickname).to.equal('Bo');
  });

  it('null is stored as NULL and read back as null', async () => {
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
      nickname: null,
    };
    const { found, raw } = await roundTrip(nulls);
    for (const property of Object.keys(nulls)) {
      const attribute = property === 'nickname' ? 'nick_name' : property;
      expect(raw, attribute).to.have.property(attribute, null);
      expect((found as unknown as Record<string, unknown>)[property], property).to.equal(null);
    }
  });

  it('undefined is not stored', async () => {
    const { found, raw } = await roundTrip({ str: undefined, num: undefined, profile: undefined });
    expect(raw).not.to.have.property('str');
    expect(raw).not.to.have.property('num');
    expect(raw).not.to.have.property('profile');
    expect(found.str).to.equal(undefined);
    expect(found.num).to.equal(undefined);
  });

  it("omitEmpty drops '', 0, false, [] and {}", async () => {
    const { found, raw } = await roundTrip({ emptyText: '', emptyNumber: 0, emptyFlag: false, emptyList: [], emptyMap: {} });
    for (const property of ['emptyText', 'emptyNumber', 'emptyFlag', 'emptyList', 'emptyMap']) {
      expect(raw, property).not.to.have.property(property);
      expect((found as unknown as Record<string, unknown>)[property], property).to.equal(undefined);
    }
  });

  it('omitEmpty keeps values that are not empty', async () => {
    const { found } = await roundTrip({ emptyText: 't', emptyNumber: 1, emptyFlag: true, emptyList: [0], emptyMap: { k: '' } });
    expect([found.emptyText, found.emptyNumber, found.emptyFlag, found.emptyList, found.emptyMap]).to.deep.equal(['t', 1, true, [0], { k: '' }]);
  });

  it('default: a value, a function called per item, an object copied per item', async () => {
    const first = await roundTrip({});
    const second = await roundTrip({});
    expect(first.raw.status).to.equal('draft');
    expect(first.found.status).to.equal('draft');
    expect(first.raw.generated).to.match(/^gen-\d+$/);
    expect(second.raw.generated).to.match(/^gen-\d+$/);
    expect(first.raw.generated).not.to.equal(second.raw.generated);
    expect(first.found.settings).to.deep.equal({ theme: 'dark', tabs: [1] });
    const built = Typed.build({ id: 'not-saved' });
    (built.settings!.tabs as number[]).push(2);
    expect(Typed.build({ id: 'not-saved-2' }).settings).to.deep.equal({ theme: 'dark', tabs: [1] });
  });

  it('default: a given value wins, null included', async () => {
    const { found, raw } = await roundTrip({ status: 'live', generated: 'mine' });
    expect([found.status, found.generated]).to.deep.equal(['live', 'mine']);
    expect(raw.status).to.equal('live');
    const withNull = await roundTrip({ status: null });
    expect(withNull.raw.status).to.equal(null);
    expect(withNull.found.status).to.equal(null);
  });

  it('everything at once', async () => {
    const attrs: Partial<Typed> = {
      str: 's',
      num: 42,
      big: 2n ** 70n,
      bool: false,
      iso: new Date('2022-02-02T02:02:02.202Z'),
      epoch: new Date('2022-02-02T02:02:02.000Z'),
      epochMs: new Date(1_643_767_322_202),
      bin: new Uint8Array([1]),
      buf: Buffer.from('b'),
      strings: new Set(['x']),
      numbers: new Set([9]),
      list: [1],
      map: { a: 1 },
      json: [1],
      nickname: 'n',
      status: 'ok',
      generated: 'g',
      settings: { s: 1 },
    };
    const { found } = await roundTrip(attrs);
    for (const [property, value] of Object.entries(attrs)) {
      expect((found as unknown as Record<string, unknown>)[property], property).to.deep.equal(value);
    }
  });

  it('every type round-trips through save() of a loaded item too', async () => {
    const { found } = await roundTrip({
      str: 'a',
      num: 1,
      big: 1n,
      bool: true,
      strings: new Set(['a']),
      numbers: new Set([1]),
      list: [1],
      map: { a: 1 },
      nickname: 'x',
    });
    const changes: Partial<Typed> = {
      str: 'b',
      num: -2.5,
      big: 2n ** 70n,
      bool: false,
      iso: new Date('2030-01-01T00:00:00.001Z'),
      epoch: new Date('2030-01-01T00:00:01.000Z'),
      epochMs: new Date(1_900_000_000_123),
      bin: new Uint8Array([9, 8]),
      buf: Buffer.from('zz'),
      strings: new Set(['b', 'c']),
      numbers: new Set([3, 2n ** 64n]),
      list: ['l', { m: 1 }],
      map: { b: [2] },
      json: { j: 1 },
      nickname: null,
      profile: Object.assign(new Profile(), { bio: 'p', address: Object.assign(new Address(), { street: 'S', zip: 2 }), since: new Date(0) }),
    };
    Object.assign(found, changes);
    expect(found.changedAttributes().sort()).to.deep.equal(Object.keys(changes).sort());
    await found.save();
    expect(found.changedAttributes()).to.deep.equal([]);
    const again = await Typed.find(found.id);
    expect(again.changedAttributes()).to.deep.equal([]);
    for (const [property, value] of Object.entries(changes)) {
      expect((again as unknown as Record<string, unknown>)[property], property).to.deep.equal(value);
    }
    const raw = await rawItem('rt_types', found.id);
    expect(raw).to.have.property('nick_name', null);
    expect(storedNumber(raw!.epoch)).to.equal('1893456001');
  });

  it('emptying a set or setting undefined on a loaded item removes the attribute', async () => {
    const { found } = await roundTrip({ strings: new Set(['a']), str: 's' });
    found.strings = new Set();
    found.str = undefined;
    await found.save();
    const raw = await rawItem('rt_types', found.id);
    expect(raw).not.to.have.property('strings');
    expect(raw).not.to.have.property('str');
    expect((await Typed.find(found.id)).strings).to.equal(undefined);
  });

  it('a set edited in place is saved', async () => {
    const { found } = await roundTrip({ strings: new Set(['a']), numbers: new Set([1, 2n ** 70n]) });
    found.strings!.add('b');
    found.numbers!.delete(1);
    expect(found.changedAttributes().sort()).to.deep.equal(['numbers', 'strings']);
    await found.save();
    const again = await Typed.find(found.id);
    expect(again.strings).to.deep.equal(new Set(['a', 'b']));
    expect(again.numbers).to.deep.equal(new Set([2n ** 70n]));
  });

  it('a model with no type options and no metadata: types come from the stored value', async () => {
    const bin = new Uint8Array([1, 2, 3]);
    await Untyped.create({
      id: 'u-1',
      str: 'text',
      num: 3.5,
      bool: true,
      bin,
      strings: new Set(['a']),
      numbers: new Set([1, 2]),
      list: ['x', 2],
      map: { k: { n: 1 } },
      nothing: null,
    });
    const found = await Untyped.find('u-1');
    expect(found.str).to.equal('text');
    expect(found.num).to.equal(3.5);
    expect(found.bool).to.equal(true);
    expect(found.bin).to.deep.equal(bin);
    expect(found.strings).to.deep.equal(new Set(['a']));
    expect(found.numbers).to.deep.equal(new Set([1, 2]));
    expect(found.list).to.deep.equal(['x', 2]);
    expect(found.map).to.deep.equal({ k: { n: 1 } });
    expect(found.nothing).to.equal(null);
    expect(found.changedAttributes()).to.deep.equal([]);
  });

  it('a Date or bigint in an attribute of unknown type is refused, since it would not read back as itself', async () => {
    for (const [property, value, fix] of [
      ['when', new Date('2021-01-01T00:00:00.000Z'), '@Attribute({ type: Date })'],
      ['small', 7n, '@Attribute({ type: BigInt })'],
      ['big', 2n ** 70n, '@Attribute({ type: BigInt })'],
    ] as const) {
      const error = await Untyped.create({ id: `u-refused-${property}`, [property]: value }).catch((e: unknown) => e);
      expect(error, property).to.be.instanceOf(ValidationError);
      expect((error as Error).message)
        .to.include(`Untyped.${property}: expected a value whose type dynamorm knows`)
        .and.include(fix);
      expect(await rawItem('rt_untyped', `u-refused-${property}`), property).to.equal(undefined);
    }
  });

  it('keys of a model without metadata are strings (S) in the table definition', async () => {
    const conn = getConnection();
    const described = await conn.describeTable({ TableName: conn.tableName('rt_untyped') });
    expect(described.Table!.AttributeDefinitions).to.deep.equal([{ AttributeName: 'id', AttributeType: 'S' }]);
  });
});
