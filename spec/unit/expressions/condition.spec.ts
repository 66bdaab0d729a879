import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { compileCondition, compileOperand, cond, operand, type Condition } from '../../../lib/expressions/condition';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { thrown } from '../../support/thrown';

function compile(node: Condition) {
  const p = new Placeholders();
  const expression = compileCondition(node, p);
  return { expression, ...p.toParams() };
}

describe('expressions: conditions', () => {
  describe('leaves', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) {
      it(`compare ${op}`, () => {
        expect(compile(cond.compare(['age'], op, 30))).to.deep.equal({
          expression: `#n1 ${op} :v1`,
          ExpressionAttributeNames: { '#n1': 'age' },
          ExpressionAttributeValues: { ':v1': 30 },
        });
      });
    }

    it('eq is compare = of the path against a value', () => {
      expect(cond.eq(['a'], 1)).to.deep.equal({ kind: 'compare', left: { kind: 'path', path: ['a'] }, op: '=', right: { kind: 'value', value: 1 } });
    });

    it('between', () => {
      expect(compile(cond.between(['ts'], 1, 9))).to.deep.equal({
        expression: '#n1 BETWEEN :v1 AND :v2',
        ExpressionAttributeNames: { '#n1': 'ts' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 9 },
      });
    });

    it('begins_with', () => {
      expect(compile(cond.beginsWith(['sk'], 'ORG#'))).to.deep.equal({
        expression: 'begins_with(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'sk' },
        ExpressionAttributeValues: { ':v1': 'ORG#' },
      });
    });

    it('contains and not_contains', () => {
      expect(compile(cond.contains(['tags'], 'vip'))).to.deep.equal({
        expression: 'contains(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'tags' },
        ExpressionAttributeValues: { ':v1': 'vip' },
      });
      expect(compile(cond.notContains(['tags'], 'vip')).expression).to.equal('NOT contains(#n1, :v1)');
    });

    it('in', () => {
      expect(compile(cond.in(['status'], ['a', 'b', 'c']))).to.deep.equal({
        expression: '#n1 IN (:v1, :v2, :v3)',
        ExpressionAttributeNames: { '#n1': 'status' },
        ExpressionAttributeValues: { ':v1': 'a', ':v2': 'b', ':v3': 'c' },
      });
    });

    it('in takes 1 to 100 values', () => {
      expect(
        compile(
          cond.in(
            ['n'],
            Array.from({ length: 100 }, (_, i) => i),
          ),
        ).expression,
      ).to.match(/^#n1 IN \(:v1, .*, :v100\)$/);
      expect(thrown(QueryError, () => compile(cond.in(['n'], [])))).to.have.property('message', 'IN takes 1 to 100 values, got 0.');
      expect(
        thrown(QueryError, () =>
          compile(
            cond.in(
              ['n'],
              Array.from({ length: 101 }, (_, i) => i),
            ),
          ),
        ),
      ).to.have.property('message', 'IN takes 1 to 100 values, got 101.');
    });

    it('attribute_exists / attribute_not_exists use names only', () => {
      expect(compile(cond.exists(['email']))).to.deep.equal({ expression: 'attribute_exists(#n1)', ExpressionAttributeNames: { '#n1': 'email' } });
      expect(compile(cond.notExists(['id']))).to.deep.equal({ expression: 'attribute_not_exists(#n1)', ExpressionAttributeNames: { '#n1': 'id' } });
    });

    it("attribute_type takes one of DynamoDB's type names", () => {
      expect(compile(cond.attributeType(['v'], 'SS'))).to.deep.equal({
        expression: 'attribute_type(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'v' },
        ExpressionAttributeValues: { ':v1': 'SS' },
      });
      const node: Condition = { kind: 'attribute_type', path: ['v'], type: operand.value('string') };
      expect(thrown(QueryError, () => compile(node))).to.have.property(
        'message',
        'attribute_type takes one of S, SS, N, NS, B, BS, BOOL, NULL, L, M, got "string".',
      );
    });

    it('any two operands compare: size(path), path against path, a value on the left', () => {
      expect(compile(cond.comparison(operand.size(['tags']), '>', operand.value(1)))).to.deep.equal({
        expression: 'size(#n1) > :v1',
        ExpressionAttributeNames: { '#n1': 'tags' },
        ExpressionAttributeValues: { ':v1': 1 },
      });
      expect(compile(cond.comparison(operand.path(['low']), '<=', operand.path(['high']))).expression).to.equal('#n1 <= #n2');
      expect(compile(cond.comparison(operand.value(5), '<', operand.path(['n']))).expression).to.equal(':v1 < #n1');
      expect(compile({ kind: 'between', operand: operand.size(['s']), low: operand.path(['lo']), high: operand.value(9) }).expression).to.equal(
        'size(#n1) BETWEEN #n2 AND :v1',
      );
      expect(compile({ kind: 'in', operand: operand.path(['a']), values: [operand.path(['b']), operand.value(1)] }).expression).to.equal('#n1 IN (#n2, :v1)');
      expect(compile({ kind: 'contains', path: ['list'], operand: operand.path(['item']) }).expression).to.equal('contains(#n1, #n2)');
    });

    it('nested paths and list indexes', () => {
      expect(compile(cond.compare(['address', 'lines', 0, 'zip'], '=', '123'))).to.deep.equal({
        expression: '#n1.#n2[0].#n3 = :v1',
        ExpressionAttributeNames: { '#n1': 'address', '#n2': 'lines', '#n3': 'zip' },
        ExpressionAttributeValues: { ':v1': '123' },
      });
      expect(compileOperand(operand.size(['a', 1, 2]), new Placeholders())).to.equal('size(#n1[1][2])');
    });

    it('reserved words need nothing special: every name is a placeholder', () => {
      expect(compile(cond.and(cond.eq(['name'], 'n'), cond.eq(['size'], 1), cond.eq(['status'], 's'))!)).to.deep.equal({
        expression: '#n1 = :v1 AND #n2 = :v2 AND #n3 = :v3',
        ExpressionAttributeNames: { '#n1': 'name', '#n2': 'size', '#n3': 'status' },
        ExpressionAttributeValues: { ':v1': 'n', ':v2': 1, ':v3': 's' },
      });
    });

    it('values never reach the text, whatever they contain; names that look like placeholders are names', () => {
      expect(compile(cond.and(cond.eq(['#n1'], 'x) OR attribute_exists(id'), cond.eq([':v1'], '#n1'), cond.beginsWith(['a.b'], ':v2'))!)).to.deep.equal({
        expression: '#n1 = :v1 AND #n2 = :v2 AND begins_with(#n3, :v3)',
        ExpressionAttributeNames: { '#n1': '#n1', '#n2': ':v1', '#n3': 'a.b' },
        ExpressionAttributeValues: { ':v1': 'x) OR attribute_exists(id', ':v2': '#n1', ':v3': ':v2' },
      });
    });

    it('one value operand used twice is one placeholder; equal values in two operands are two', () => {
      const limit = operand.value(10);
      const node = cond.or(cond.comparison(operand.path(['a']), '<', limit), cond.comparison(operand.path(['b']), '<', limit), cond.compare(['c'], '<', 10))!;
      expect(compile(node)).to.deep.equal({
        expression: '#n1 < :v1 OR #n2 < :v1 OR #n3 < :v2',
        ExpressionAttributeNames: { '#n1': 'a', '#n2': 'b', '#n3': 'c' },
        ExpressionAttributeValues: { ':v1': 10, ':v2': 10 },
      });
    });
  });

  describe('parentheses: only where precedence needs them', () => {
    const a = cond.eq(['a'], 1);
    const b = cond.eq(['b'], 2);
    const c = cond.eq(['c'], 3);

    it('AND of leaves is not parenthesised', () => {
      expect(compile(cond.and(a, b)!).expression).to.equal('#n1 = :v1 AND #n2 = :v2');
    });

    it('OR inside AND is parenthesised', () => {
      expect(compile(cond.and(cond.or(a, b), c)!).expression).to.equal('(#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3');
    });

    it('AND inside OR is not: AND binds tighter', () => {
      expect(compile(cond.or(a, cond.and(b, c))!).expression).to.equal('#n1 = :v1 OR #n2 = :v2 AND #n3 = :v3');
    });

    it('AND inside AND and OR inside OR are not: both are associative', () => {
      expect(compile(cond.and(a, cond.and(b, c))!).expression).to.equal('#n1 = :v1 AND #n2 = :v2 AND #n3 = :v3');
      expect(compile(cond.or(cond.or(a, b), c)!).expression).to.equal('#n1 = :v1 OR #n2 = :v2 OR #n3 = :v3');
    });

    it('deep nesting numbers placeholders left to right, reusing repeated names (and the value of a node used twice)', () => {
      const node = cond.and(cond.or(a, cond.and(b, cond.or(cond.eq(['a'], 4), c))), c, cond.eq(['c'], 3))!;
      expect(compile(node)).to.deep.equal({
        expression: '(#n1 = :v1 OR #n2 = :v2 AND (#n1 = :v3 OR #n3 = :v4)) AND #n3 = :v4 AND #n3 = :v5',
        ExpressionAttributeNames: { '#n1': 'a', '#n2': 'b', '#n3': 'c' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 2, ':v3': 4, ':v4': 3, ':v5': 3 },
      });
    });

    it('NOT wraps combinations, not leaves; NOT inside AND or OR needs none', () => {
      expect(compile(cond.not(a)).expression).to.equal('NOT #n1 = :v1');
      expect(compile(cond.not(cond.and(a, b)!)).expression).to.equal('NOT (#n1 = :v1 AND #n2 = :v2)');
      expect(compile(cond.not(cond.or(a, b)!)).expression).to.equal('NOT (#n1 = :v1 OR #n2 = :v2)');
      expect(compile(cond.and(cond.not(cond.or(a, b)!), c)!).expression).to.equal('NOT (#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3');
      expect(compile(cond.or(cond.not(a), cond.not(cond.exists(['d'])))!).expression).to.equal('NOT #n1 = :v1 OR NOT attribute_exists(#n2)');
      expect(compile(cond.not(cond.between(['n'], 1, 2))).expression).to.equal('NOT #n1 BETWEEN :v1 AND :v2');
    });

    it('NOT of NOT is parenthesised (a local server takes only a leaf or a parenthesis after NOT)', () => {
      expect(compile(cond.not(cond.not(a))).expression).to.equal('NOT (NOT #n1 = :v1)');
    });

    it('an AND or OR of one condition is that condition, wherever it stands', () => {
      expect(compile({ kind: 'and', conditions: [cond.or(a, b)!] }).expression).to.equal('#n1 = :v1 OR #n2 = :v2');
      expect(compile(cond.and({ kind: 'or', conditions: [cond.or(a, b)!] }, c)!).expression).to.equal('(#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3');
      expect(compile(cond.and({ kind: 'or', conditions: [a] }, c)!).expression).to.equal('#n1 = :v1 AND #n2 = :v2');
      expect(compile(cond.not({ kind: 'and', conditions: [a] })).expression).to.equal('NOT #n1 = :v1');
    });

    it('an AND or OR of nothing is a QueryError', () => {
      expect(thrown(QueryError, () => compile({ kind: 'or', conditions: [] }))).to.have.property('message', 'An OR needs at least one condition.');
    });

    it('cond.and / cond.or drop undefined parts and collapse single ones', () => {
      expect(cond.and()).to.equal(undefined);
      expect(cond.and(undefined, undefined)).to.equal(undefined);
      expect(cond.and(undefined, a)).to.equal(a);
      expect(cond.or(a, undefined, b)).to.deep.equal({ kind: 'or', conditions: [a, b] });
    });
  });

  describe('the conditions lib/model sends, unchanged', () => {
    it('create with TTL: attribute_not_exists(pk) OR ttl < now', () => {
      expect(compile(cond.or(cond.notExists(['pk']), cond.compare(['ttl'], '<', 1700000000))!)).to.deep.equal({
        expression: 'attribute_not_exists(#n1) OR #n2 < :v1',
        ExpressionAttributeNames: { '#n1': 'pk', '#n2': 'ttl' },
        ExpressionAttributeValues: { ':v1': 1700000000 },
      });
    });

    it('a unique guard: attribute_not_exists(pk) OR owner = :o OR ttl < now', () => {
      expect(compile(cond.or(cond.notExists(['pk']), cond.eq(['_owner'], 'u#1'), cond.compare(['ttl'], '<', 5))!).expression).to.equal(
        'attribute_not_exists(#n1) OR #n2 = :v1 OR #n3 < :v2',
      );
    });

    it('save: the existence check, the version and the stored unique values, one flat AND', () => {
      const uniques = cond.and(cond.eq(['email'], 'e'), cond.notExists(['handle']));
      expect(compile(cond.and(cond.exists(['pk']), cond.eq(['version'], 3), uniques)!)).to.deep.equal({
        expression: 'attribute_exists(#n1) AND #n2 = :v1 AND #n3 = :v2 AND attribute_not_exists(#n4)',
        ExpressionAttributeNames: { '#n1': 'pk', '#n2': 'version', '#n3': 'email', '#n4': 'handle' },
        ExpressionAttributeValues: { ':v1': 3, ':v2': 'e' },
      });
    });
  });
});
