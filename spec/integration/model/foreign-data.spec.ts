import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Min } from 'class-validator';
import {
  Attribute,
  BaseModel,
  Connection,
  ensureTable,
  getConnection,
  Model,
  PartitionKey,
  ValidationError,
  Version,
  type RequestLogRecord,
} from '../../../lib';
import { localEndpoint, testCredentials } from '../../support/root-hooks';

// Items written by another service: values dynamorm would never write, or cannot read as declared.
@Model({ table: 'foreign_events' })
class Event extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Date }) at?: Date;
  @Attribute({ type: Number }) count?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ json: true }) payload?: { a: number };
  @Attribute({ type: String }) label?: string;
  @Attribute() note?: string;
  @Version() version!: number;
}

// The same table, with a class-validator constraint on a value that cannot be read.
@Model({ table: 'foreign_events' })
class Checked extends BaseModel {
  @PartitionKey() id!: string;
  @Min(0) @Attribute({ type: Number }) count?: number;
  @Attribute() note?: string;
  @Version() version!: number;
}

const TABLE = 'foreign_events';

async function putRaw(item: Record<string, unknown>): Promise<void> {
  const conn = getConnection();
  await conn.put({ TableName: conn.tableName(TABLE), Item: item });
}

async function getRaw(id: string): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName(TABLE), Key: { id }, ConsistentRead: true })).Item;
}

const foreign = (id: string) => ({
  id,
  at: '2024-13-45',
  count: NumberValue.from('9007199254740993'), // past 2^53: a JS number would round it
  big: NumberValue.from('12.5'),
  payload: '{not json',
  label: NumberValue.from('42'), // a wrong DynamoDB type
  note: 'old',
  version: 1,
});

describe('stored values the model cannot read or re-encode (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Event);
  });

  it('a read succeeds: undecodable properties are undefined and listed by decodeErrors()', async () => {
    await putRaw(foreign('f-1'));
    const event = await Event.find('f-1');
    expect(event.note).to.equal('old');
    expect([event.at, event.count, event.big, event.payload, event.label]).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    const errors = event.decodeErrors();
    expect(errors.map((e) => e.property)).to.deep.equal(['at', 'count', 'big', 'payload', 'label']);
    expect(errors[0]).to.deep.equal({
      property: 'at',
      attribute: 'at',
      raw: '2024-13-45',
      message: 'Event.at is stored as a string (S), which is not a valid date',
    });
    expect(errors[1].message).to.equal(
      'Event.count is stored as the number 9007199254740993, past ±2^53: a JavaScript number cannot hold it exactly (declare the property { type: BigInt })',
    );
    expect(errors[2].message).to.equal('Event.big is stored as the number 12.5, which is not an integer, so it cannot be read as a bigint');
    expect(errors[3].message).to.match(/^Event\.payload is stored as text that is not valid JSON \(/);
    expect(errors[4].message).to.equal('Event.label is stored as the number 42 (N), which cannot be read as a string');
    expect(event.changedAttributes()).to.deep.equal([]);
  });

  it('saving another attribute writes only that attribute and leaves the unreadable values exactly as stored', async () => {
    await putRaw(foreign('f-2'));
    const event = await Event.find('f-2');
    event.note = 'new';
    expect(event.changedAttributes()).to.deep.equal(['note']);
    await event.save();
    const raw = await getRaw('f-2');
    expect(raw!.note).to.equal('new');
    expect(raw!.at).to.equal('2024-13-45');
    expect((raw!.count as NumberValue).value).to.equal('9007199254740993');
    expect((raw!.big as NumberValue).value).to.equal('12.5');
    expect(raw!.payload).to.equal('{not json');
    expect((raw!.label as NumberValue).value).to.equal('42');
    expect(event.version).to.equal(2);
    expect(event.decodeErrors()).to.have.length(5);
  });

  it('a value another writer stored in a form dynamorm would write differently is not rewritten', async () => {
    await putRaw({ id: 'f-3', at: '2024-01-02T03:04:05Z', count: 1, version: 1 }); // no milliseconds
    const event = await Event.find('f-3');
    expect(event.at!.toISOString()).to.equal('2024-01-02T03:04:05.000Z');
    event.note = 'touched';
    await event.save();
    expect((await getRaw('f-3'))!.at).to.equal('2024-01-02T03:04:05Z');
  });

  it('assigning an unreadable property replaces it, and it is no longer listed', async () => {
    await putRaw(foreign('f-4'));
    const event = await Event.find('f-4');
    event.at = new Date('2024-02-03T00:00:00.000Z');
    expect(event.changedAttributes()).to.deep.equal(['at']);
    await event.save();
    expect((await getRaw('f-4'))!.at).to.equal('2024-02-03T00:00:00.000Z');
    expect(event.decodeErrors().map((e) => e.property)).to.deep.equal(['count', 'big', 'payload', 'label']);
    expect((await Event.find('f-4')).decodeErrors()).to.have.length(4);
  });

  it('validation skips a property left undefined because its stored value could not be read', async () => {
    await putRaw({ id: 'cv-1', count: 'thirty', note: 'old', version: 1 });
    const checked = await Checked.find('cv-1');
    expect(checked.decodeErrors().map((e) => e.property)).to.deep.equal(['count']);
    checked.note = 'new';
    await checked.save();
    expect((await getRaw('cv-1'))!.count).to.equal('thirty');
    checked.count = -1; // assigned: validated again
    expect(await checked.save().catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
  });

  it('delete() needs only the key', async () => {
    await putRaw(foreign('f-5'));
    await (await Event.find('f-5')).delete();
    expect(await getRaw('f-5')).to.equal(undefined);
  });

  it('the connection logger hears of each unreadable read', async () => {
    await putRaw(foreign('f-6'));
    const records: RequestLogRecord[] = [];
    const conn = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, logger: (r) => records.push(r) });
    await conn.run(() => Event.find('f-6'));
    conn.close();
    const decode = records.find((r) => r.operation === 'Decode');
    expect(decode, JSON.stringify(records.map((r) => r.operation))).to.not.equal(undefined);
    expect(decode!.table).to.equal(TABLE);
    expect(decode!.error).to.be.instanceOf(ValidationError);
    expect((decode!.error as Error).message).to.include('Event (id="f-6"): Event.at is stored as a string (S), which is not a valid date');
  });

  it('connect({ strictReads: true }) makes such a read a ValidationError naming the model, key and attribute', async () => {
    await putRaw({ id: 'f-7', at: 'not a date', version: 1 });
    const conn = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, strictReads: true });
    const error = await conn.run(() => Event.find('f-7')).catch((e: unknown) => e);
    conn.close();
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).message).to.equal(
      'Event (id="f-7"): Event.at is stored as a string (S), which is not a valid date. The stored value was left as it is.',
    );
    expect((error as ValidationError).errors).to.deep.equal([
      { property: 'at', value: 'not a date', constraints: { decode: 'Event.at is stored as a string (S), which is not a valid date' } },
    ]);
    expect((await getRaw('f-7'))!.at).to.equal('not a date');
  });

  it('reload() reports again what it cannot read', async () => {
    await putRaw({ id: 'f-8', at: '2024-01-01T00:00:00.000Z', version: 1 });
    const event = await Event.find('f-8');
    expect(event.decodeErrors()).to.deep.equal([]);
    await putRaw({ id: 'f-8', at: 'broken', version: 2 });
    await event.reload();
    expect(event.at).to.equal(undefined);
    expect(event.decodeErrors().map((e) => e.property)).to.deep.equal(['at']);
  });
});
