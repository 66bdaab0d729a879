import { expect } from 'chai';
import { getConnection } from '../../lib';
import { compileCondition, cond, type Condition } from '../../lib/expressions/condition';
import { parseCondition } from '../../lib/expressions/parser';
import { Placeholders } from '../../lib/expressions/placeholders';
import { compileProjection } from '../../lib/expressions/projection';
import { PARAMS, random, ROWS, sample } from '../unit/expressions/random-conditions';

// Compiled expressions sent to the local server, which checks DynamoDB's grammar (redundant
// parentheses, unused or missing placeholders, reserved words) and evaluates them: its answers
// must match what each condition means.

const TABLE = `expressions_${Date.now()}`;
const PROPERTIES = ['a', 'b', 'c', 'd', 's', 'tags', 'pk', 'sk'];
const resolveName = (property: string) => (PROPERTIES.includes(property) ? property : undefined);

async function scanKeys(filter: Condition): Promise<number[]> {
  const p = new Placeholders();
  const FilterExpression = compileCondition(filter, p);
  const out = await getConnection().scan({ TableName: TABLE, FilterExpression, ...p.toParams() });
  return (out.Items ?? []).map((item) => num(item.sk)).sort((x, y) => x - y);
}

/** A Query's key condition as the query layer sends it: the partition key's `=`, AND the sort key's condition. */
interface KeyCondition {
  partition: Condition;
  sort?: Condition;
}
const compileKeyCondition = (key: KeyCondition, p: Placeholders): string => compileCondition(key.sort ? cond.and(key.partition, key.sort)! : key.partition, p);

async function queryKeys(key: KeyCondition, filter?: Condition): Promise<number[]> {
  const p = new Placeholders();
  const KeyConditionExpression = compileKeyCondition(key, p);
  const FilterExpression = filter && compileCondition(filter, p);
  const out = await getConnection().query({ TableName: TABLE, KeyConditionExpression, FilterExpression, ...p.toParams() });
  return (out.Items ?? []).map((item) => num(item.sk));
}

// Reads wrap numbers (NumberValue), as the connection does for every model.
const num = (value: unknown): number => Number((value as { value?: string }).value ?? value);

const expected = (test: (row: (typeof ROWS)[number]) => boolean) => ROWS.flatMap((row, i) => (test(row) ? [i] : []));

