import { expect } from 'chai';
import sinon from 'sinon';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Attribute, BaseModel, Model, PartitionKey, SortKey, TTL, ValidationError, type RequestLogRecord } from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';
import { rejection } from '../../support/thrown';

// DESIGN §11 "Reading stored data", on the ordinary reads: the SDK hands numbers over as
// NumberValue texts (wrapNumbers), and NumberValue takes any text. Text DynamoDB could not
// have stored is an undecodable value there too, never NaN, Infinity or 0.
@Model({ table: 'mn_readings' })
class Reading extends BaseModel {
  @PartitionKey() id!: string;
  @SortKey({ type: Number }) seq!: number;
  @Attribute() name?: string;
  @Attribute({ type: Number }) count?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ format: 'epoch_ms' }) at?: Date;
  @Attribute({ set: true }) scores?: Set<number>;
  @Attribute({ type: Object }) data?: Record<string, unknown>;
  @TTL() expiresAt?: Date;
}

const nv = (text: string) => NumberValue.from(text);
const because = (text: string) =>
  `stored with the number text ${JSON.stringify(text)} (N), which is not a number DynamoDB stores (decimal, at most 38 significant digits, 0 or 1E-130 to 1E+126 in magnitude)`;

/** A stored item with a malformed number in every number-bearing attribute but the key. */
const stored = () => ({
  id: 'r1',
  seq: nv('1'),
  name: 'Ann',
  count: nv('abc'),
  big: nv(''),
  at: nv('1e400'),
  scores: new Set([nv('1'), nv('abc')]),
  data: { a: [nv('1e-400')] },
});

describe('reading number text DynamoDB could not have stored (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  let logged: RequestLogRecord[];

  beforeEach(() => {
    logged = [];
    conn = stubConnection(sandbox, { logger: (record) => logged.push(record) });
  });
  afterEach(() => sandbox.restore());

  it('find: the properties are undefined, decodeErrors() lists each with its raw value, the logger hears of it', async () => {
    const item = stored();
    conn.get.resolves({ Item: item });
    const reading = await Reading.find({ id: 'r1', seq: 1 });
    expect(reading).to.include({ id: 'r1', seq: 1, name: 'Ann', count: undefined, big: undefined, at: undefined, scores: undefined, data: undefined });
    expect(reading.decodeErrors()).to.deep.equal([
      { property: 'count', attribute: 'count', raw: item.count, message: `Reading.count is ${because('abc')}` },
      { property: 'big', attribute: 'big', raw: item.big, message: `Reading.big is ${because('')}` },
      { property: 'at', attribute: 'at', raw: item.at, message: `Reading.at is ${because('1e400')}` },
      { property: 'scores', attribute: 'scores', raw: item.scores, message: `Reading.scores is ${because('abc')}` },
      { property: 'data', attribute: 'data', raw: item.data, message: `Reading.data is ${because('1e-400')}` },
    ]);
    const decode = logged.filter((record) => record.operation === 'Decode');
    expect(decode).to.have.length(1);
    expect((decode[0].error as Error).message).to.match(/^Reading \(id="r1", seq=1\): Reading\.count is stored with the number text "abc" \(N\)/);
  });

  it('query: each item is read, the malformed values left undefined on the item that has them', async () => {
    conn.query.resolves({ Items: [{ id: 'r1', seq: nv('2'), count: nv('5') }, stored()] });
    const [good, bad] = await Reading.where('id', '=', 'r1').all();
    expect(good).to.include({ seq: 2, count: 5 });
    expect(good.decodeErrors()).to.deep.equal([]);
    expect(bad).to.include({ seq: 1, name: 'Ann', count: undefined });
    expect(bad.decodeErrors().map((issue) => issue.property)).to.deep.equal(['count', 'big', 'at', 'scores', 'data']);
  });

  it('a number key that is malformed is reported too', async () => {
    conn.query.resolves({ Items: [{ id: 'r1', seq: nv('') }] });
    const [reading] = await Reading.where('id', '=', 'r1').all();
    expect(reading.seq).to.equal(undefined);
    expect(reading.decodeErrors()).to.deep.equal([{ property: 'seq', attribute: 'seq', raw: nv(''), message: `Reading.seq is ${because('')}` }]);
  });

  it('save() after such a read writes only what was assigned: the stored values stay as they are', async () => {
    conn.get.resolves({ Item: stored() });
    const reading = await Reading.find({ id: 'r1', seq: 1 });
    expect(reading.changedAttributes()).to.deep.equal([]);
    reading.name = 'Bo';
    await reading.save();
    expect(conn.update.callCount).to.equal(1);
    const { UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues } = conn.update.firstCall.args[0];
    expect({ UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues }).to.deep.equal({
      UpdateExpression: 'SET #n2 = :v1',
      ExpressionAttributeNames: { '#n1': 'id', '#n2': 'name' },
      ExpressionAttributeValues: { ':v1': 'Bo' },
    });
  });

  it("an @TTL whose text is malformed ('' would be the epoch) does not hide the item as expired: it is read and reported", async () => {
    conn.get.resolves({ Item: { id: 'r1', seq: nv('1'), expiresAt: nv('') } });
    const reading = await Reading.get({ id: 'r1', seq: 1 });
    expect(reading).to.be.instanceOf(Reading);
    expect(reading!.expiresAt).to.equal(undefined);
    expect(reading!.decodeErrors()).to.deep.equal([
      { property: 'expiresAt', attribute: 'expiresAt', raw: nv(''), message: `Reading.expiresAt is ${because('')}` },
    ]);
  });

  it('connect({ strictReads: true }): the read is a ValidationError naming the model, the key and each attribute', async () => {
    sandbox.restore();
    conn = stubConnection(sandbox, { strictReads: true });
    conn.get.resolves({ Item: { id: 'r1', seq: nv('1'), count: nv('abc'), scores: new Set([nv('NaN')]) } });
    const error = (await rejection(Reading.find({ id: 'r1', seq: 1 }))) as ValidationError;
    expect(error).to.be.instanceOf(ValidationError);
    expect(error.message).to.equal(
      `Reading (id="r1", seq=1): Reading.count is ${because('abc')}; Reading.scores is ${because('NaN')}. The stored values were left as they are.`,
    );
    expect(error.errors.map((issue) => [issue.property, issue.constraints])).to.deep.equal([
      ['count', { decode: `Reading.count is ${because('abc')}` }],
      ['scores', { decode: `Reading.scores is ${because('NaN')}` }],
    ]);
  });
});
