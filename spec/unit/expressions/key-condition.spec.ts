import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { cond, operand, type Condition } from '../../../lib/expressions/condition';
import { compileKeyCondition, type KeyCondition } from '../../../lib/expressions/key-condition';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { thrown } from '../../support/thrown';

function compile(key: KeyCondition) {
  const p = new Placeholders();
  const expression = compileKeyCondition(key, p);
  return { expression, ...p.toParams() };
}

const partition = cond.eq(['deviceId'], 'd1');

describe('expressions: key conditions', () => {
  it('the partition key alone', () => {
    expect(compile({ partition })).to.deep.equal({
      expression: '#n1 = :v1',
      ExpressionAttributeNames: { '#n1': 'deviceId' },
      ExpressionAttributeValues: { ':v1': 'd1' },
    });
  });

  for (const op of ['=', '<', '<=', '>', '>='] as const) {
    it(`partition = and sort ${op}`, () => {
      expect(compile({ partition, sort: cond.compare(['ts'], op, 5) })).to.deep.equal({
        expression: `#n1 = :v1 AND #n2 ${op} :v2`,
        ExpressionAttributeNames: { '#n1': 'deviceId', '#n2': 'ts' },
        ExpressionAttributeValues: { ':v1': 'd1', ':v2': 5 },
      });
    });
  }

  it('partition = and sort BETWEEN', () => {
    expect(compile({ partition, sort: cond.between(['ts'], 1, 9) })).to.deep.equal({
      expression: '#n1 = :v1 AND #n2 BETWEEN :v2 AND :v3',
      ExpressionAttributeNames: { '#n1': 'deviceId', '#n2': 'ts' },
      ExpressionAttributeValues: { ':v1': 'd1', ':v2': 1, ':v3': 9 },
    });
  });

  it('partition = and sort begins_with', () => {
    expect(compile({ partition: cond.eq(['status'], 'on'), sort: cond.beginsWith(['name'], 'ORG#') })).to.deep.equal({
      expression: '#n1 = :v1 AND begins_with(#n2, :v2)',
      ExpressionAttributeNames: { '#n1': 'status', '#n2': 'name' },
      ExpressionAttributeValues: { ':v1': 'on', ':v2': 'ORG#' },
    });
  });

  it('shares the placeholders of the request with its filter and projection', () => {
    const p = new Placeholders();
    compileKeyCondition({ partition, sort: cond.compare(['ts'], '>', 1) }, p);
    expect(p.name('ts')).to.equal('#n2');
    expect(p.value(0)).to.equal(':v3');
  });

  const refused: Array<[string, KeyCondition, string]> = [
    ['a partition range', { partition: cond.compare(['deviceId'], '>', 1) }, "A key condition on the partition key takes only '=', not '>'."],
    ['a partition BETWEEN', { partition: cond.between(['deviceId'], 1, 2) }, "A key condition on the partition key takes only '=', not 'between'."],
    ['a sort <>', { partition, sort: cond.compare(['ts'], '<>', 1) }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not '<>'."],
    ['a sort IN', { partition, sort: cond.in(['ts'], [1]) }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not 'in'."],
    ['a sort contains', { partition, sort: cond.contains(['ts'], 1) }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not 'contains'."],
    ['an AND as the sort condition', { partition, sort: cond.and(cond.eq(['ts'], 1), cond.eq(['ts'], 2))! }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not 'and'."],
    ['a NOT', { partition, sort: cond.not(cond.eq(['ts'], 1)) }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not 'not'."],
    ['exists', { partition, sort: cond.exists(['ts']) }, "A key condition on the sort key takes =, <, <=, >, >=, between or begins_with, not 'exists'."],
    ['a nested path', { partition: cond.eq(['a', 'b'], 1) }, 'A key condition on the partition key compares the key attribute itself (no nested path, no size) with values.'],
    ['size()', { partition, sort: cond.comparison(operand.size(['ts']), '>', operand.value(1)) }, 'A key condition on the sort key compares the key attribute itself (no nested path, no size) with values.'],
    ['a value on the left', { partition: cond.comparison(operand.value('d1'), '=', operand.path(['deviceId'])) }, 'A key condition on the partition key compares the key attribute itself (no nested path, no size) with values.'],
    ['two attributes', { partition, sort: cond.comparison(operand.path(['ts']), '<', operand.path(['other'])) }, 'A key condition on the sort key compares the key attribute itself (no nested path, no size) with values.'],
    ['one attribute as both keys', { partition, sort: cond.compare(['deviceId'], '>', 1) }, "A key condition names 'deviceId' as both the partition and the sort key."],
  ];
  for (const [title, key, message] of refused) {
    it(`refuses ${title} before any request`, () => {
      expect(thrown(QueryError, () => compile(key)).message).to.equal(message);
    });
  }

  it('compiles nothing when refusing', () => {
    const p = new Placeholders();
    thrown(QueryError, () => compileKeyCondition({ partition, sort: cond.compare(['ts'], '<>', 1) as Condition }, p));
    expect(p.toParams()).to.deep.equal({});
  });
});