describe('expressions against the local server', () => {
  before(async () => {
    const connection = getConnection();
    await connection.createTable({
      TableName: TABLE,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 100 && (await connection.describeTable({ TableName: TABLE })).Table?.TableStatus !== 'ACTIVE'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const [i, row] of ROWS.entries()) await connection.put({ TableName: TABLE, Item: { pk: 'rows', sk: i, ...row } });
    await connection.put({
      TableName: TABLE,
      Item: {
        pk: 'odd',
        sk: 0,
        status: 'x) OR attribute_exists(pk',
        name: 'n',
        size: 3,
        '#n1': 'hash',
        ':v1': 'colon',
        address: { lines: ['l0', 'l1'], zip: 'z' },
      },
    });
    await connection.put({ TableName: TABLE, Item: { pk: 'odd', sk: 1, status: 'plain', name: 'm', size: 4 } });
  });

  it('the local server refuses doubled parentheses, as DynamoDB does (what the checks below rely on)', async () => {
    const request = { TableName: TABLE, ExpressionAttributeNames: { '#n1': 'a' }, ExpressionAttributeValues: { ':v1': 1 } };
    const error = await getConnection()
      .scan({ ...request, FilterExpression: '((#n1 = :v1))' })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).to.match(/The expression has redundant parentheses/);
    await getConnection().scan({ ...request, FilterExpression: '(#n1 = :v1)' });
  });

  it('random conditions, as users write them: parsed, compiled and combined, the server finds what they mean', async () => {
    const rand = random(7);
    for (let i = 0; i < 60; i++) {
      const s = sample(rand);
      const parsed = parseCondition(s.text, { resolveName, params: PARAMS });
      const want = expected(s.test);
      expect(await scanKeys(cond.and(cond.eq(['pk'], 'rows'), parsed)!), s.text).to.deep.equal(want);
      expect(await queryKeys({ partition: cond.eq(['pk'], 'rows') }, parsed), s.text).to.deep.equal(want);
      // The tree as the structured API builds it: one placeholder per value.
      expect(await scanKeys(cond.and(s.node, cond.eq(['pk'], 'rows'))!), s.text).to.deep.equal(want);
    }
  });

  it("a user's '(a OR b)' next to other conditions", async () => {
    const user = parseCondition('(a = :one OR b = :one)', { resolveName, params: PARAMS });
    expect(await scanKeys(cond.and(cond.eq(['pk'], 'rows'), user, cond.compare(['c'], '=', 2))!)).to.deep.equal(
      expected((r) => (r.a === 1 || r.b === 1) && r.c === 2),
    );
    expect(await scanKeys(cond.and(cond.eq(['pk'], 'rows'), cond.not(user))!)).to.deep.equal(expected((r) => !(r.a === 1 || r.b === 1)));
  });

  it('attribute_type, and params that are not used are not sent', async () => {
    const node = parseCondition('attribute_type(tags, :t) AND pk = :pk', { resolveName, params: { t: 'SS', pk: 'rows', unused: 1 } });
    expect(await scanKeys(node)).to.have.length(ROWS.length);
    const none = parseCondition('attribute_type(tags, :t) AND pk = :pk', { resolveName, params: { t: 'L', pk: 'rows' } });
    expect(await scanKeys(none)).to.deep.equal([]);
  });

  it('reserved words, names that look like placeholders and values that look like expressions', async () => {
    const odd = (node: Condition) => queryKeys({ partition: cond.eq(['pk'], 'odd') }, node);
    expect(await odd(cond.eq(['status'], 'x) OR attribute_exists(pk'))).to.deep.equal([0]);
    expect(await odd(cond.and(cond.eq(['name'], 'n'), cond.eq(['size'], 3))!)).to.deep.equal([0]);
    expect(await odd(cond.eq(['#n1'], 'hash'))).to.deep.equal([0]);
    expect(await odd(cond.eq([':v1'], 'colon'))).to.deep.equal([0]);
    expect(await odd(cond.eq(['status'], ':v1'))).to.deep.equal([]);
  });

  it('key conditions: every sort key operator', async () => {
    const partition = cond.eq(['pk'], 'rows');
    expect(await queryKeys({ partition })).to.have.length(16);
    expect(await queryKeys({ partition, sort: cond.eq(['sk'], 3) })).to.deep.equal([3]);
    expect(await queryKeys({ partition, sort: cond.compare(['sk'], '<', 3) })).to.deep.equal([0, 1, 2]);
    expect(await queryKeys({ partition, sort: cond.compare(['sk'], '<=', 1) })).to.deep.equal([0, 1]);
    expect(await queryKeys({ partition, sort: cond.compare(['sk'], '>', 13) })).to.deep.equal([14, 15]);
    expect(await queryKeys({ partition, sort: cond.compare(['sk'], '>=', 14) })).to.deep.equal([14, 15]);
    expect(await queryKeys({ partition, sort: cond.between(['sk'], 4, 6) })).to.deep.equal([4, 5, 6]);
    expect(await queryKeys({ partition, sort: cond.between(['sk'], 4, 6) }, cond.eq(['a'], 1))).to.deep.equal([4, 6]);
  });

  it('key conditions: begins_with on a string sort key', async () => {
    const connection = getConnection();
    const table = `${TABLE}_s`;
    await connection.createTable({
      TableName: table,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'status', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 100 && (await connection.describeTable({ TableName: table })).Table?.TableStatus !== 'ACTIVE'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const status of ['open', 'opened', 'closed']) await connection.put({ TableName: table, Item: { pk: 'p', status } });
    const p = new Placeholders();
    const KeyConditionExpression = compileKeyCondition({ partition: cond.eq(['pk'], 'p'), sort: cond.beginsWith(['status'], 'open') }, p);
    const out = await connection.query({ TableName: table, KeyConditionExpression, ...p.toParams() });
    expect(out.Items!.map((item): unknown => item.status)).to.deep.equal(['open', 'opened']);
  });

  it('projections of nested paths, with the overlapping ones dropped', async () => {
    const p = new Placeholders();
    const KeyConditionExpression = compileKeyCondition({ partition: cond.eq(['pk'], 'odd'), sort: cond.eq(['sk'], 0) }, p);
    const ProjectionExpression = compileProjection(['pk', ['address', 'lines', 1], ['address', 'zip'], 'size', 'size', '#n1'], p);
    const out = await getConnection().query({ TableName: TABLE, KeyConditionExpression, ProjectionExpression, ...p.toParams() });
    expect(out.Items!.map((item) => ({ ...item, size: num(item.size) }))).to.deep.equal([
      { pk: 'odd', address: { lines: ['l1'], zip: 'z' }, size: 3, '#n1': 'hash' },
    ]);
  });
});
