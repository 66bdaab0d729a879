import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { compileCondition, cond } from '../../../lib/expressions/condition';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { KEY_OPERATORS, OPERATORS, structuredCondition } from '../../../lib/expressions/structured';
import { thrown } from '../../support/thrown';

const compile = (operator: string, values: unknown[]) => compileCondition(structuredCondition(['age'], operator, values), new Placeholders());
const failure = (operator: string, values: unknown[]) => thrown(QueryError, () => structuredCondition(['age'], operator, values, 'User.age')).message;

describe('expressions: structured conditions', () => {
  it('every operator of where / filter', () => {
    expect(OPERATORS.map((op) => [op, compile(op, op === 'between' ? [1, 2] : op === 'in' ? [[1, 2]] : op.endsWith('exists') ? [] : [1])])).to.deep.equal([
      ['=', '#n1 = :v1'],
      ['<>', '#n1 <> :v1'],
      ['<', '#n1 < :v1'],
      ['<=', '#n1 <= :v1'],
      ['>', '#n1 > :v1'],
      ['>=', '#n1 >= :v1'],
      ['between', '#n1 BETWEEN :v1 AND :v2'],
      ['begins_with', 'begins_with(#n1, :v1)'],
      ['in', '#n1 IN (:v1, :v2)'],
      ['contains', 'contains(#n1, :v1)'],
      ['not_contains', 'NOT contains(#n1, :v1)'],
      ['exists', 'attribute_exists(#n1)'],
      ['not_exists', 'attribute_not_exists(#n1)'],
    ]);
  });

  it('builds the cond.* nodes', () => {
    expect(structuredCondition(['tags'], 'contains', ['x'])).to.deep.equal(cond.contains(['tags'], 'x'));
    expect(structuredCondition(['email'], 'exists', [])).to.deep.equal(cond.exists(['email']));
    expect(structuredCondition(['x'], 'in', [['a', 'b']])).to.deep.equal(cond.in(['x'], ['a', 'b']));
    expect(structuredCondition(['a', 'b'], 'between', [1, 2])).to.deep.equal(cond.between(['a', 'b'], 1, 2));
  });

  it('the key operators are the ones a KeyConditionExpression takes on a sort key', () => {
    expect(KEY_OPERATORS).to.deep.equal(['=', '<', '<=', '>', '>=', 'between', 'begins_with']);
  });

  it('null is a value; values that look like expressions are values', () => {
    const p = new Placeholders();
    expect(compileCondition(structuredCondition(['a'], '=', ['x) OR attribute_exists(id']), p)).to.equal('#n1 = :v1');
    expect(p.values()).to.deep.equal({ ':v1': 'x) OR attribute_exists(id' });
    expect(compile('=', [null])).to.equal('#n1 = :v1');
  });

  const refused: Array<[string, unknown[], string]> = [
    [
      'like',
      ['x'],
      "User.age: unknown operator 'like' (operators: =, <>, <, <=, >, >=, between, begins_with, in, contains, not_contains, exists, not_exists).",
    ],
    ['between', [1], "User.age: 'between' needs two values (low, high), got 1."],
    ['between', [1, 2, 3], "User.age: 'between' needs two values (low, high), got 3."],
    ['=', [], "User.age: '=' takes one value, got 0."],
    ['>', [1, 2], "User.age: '>' takes one value, got 2."],
    ['exists', [true], "User.age: 'exists' takes no value, got 1."],
    ['in', [1, 2], "User.age: 'in' takes one array of 1 to 100 values, got 2."],
    ['in', ['a'], "User.age: 'in' takes one array of 1 to 100 values, got string."],
    ['in', [[]], "User.age: 'in' takes one array of 1 to 100 values, got 0 values."],
    ['in', [Array.from({ length: 101 }, (_, i) => i)], "User.age: 'in' takes one array of 1 to 100 values, got 101 values."],
    ['=', [undefined], "User.age: '=' got undefined (DynamoDB has no undefined: use null, or 'not_exists')."],
    ['between', [1, undefined], "User.age: 'between' got undefined (DynamoDB has no undefined: use null, or 'not_exists')."],
    ['in', [[1, undefined]], "User.age: 'in' got undefined (DynamoDB has no undefined: use null, or 'not_exists')."],
  ];
  for (const [operator, values, message] of refused) {
    it(`refuses ${operator} with ${JSON.stringify(values)}`, () => {
      expect(failure(operator, values)).to.equal(message);
    });
  }

  it('names the path when no subject is given', () => {
    expect(thrown(QueryError, () => structuredCondition(['address', 'zip'], 'between', [1])).message).to.equal(
      "address.zip: 'between' needs two values (low, high), got 1.",
    );
  });
});
