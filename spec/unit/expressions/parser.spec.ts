import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { compileCondition, cond, operand, type Condition } from '../../../lib/expressions/condition';
import { parseCondition, type ParseOptions } from '../../../lib/expressions/parser';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { thrown } from '../../support/thrown';

// User's properties and the attribute names they are stored under.
const ATTRIBUTES: Record<string, string> = {
  id: 'pk',
  age: 'age',
  email: 'email_address',
  status: 'status',
  name: 'name',
  size: 'size',
  tags: 'tags',
  address: 'addr',
  a: 'a',
  b: 'b',
  c: 'c',
};
const PARAMS = { x: 1, y: 2, s: 'active', t: 'SS', p: 'ab', list: [1, 2] };

function options(params: Record<string, unknown> | undefined = PARAMS): ParseOptions {
  return { resolveName: (property) => ATTRIBUTES[property], params, model: 'User', properties: Object.keys(ATTRIBUTES) };
}

const parse = (text: string, params?: Record<string, unknown>) => parseCondition(text, options(params));

function compile(node: Condition) {
  const p = new Placeholders();
  const expression = compileCondition(node, p);
  return { expression, ...p.toParams() };
}

const compileText = (text: string, params?: Record<string, unknown>) => compile(parse(text, params));
const expressionOf = (text: string) => compileText(text).expression;
const failure = (text: string, params?: Record<string, unknown>) => thrown(QueryError, () => parse(text, params)).message;

