import { expect } from 'chai';
import { compileCondition, cond, type Condition } from '../../../lib/expressions/condition';
import { Placeholders } from '../../../lib/expressions/placeholders';

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

    it('eq is compare =', () => {
      expect(cond.eq(['a'], 1)).to.deep.equal({ kind: 'compare', path: ['a'], op: '=', value: 1 });
    });

    it('between', () => {
      expect(compile({ kind: 'between', path: ['ts'], low: 1, high: 9 })).to.deep.equal({
        expression: '#n1 BETWEEN :v1 AND :v2',
        ExpressionAttributeNames: { '#n1': 'ts' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 9 },
      });
    });

    it('begins_with', () => {
      expect(compile({ kind: 'begins_with', path: ['sk'], value: 'ORG#' })).to.deep.equal({
        expression: 'begins_with(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'sk' },
        ExpressionAttributeValues: { ':v1': 'ORG#' },
      });
    });

    it('contains', () => {
      expect(compile({ kind: 'contains', path: ['tags'], value: 'vip' })).to.deep.equal({
        expression: 'contains(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'tags' },
        ExpressionAttributeValues: { ':v1': 'vip' },
      });
    });

    it('in', () => {
      expect(compile({ kind: 'in', path: ['status'], values: ['a', 'b', 'c'] })).to.deep.equal({
        expression: '#n1 IN (:v1, :v2, :v3)',
        ExpressionAttributeNames: { '#n1': 'status' },
        ExpressionAttributeValues: { ':v1': 'a', ':v2': 'b', ':v3': 'c' },
      });
    });

    it('attribute_exists / attribute_not_exists use names only', () => {
      expect(compile(cond.exists(['email']))).to.deep.equal({ expression: 'attribute_exists(#n1)', ExpressionAttributeNames: { '#n1': 'email' } });
      expect(compile(cond.notExists(['id']))).to.deep.equal({ expression: 'attribute_not_exists(#n1)', ExpressionAttributeNames: { '#n1': 'id' } });
    });

    it('nested paths and list indexes', () => {
      expect(compile(cond.compare(['address', 'lines', 0, 'zip'], '=', '123'))).to.deep.equal({
        expression: '#n1.#n2[0].#n3 = :v1',
        ExpressionAttributeNames: { '#n1': 'address', '#n2': 'lines', '#n3': 'zip' },
        ExpressionAttributeValues: { ':v1': '123' },
      });
    });

    it('reserved words need nothing special: every name is a placeholder', () => {
      expect(compile(cond.and(cond.eq(['name'], 'n'), cond.eq(['size'], 1), cond.eq(['status'], 's'))!)).to.deep.equal({
        expression: '#n1 = :v1 AND #n2 = :v2 AND #n3 = :v3',
        ExpressionAttributeNames: { '#n1': 'name', '#n2': 'size', '#n3': 'status' },
        ExpressionAttributeValues: { ':v1': 'n', ':v2': 1, ':v3': 's' },
      });
    });
  });

  describe('combinations', () => {
    const a = cond.eq(['a'], 1);
    const b = cond.eq(['b'], 2);
    const c = cond.eq(['c'], 3);

    it('AND of leaves is not parenthesised', () => {
      expect(compile(cond.and(a, b)!).expression).to.equal('#n1 = :v1 AND #n2 = :v2');
    });

    it('OR inside AND is parenthesised', () => {
      expect(compile(cond.and(cond.or(a, b), c)!).expression).to.equal('(#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3');
    });

    it('AND inside OR is parenthesised', () => {
      expect(compile(cond.or(a, cond.and(b, c))!).expression).to.equal('#n1 = :v1 OR (#n2 = :v2 AND #n3 = :v3)');
    });

    it('deep nesting numbers placeholders left to right, reusing repeated names', () => {
      const node = cond.or(cond.and(a, cond.or(b, cond.eq(['a'], 4))), c)!;
      expect(compile(node)).to.deep.equal({
        expression: '(#n1 = :v1 AND (#n2 = :v2 OR #n1 = :v3)) OR #n3 = :v4',
        ExpressionAttributeNames: { '#n1': 'a', '#n2': 'b', '#n3': 'c' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 2, ':v3': 4, ':v4': 3 },
      });
    });

    it('NOT wraps combinations, not leaves', () => {
      expect(compile({ kind: 'not', condition: a }).expression).to.equal('NOT #n1 = :v1');
      expect(compile({ kind: 'not', condition: cond.and(a, b)! }).expression).to.equal('NOT (#n1 = :v1 AND #n2 = :v2)');
      expect(compile(cond.and({ kind: 'not', condition: cond.or(a, b)! }, c)!).expression).to.equal('NOT (#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3');
    });

    it('a raw fragment is parenthesised inside a combination and kept as is alone', () => {
      const raw: Condition = { kind: 'raw', expression: '#n9 > :v9 OR #n9 < :v8' };
      expect(compile(raw)).to.deep.equal({ expression: '#n9 > :v9 OR #n9 < :v8' });
      expect(compile(cond.and(a, raw)!).expression).to.equal('#n1 = :v1 AND (#n9 > :v9 OR #n9 < :v8)');
    });

    it('cond.and / cond.or drop undefined parts and collapse single ones', () => {
      expect(cond.and()).to.equal(undefined);
      expect(cond.and(undefined, undefined)).to.equal(undefined);
      expect(cond.and(undefined, a)).to.equal(a);
      expect(cond.or(a, undefined, b)).to.deep.equal({ kind: 'or', conditions: [a, b] });
    });

    it('the create condition with TTL: attribute_not_exists(pk) OR ttl < now', () => {
      expect(compile(cond.or(cond.notExists(['pk']), cond.compare(['ttl'], '<', 1700000000))!)).to.deep.equal({
        expression: 'attribute_not_exists(#n1) OR #n2 < :v1',
        ExpressionAttributeNames: { '#n1': 'pk', '#n2': 'ttl' },
        ExpressionAttributeValues: { ':v1': 1700000000 },
      });
    });
  });
});
