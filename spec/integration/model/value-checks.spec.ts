import { expect } from 'chai';
import { Attribute, BaseModel, ensureTable, getConnection, Index, Model, PartitionKey, SortKey, TTL, ValidationError } from '../../../lib';

// Every bad value is refused with a ValidationError before any request, and nothing is written.
@Model({ table: 'checks_things' })
class Thing extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Date }) at?: Date;
  @Attribute({ type: Number }) count?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ type: Boolean }) flag?: boolean;
  @Attribute({ type: String }) label?: string;
  @Attribute({ type: Array }) list?: unknown[];
  @Attribute({ type: Object }) map?: Record<string, unknown>;
  @Attribute() anything?: unknown;
  @Index('gsi-code', 'pk') code?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'checks_ranged' })
class Ranged extends BaseModel {
  @PartitionKey() owner!: string;
  @SortKey() name!: string;
}

@Model({ table: 'checks_projects' })
class Project extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}#PROJECT#{projectId}' }) pk!: string;
  @Attribute() orgId!: string;
  @Attribute() projectId!: string;
}

async function stored(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(table), Key: key, ConsistentRead: true })).Item;
}

async function refused(write: () => Promise<unknown>, message: string | RegExp): Promise<ValidationError> {
  const error = await write().catch((e: unknown) => e);
  expect(error, String(message)).to.be.instanceOf(ValidationError);
  if (typeof message === 'string') expect((error as Error).message).to.include(message);
  else expect((error as Error).message).to.match(message);
  return error as ValidationError;
}

let seq = 0;
const nextId = () => `chk-${++seq}`;