describe('expressions: parser', () => {
  describe('every construct', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
      it(`comparator ${op}`, () => {
        expect(compileText(`age ${op} :x`)).to.deep.equal({
          expression: `#n1 ${op} :v1`,
          ExpressionAttributeNames: { '#n1': 'age' },
          ExpressionAttributeValues: { ':v1': 1 },
        });
      });
    }

    it('comparisons between any two operands', () => {
      expect(compileText('a < b')).to.deep.equal({ expression: '#n1 < #n2', ExpressionAttributeNames: { '#n1': 'a', '#n2': 'b' } });
      expect(expressionOf(':x <= age')).to.equal(':v1 <= #n1');
      expect(expressionOf('size(tags) > :x')).to.equal('size(#n1) > :v1');
      expect(expressionOf('size(tags) = size(name)')).to.equal('size(#n1) = size(#n2)');
    });

    it('BETWEEN and IN', () => {
      expect(compileText('age BETWEEN :x AND :y')).to.deep.equal({
        expression: '#n1 BETWEEN :v1 AND :v2',
        ExpressionAttributeNames: { '#n1': 'age' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 2 },
      });
      expect(compileText('status IN (:s, :p, a)')).to.deep.equal({
        expression: '#n1 IN (:v1, :v2, #n2)',
        ExpressionAttributeNames: { '#n1': 'status', '#n2': 'a' },
        ExpressionAttributeValues: { ':v1': 'active', ':v2': 'ab' },
      });
      expect(expressionOf('size(tags) between :x and :y')).to.equal('size(#n1) BETWEEN :v1 AND :v2');
    });

    it('IN takes up to 100 values', () => {
      const params = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, i]));
      const list = (n: number) => Array.from({ length: n }, (_, i) => `:p${i}`).join(', ');
      expect(compileText(`age IN (${list(100)})`, params).expression).to.match(/^#n1 IN \(:v1, .*, :v100\)$/);
      expect(failure(`age IN (${list(101)})`, params).split('\n')[0]).to.equal(`IN takes 1 to 100 values, got 101, at position 4 in 'age IN (${list(101)})'`);
    });

    it('the functions', () => {
      expect(compileText('attribute_exists(email)')).to.deep.equal({
        expression: 'attribute_exists(#n1)',
        ExpressionAttributeNames: { '#n1': 'email_address' },
      });
      expect(expressionOf('attribute_not_exists(id)')).to.equal('attribute_not_exists(#n1)');
      expect(compileText('attribute_type(tags, :t)')).to.deep.equal({
        expression: 'attribute_type(#n1, :v1)',
        ExpressionAttributeNames: { '#n1': 'tags' },
        ExpressionAttributeValues: { ':v1': 'SS' },
      });
      expect(expressionOf('begins_with(name, :p)')).to.equal('begins_with(#n1, :v1)');
      expect(expressionOf('contains(tags, :s)')).to.equal('contains(#n1, :v1)');
      expect(expressionOf('contains(tags, name)')).to.equal('contains(#n1, #n2)');
    });

    it('an identifier followed by ( is a function, spaces or not; otherwise a property, reserved words included', () => {
      expect(expressionOf('attribute_exists (email) AND size (tags) > :x')).to.equal('attribute_exists(#n1) AND size(#n2) > :v1');
      expect(compileText('size = :x AND size(size) > :y AND attribute_exists(size)')).to.deep.equal({
        expression: '#n1 = :v1 AND size(#n1) > :v2 AND attribute_exists(#n1)',
        ExpressionAttributeNames: { '#n1': 'size' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 2 },
      });
      expect(compileText('status = :s AND name <> :p').ExpressionAttributeNames).to.deep.equal({ '#n1': 'status', '#n2': 'name' });
    });

    it('keywords in any case', () => {
      expect(expressionOf('not a = :x and b between :x and :y or c in (:x)')).to.equal('NOT #n1 = :v1 AND #n2 BETWEEN :v1 AND :v2 OR #n3 IN (:v1)');
    });

    it('nested paths: the first segment is a property, the rest stay as written', () => {
      expect(compileText('address.lines[2].zip = :s')).to.deep.equal({
        expression: '#n1.#n2[2].#n3 = :v1',
        ExpressionAttributeNames: { '#n1': 'addr', '#n2': 'lines', '#n3': 'zip' },
        ExpressionAttributeValues: { ':v1': 'active' },
      });
      expect(parse('tags[0][1] = :x')).to.deep.equal(cond.eq(['tags', 0, 1], 1));
      expect(compileText('address.size = :x AND address.and.id = :x').ExpressionAttributeNames).to.deep.equal({
        '#n1': 'addr',
        '#n2': 'size',
        '#n3': 'and',
        '#n4': 'id',
      });
      expect(expressionOf('attribute_exists(address.city) AND size(address.lines) > :x')).to.equal('attribute_exists(#n1.#n2) AND size(#n1.#n3) > :v1');
    });

    it('builds the same nodes as the structured helpers', () => {
      expect(parse('age >= :x')).to.deep.equal(cond.compare(['age'], '>=', 1));
      expect(parse('age BETWEEN :x AND :y')).to.deep.equal(cond.between(['age'], 1, 2));
      expect(parse('status IN (:s, :p)')).to.deep.equal(cond.in(['status'], ['active', 'ab']));
      expect(parse('begins_with(name, :p)')).to.deep.equal(cond.beginsWith(['name'], 'ab'));
      expect(parse('NOT contains(tags, :s)')).to.deep.equal(cond.notContains(['tags'], 'active'));
      expect(parse('attribute_exists(email) OR attribute_not_exists(id)')).to.deep.equal(cond.or(cond.exists(['email_address']), cond.notExists(['pk'])));
      expect(parse('size(tags) > :x')).to.deep.equal(cond.comparison(operand.size(['tags']), '>', operand.value(1)));
    });
  });

  describe("DynamoDB's precedence: comparisons, NOT, AND, OR", () => {
    const a = cond.eq(['a'], 1);
    const b = cond.eq(['b'], 1);
    const c = cond.eq(['c'], 1);

    it('a OR b AND c is a OR (b AND c)', () => {
      expect(parse('a = :x OR b = :x AND c = :x')).to.deep.equal(cond.or(a, cond.and(b, c)));
      expect(expressionOf('a = :x OR b = :x AND c = :x')).to.equal('#n1 = :v1 OR #n2 = :v1 AND #n3 = :v1');
    });

    it('a AND b OR c is (a AND b) OR c', () => {
      expect(parse('a = :x AND b = :x OR c = :x')).to.deep.equal(cond.or(cond.and(a, b), c));
    });

    it('NOT a AND b is (NOT a) AND b; NOT a OR b is (NOT a) OR b', () => {
      expect(parse('NOT a = :x AND b = :x')).to.deep.equal(cond.and(cond.not(a), b));
      expect(parse('NOT a = :x OR b = :x')).to.deep.equal(cond.or(cond.not(a), b));
      expect(expressionOf('NOT a = :x AND b = :x')).to.equal('NOT #n1 = :v1 AND #n2 = :v1');
    });

    it('NOT binds to the comparison, BETWEEN or IN after it', () => {
      expect(parse('NOT a BETWEEN :x AND :y')).to.deep.equal(cond.not(cond.between(['a'], 1, 2)));
      expect(parse('NOT a IN (:x) AND b = :x')).to.deep.equal(cond.and(cond.not(cond.in(['a'], [1])), b));
    });

    it("BETWEEN's AND is its own, the next AND joins conditions", () => {
      expect(parse('a BETWEEN :x AND :y AND b = :x')).to.deep.equal(cond.and(cond.between(['a'], 1, 2), b));
    });

    it('parentheses override it, and are kept only where needed', () => {
      expect(parse('(a = :x OR b = :x) AND c = :x')).to.deep.equal(cond.and(cond.or(a, b), c));
      expect(expressionOf('(a = :x OR b = :x) AND c = :x')).to.equal('(#n1 = :v1 OR #n2 = :v1) AND #n3 = :v1');
      expect(parse('NOT (a = :x AND b = :x)')).to.deep.equal(cond.not(cond.and(a, b)!));
      expect(expressionOf('NOT (a = :x OR b = :x) AND c = :x')).to.equal('NOT (#n1 = :v1 OR #n2 = :v1) AND #n3 = :v1');
      expect(expressionOf('a = :x AND (b = :x AND c = :x)')).to.equal('#n1 = :v1 AND #n2 = :v1 AND #n3 = :v1');
      expect(expressionOf('a = :x OR (b = :x AND c = :x)')).to.equal('#n1 = :v1 OR #n2 = :v1 AND #n3 = :v1');
    });

    it('nested and doubled parentheses parse, and compile without the redundant ones', () => {
      expect(parse('((a = :x))')).to.deep.equal(a);
      expect(parse('(((a = :x) OR ((b = :x))))')).to.deep.equal(cond.or(a, b));
      expect(expressionOf('((a = :x)) AND ((b = :x OR (c = :x)))')).to.equal('#n1 = :v1 AND (#n2 = :v1 OR #n3 = :v1)');
      expect(expressionOf('NOT ((NOT (a = :x)))')).to.equal('NOT (NOT #n1 = :v1)');
    });

    it('NOT NOT', () => {
      expect(parse('NOT NOT a = :x')).to.deep.equal(cond.not(cond.not(a)));
    });
  });

  describe('params', () => {
    it('each param is one placeholder, however often it is used; unused params are not sent', () => {
      expect(compileText('a = :x OR b = :x OR c BETWEEN :x AND :y')).to.deep.equal({
        expression: '#n1 = :v1 OR #n2 = :v1 OR #n3 BETWEEN :v1 AND :v2',
        ExpressionAttributeNames: { '#n1': 'a', '#n2': 'b', '#n3': 'c' },
        ExpressionAttributeValues: { ':v1': 1, ':v2': 2 },
      });
    });

    it('values are never spliced into the text, whatever they contain; param names that look like placeholders are just names', () => {
      const params = { v1: 'x) OR attribute_exists(id', n1: ':v1', evil: '#n1 = :v1' };
      expect(compileText('name = :v1 OR name = :n1 OR status = :evil', params)).to.deep.equal({
        expression: '#n1 = :v1 OR #n1 = :v2 OR #n2 = :v3',
        ExpressionAttributeNames: { '#n1': 'name', '#n2': 'status' },
        ExpressionAttributeValues: { ':v1': 'x) OR attribute_exists(id', ':v2': ':v1', ':v3': '#n1 = :v1' },
      });
    });

    it('a param keeps its value as given: null, arrays, sets, objects', () => {
      const set = new Set(['a']);
      expect(compileText('a = :n OR b = :l OR c = :s', { n: null, l: [1], s: set }).ExpressionAttributeValues).to.deep.equal({
        ':v1': null,
        ':v2': [1],
        ':v3': set,
      });
    });

    it('placeholders are shared with the other expressions of the request', () => {
      const p = new Placeholders();
      const key = compileCondition(cond.eq(['pk'], 'u1'), p);
      const filter = compileCondition(parse('status = :s AND age > :x'), p);
      expect({ key, filter, ...p.toParams() }).to.deep.equal({
        key: '#n1 = :v1',
        filter: '#n2 = :v2 AND #n3 > :v3',
        ExpressionAttributeNames: { '#n1': 'pk', '#n2': 'status', '#n3': 'age' },
        ExpressionAttributeValues: { ':v1': 'u1', ':v2': 'active', ':v3': 1 },
      });
    });
  });

  describe('encode: params as the property they meet stores them', () => {
    const calls: string[] = [];
    const encode = (property: string, value: unknown, as: 'value' | 'member') => {
      calls.push(`${as} ${property} ${String(value)}`);
      return value instanceof Date ? value.toISOString() : `${property}:${String(value)}`;
    };
    const withEncode = (text: string, params: Record<string, unknown>) => compile(parseCondition(text, { ...options(params), encode }));
    beforeEach(() => (calls.length = 0));

    it('each param compared with a top-level property, on either side, in BETWEEN, IN and begins_with, is a value of it', () => {
      const since = new Date('2024-01-02T03:04:05.000Z');
      expect(
        withEncode('age > :d AND :x <= name AND age BETWEEN :x AND :d AND status IN (:x, :y) AND begins_with(name, :y)', { d: since, x: 1, y: 2 }),
      ).to.deep.equal({
        expression: '#n1 > :v1 AND :v2 <= #n2 AND #n1 BETWEEN :v3 AND :v1 AND #n3 IN (:v4, :v5) AND begins_with(#n2, :v6)',
        ExpressionAttributeNames: { '#n1': 'age', '#n2': 'name', '#n3': 'status' },
        ExpressionAttributeValues: {
          ':v1': '2024-01-02T03:04:05.000Z',
          ':v2': 'name:1',
          ':v3': 'age:1',
          ':v4': 'status:1',
          ':v5': 'status:2',
          ':v6': 'name:2',
        },
      });
      expect(calls).to.deep.equal([`value age ${String(since)}`, 'value name 1', 'value age 1', 'value status 1', 'value status 2', 'value name 2']);
    });

    it('contains looks for a member', () => {
      expect(withEncode('contains(tags, :x)', { x: 'vip' }).ExpressionAttributeValues).to.deep.equal({ ':v1': 'tags:vip' });
      expect(calls).to.deep.equal(['member tags vip']);
    });

    it('a param met twice by one property is encoded once; params beside nested paths, size or another param stay as given', () => {
      expect(withEncode('a = :x OR a = :x OR address.zip = :x OR size(tags) > :x OR :x = :x', { x: 1 })).to.deep.equal({
        expression: '#n1 = :v1 OR #n1 = :v1 OR #n2.#n3 = :v2 OR size(#n4) > :v2 OR :v2 = :v2',
        ExpressionAttributeNames: { '#n1': 'a', '#n2': 'addr', '#n3': 'zip', '#n4': 'tags' },
        ExpressionAttributeValues: { ':v1': 'a:1', ':v2': 1 },
      });
      expect(calls).to.deep.equal(['value a 1']);
    });

    it('an error of encode reaches the caller', () => {
      const refuse = () => {
        throw new QueryError('User.age: not a number');
      };
      expect(thrown(QueryError, () => parseCondition('age = :x', { ...options(), encode: refuse })).message).to.equal('User.age: not a number');
    });
  });

  describe('combined with other conditions', () => {
    it("a user's '(a OR b)' alone has no parentheses, and one pair next to other conditions", () => {
      const user = parse('(a = :x OR b = :y)');
      expect(compile(user).expression).to.equal('#n1 = :v1 OR #n2 = :v2');
      expect(compile(cond.and(cond.eq(['status'], 'on'), user)!).expression).to.equal('#n1 = :v1 AND (#n2 = :v2 OR #n3 = :v3)');
      expect(compile(cond.and(user, parse('((c = :x))'), cond.not(cond.compare(['ttl'], '<', 5)))!).expression).to.equal(
        '(#n1 = :v1 OR #n2 = :v2) AND #n3 = :v3 AND NOT #n4 < :v4',
      );
    });

    it('two filter expressions keep their own meaning', () => {
      const node = cond.and(parse('a = :x OR b = :x'), parse('NOT c = :x OR a = :y'))!;
      expect(compile(node).expression).to.equal('(#n1 = :v1 OR #n2 = :v1) AND (NOT #n3 = :v2 OR #n1 = :v3)');
      expect(compile(cond.or(parse('a = :x AND b = :x'), parse('c = :x'))!).expression).to.equal('#n1 = :v1 AND #n2 = :v1 OR #n3 = :v2');
    });
  });

  describe('errors: a QueryError that shows the place', () => {
    const syntax: Array<[string, number, string]> = [
      ['', 0, 'expected a condition'],
      ['   ', 3, 'expected a condition'],
      ['a = :x AND', 10, 'expected a condition after AND'],
      ['a = :x OR', 9, 'expected a condition after OR'],
      ['NOT', 3, 'expected a condition after NOT'],
      ['a = :x AND OR b = :x', 11, 'expected a condition after AND, found OR'],
      ['()', 1, "expected a condition after '(', found ')'"],
      ['a', 1, "expected a comparator (=, <>, <, <=, >, >=), BETWEEN or IN after 'a'"],
      ['a OR b = :x', 2, "expected a comparator (=, <>, <, <=, >, >=), BETWEEN or IN after 'a', found OR"],
      ['address.lines[0] :x', 17, "expected a comparator (=, <>, <, <=, >, >=), BETWEEN or IN after 'address.lines[0]', found ':x'"],
      ['a = ', 4, "expected a property, a :param or size(path) after '='"],
      ['a = AND', 4, "expected a property, a :param or size(path) after '=', found AND"],
      ['a = 5', 4, "values cannot be written in the expression: use a param, e.g. ':n' with params { n: 5 }"],
      ['5 = a', 0, "values cannot be written in the expression: use a param, e.g. ':n' with params { n: 5 }"],
      ['a BETWEEN :x', 12, 'expected AND between the two bounds of BETWEEN'],
      ['a BETWEEN :x OR :y', 13, 'expected AND between the two bounds of BETWEEN, found OR'],
      ['a BETWEEN :x AND', 16, 'expected a property, a :param or size(path) after AND'],
      ['a IN :x', 5, "expected '(' after IN, found ':x'"],
      ['a IN ()', 6, 'IN takes 1 to 100 values, got none'],
      ['a IN (:x :y)', 9, "expected ',' or ')' in the list of IN, found ':y'"],
      ['a IN (:x,)', 9, "expected a property, a :param or size(path) after ',', found ')'"],
      ['(a = :x', 7, "expected ')' to close the '(' at position 0"],
      ['((a = :x) OR b = :x', 19, "expected ')' to close the '(' at position 0"],
      ['a = :x)', 6, "unmatched ')'"],
      ['a = :x b = :x', 7, "expected AND or OR before 'b'"],
      ['a = :x NOT b = :x', 7, 'expected AND or OR before NOT'],
      ['a. = :x', 3, "expected a name after '.', found '='"],
      ['a[x] = :x', 2, "expected a list index (a number) after '[', found 'x'"],
      ['a[1 = :x', 4, "expected ']' after the list index, found '='"],
      [
        'foo(a)',
        0,
        "unknown function 'foo' (functions are case-sensitive: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size)",
      ],
      [
        'Begins_With(a, :p)',
        0,
        "unknown function 'Begins_With' (functions are case-sensitive: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size)",
      ],
      [
        'a = lower(b)',
        4,
        "unknown function 'lower' (functions are case-sensitive: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size)",
      ],
      ['begins_with(a)', 0, 'begins_with takes 2 arguments: begins_with(path, :prefix); got 1'],
      ['attribute_exists()', 0, 'attribute_exists takes 1 argument: attribute_exists(path); got 0'],
      ['attribute_exists(a, b)', 0, 'attribute_exists takes 1 argument: attribute_exists(path); got 2'],
      ['size(a, b) > :x', 0, 'size takes 1 argument: size(path); got 2'],
      ['contains(a :x)', 11, "expected ',' or ')' in contains(...), found ':x'"],
      ['contains(:x, a)', 9, 'the first argument of contains must be a property path: contains(path, :value)'],
      ['attribute_exists(:x)', 17, 'the first argument of attribute_exists must be a property path: attribute_exists(path)'],
      ['attribute_type(a, b)', 18, 'the second argument of attribute_type must be a :param: attribute_type(path, :type)'],
      ['size(:x) > :y', 5, 'the first argument of size must be a property path: size(path)'],
      ['begins_with(a, size(b))', 15, 'size(...) cannot be an argument of begins_with: begins_with(path, :prefix)'],
      ['size(tags)', 10, "size(...) is a number, not a condition: compare it, e.g. 'size(tags) > :n'"],
      ['size(tags) AND a = :x', 11, "size(...) is a number, not a condition: compare it, e.g. 'size(tags) > :n'"],
      ['attribute_exists(a) = :x', 20, 'attribute_exists(...) is a condition, not a value to compare'],
      ['a = contains(b, :x)', 4, 'contains(...) is a condition, not a value to compare'],
    ];
    for (const [text, position, problem] of syntax) {
      it(`${JSON.stringify(text)}: ${problem}`, () => {
        expect(failure(text)).to.equal(`Syntax error at position ${position} in '${text}': ${problem}\n  ${text}\n  ${' '.repeat(position)}^`);
      });
    }

    it('the example: a condition missing after AND', () => {
      expect(failure('age >= :x AND')).to.equal(
        "Syntax error at position 13 in 'age >= :x AND': expected a condition after AND\n  age >= :x AND\n               ^",
      );
    });

    it('a name that is not a property, with the model and its properties', () => {
      expect(failure('status = :s AND nmae = :p')).to.equal(
        "'nmae' is not a property of User (known: id, age, email, status, name, size, tags, address, a, b, c), at position 16 in 'status = :s AND nmae = :p'\n" +
          '  status = :s AND nmae = :p\n' +
          '                  ^',
      );
      expect(thrown(QueryError, () => parseCondition('x = :a', { resolveName: () => undefined, params: { a: 1 } })).message.split('\n')[0]).to.equal(
        "'x' is not a property of the model, at position 0 in 'x = :a'",
      );
    });

    it('attribute names are not property names: the property is what an expression names', () => {
      expect(failure('email_address = :s').split('\n')[0]).to.match(/^'email_address' is not a property of User/);
      expect(failure('attribute_exists(pk)').split('\n')[0]).to.match(/^'pk' is not a property of User/);
    });

    it('a param that is not supplied, or is undefined', () => {
      expect(failure('age > :min')).to.equal("':min' is used but params has no 'min', at position 6 in 'age > :min'\n  age > :min\n        ^");
      expect(failure('age > :x', {}).split('\n')[0]).to.equal("':x' is used but params has no 'x', at position 6 in 'age > :x'");
      expect(thrown(QueryError, () => parseCondition('age > :x', { resolveName: (p) => p })).message.split('\n')[0]).to.equal(
        "':x' is used but params has no 'x', at position 6 in 'age > :x'",
      );
      expect(failure('age > :x', { x: undefined }).split('\n')[0]).to.equal(
        "':x' is undefined in params (DynamoDB has no undefined: use null, or leave the condition out), at position 6 in 'age > :x'",
      );
      expect(failure('age > :toString', {}).split('\n')[0]).to.equal("':toString' is used but params has no 'toString', at position 6 in 'age > :toString'");
    });

    it('the first problem from the left is the one reported', () => {
      expect(failure('nmae = :missing').split('\n')[0]).to.match(/^'nmae' is not a property/);
      expect(failure('a = :missing AND').split('\n')[0]).to.match(/^':missing' is used/);
    });
  });
});