describe('values refused before any request (local DynamoDB)', () => {
  before(async () => {
    await Promise.all([ensureTable(Thing), ensureTable(Ranged), ensureTable(Project)]);
  });

  it('a value of the wrong JavaScript type, on every attribute (not only keys)', async () => {
    const cases: Array<[Partial<Record<keyof Thing, unknown>>, string]> = [
      [{ at: 'not a date' }, 'Thing.at: expected a Date, got the string "not a date"'],
      [
        { count: 2n ** 60n },
        'Thing.count: expected a number, got the bigint 1152921504606846976n. A bigint would read back rounded as a number: declare the property { type: BigInt }.',
      ],
      [{ big: 5 }, 'Thing.big: expected a bigint, got number 5'],
      [{ flag: 'yes' }, 'Thing.flag: expected a boolean, got the string "yes"'],
      [{ label: 5 }, 'Thing.label: expected a string, got number 5'],
      [{ list: 'abc' }, 'Thing.list: expected an array'],
      [{ map: [1] }, 'Thing.map: expected an object, got an array'],
      [{ expiresAt: '2030-01-01' }, 'Thing.expiresAt: expected a Date, got the string "2030-01-01"'],
      [
        { anything: new Date() },
        'Thing.anything: expected a value whose type dynamorm knows, got a Date. A Date would read back as a string: declare it, e.g. @Attribute({ type: Date }).',
      ],
      [{ anything: 3n }, 'A bigint would read back as a number: declare it, e.g. @Attribute({ type: BigInt }).'],
    ];
    for (const [attrs, message] of cases) {
      const id = nextId();
      await refused(() => Thing.create({ id, ...attrs } as never), message);
      expect(await stored('checks_things', { id }), message).to.equal(undefined);
    }
  });

  it('the same check on save() of a loaded item', async () => {
    const thing = await Thing.create({ id: nextId(), count: 1 });
    (thing as unknown as { at: unknown }).at = 'not a date';
    await refused(() => thing.save(), 'Thing.at: expected a Date');
    expect((await stored('checks_things', { id: thing.id }))!.at).to.equal(undefined);
  });

  it('a circular object', async () => {
    const map: Record<string, unknown> = { a: 1 };
    map.self = map;
    const list: unknown[] = [1];
    list.push({ back: list });
    const id = nextId();
    await refused(() => Thing.create({ id, map }), 'Thing.map.self: the value refers to itself (a circular structure), which DynamoDB cannot store.');
    await refused(() => Thing.create({ id, list }), 'Thing.list[1].back: the value refers to itself');
    await refused(() => Thing.create({ id, anything: map }), 'Thing.anything.self: the value refers to itself');
    expect(await stored('checks_things', { id })).to.equal(undefined);
  });

  it('the same object twice (no cycle) is fine', async () => {
    const shared = { n: 1 };
    const thing = await Thing.create({ id: nextId(), map: { a: shared, b: shared } });
    expect((await Thing.find(thing.id)).map).to.deep.equal({ a: { n: 1 }, b: { n: 1 } });
  });

  it("lists and maps nested deeper than DynamoDB's 32 levels", async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 33; i++) deep = { d: deep };
    const id = nextId();
    await refused(() => Thing.create({ id, map: deep as Record<string, unknown> }), 'nested more than 32 levels deep');
  });

  it("key values over DynamoDB's limits: 2048 bytes partition, 1024 sort, index keys too, counted in UTF-8", async () => {
    await refused(
      () => Thing.create({ id: 'x'.repeat(2049) }),
      "Thing.id: the key value is 2049 bytes, over DynamoDB's limit of 2048 bytes for a partition key",
    );
    await Thing.create({ id: 'p'.repeat(2048) });
    await refused(() => Thing.create({ id: 'é'.repeat(1025) }), 'the key value is 2050 bytes');
    await refused(
      () => Ranged.create({ owner: 'o', name: 'n'.repeat(1025) }),
      "Ranged.name: the key value is 1025 bytes, over DynamoDB's limit of 1024 bytes for a sort key",
    );
    await Ranged.create({ owner: 'o', name: 'n'.repeat(1024) });
    const id = nextId();
    await refused(() => Thing.create({ id, code: 'c'.repeat(2049) }), 'Thing.code: the key value is 2049 bytes');
    expect(await stored('checks_things', { id })).to.equal(undefined);
    await refused(() => Thing.find('x'.repeat(2049)), 'Thing.id: the key value is 2049 bytes');
  });

  it('undefined inside a list is stored as NULL, so later elements keep their positions', async () => {
    const thing = await Thing.create({ id: nextId(), list: [1, undefined, 3], anything: ['a', undefined, 'c'] });
    const raw = await stored('checks_things', { id: thing.id });
    expect((raw!.list as unknown[]).length).to.equal(3);
    expect(raw!.anything).to.deep.equal(['a', null, 'c']);
    const found = await Thing.find(thing.id);
    expect(found.list).to.deep.equal([1, null, 3]);
    expect(found.anything).to.deep.equal(['a', null, 'c']);
  });
});

describe('error messages say what is wrong (local DynamoDB)', () => {
  it('a number past DynamoDB\'s range says so, not "use a bigint"', async () => {
    const error = await refused(
      () => Thing.create({ id: nextId(), count: 1e130 }),
      'Thing.count: 1e+130 is outside the range DynamoDB stores (1E-130 to 1E+126).',
    );
    expect(error.message).not.to.include('bigint');
  });

  it('an item over 400 KB names the model and the key', async () => {
    const id = nextId();
    await refused(() => Thing.create({ id, label: 'x'.repeat(410_000) }), `Thing (id="${id}"): the item is`);
  });

  it('an empty template component is named, on writes and in keys', async () => {
    await refused(
      () => Project.create({ orgId: '', projectId: 'p' }),
      "Project.pk is a table key built from 'ORG#{orgId}#PROJECT#{projectId}', and its component 'orgId' is an empty string",
    );
    await refused(() => Project.create({ orgId: 'o' }), "its component 'projectId' is missing");
    await refused(() => Project.find({ orgId: 'o', projectId: '' }), "Project: the key has an empty 'projectId'");
  });
});
