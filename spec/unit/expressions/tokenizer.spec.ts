import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { tokenize } from '../../../lib/expressions/tokenizer';
import { thrown } from '../../support/thrown';

const kinds = (text: string) => tokenize(text).map((t) => t.kind);
const values = (text: string) => tokenize(text).map((t) => t.value);

describe('expressions: tokenizer', () => {
  it('names, params, comparators and punctuation, ending with an end token', () => {
    expect(tokenize('size(tags) > :n')).to.deep.equal([
      { kind: 'name', text: 'size', value: 'size', start: 0 },
      { kind: '(', text: '(', value: '(', start: 4 },
      { kind: 'name', text: 'tags', value: 'tags', start: 5 },
      { kind: ')', text: ')', value: ')', start: 9 },
      { kind: 'comparator', text: '>', value: '>', start: 11 },
      { kind: 'param', text: ':n', value: 'n', start: 13 },
      { kind: 'end', text: '', value: '', start: 15 },
    ]);
  });

  it('every comparator, the two-character ones first', () => {
    expect(values('a=b<>c<d<=e>f>=g').filter((_, i) => i % 2 === 1)).to.deep.equal(['=', '<>', '<', '<=', '>', '>=', '']);
  });

  it('keywords in any case, as capitals', () => {
    expect(
      tokenize('a and b Or NOT c between d In e')
        .filter((t) => t.kind === 'keyword')
        .map((t) => [t.text, t.value]),
    ).to.deep.equal([
      ['and', 'AND'],
      ['Or', 'OR'],
      ['NOT', 'NOT'],
      ['between', 'BETWEEN'],
      ['In', 'IN'],
    ]);
  });

  it('a name that only starts like a keyword is a name', () => {
    expect(kinds('android ordered notes inbox')).to.deep.equal(['name', 'name', 'name', 'name', 'end']);
  });

  it('paths: dots, brackets and index numbers', () => {
    expect(kinds('a.b[2].c')).to.deep.equal(['name', '.', 'name', '[', 'number', ']', '.', 'name', 'end']);
  });

  it('names with _, $, digits and letters beyond ASCII', () => {
    expect(values('_a1 $b créé')).to.deep.equal(['_a1', '$b', 'créé', '']);
  });

  it('params may start with a digit; whitespace of any kind separates', () => {
    expect(tokenize(':1st\t=\r\n:min_age')).to.deep.include.members([
      { kind: 'param', text: ':1st', value: '1st', start: 0 },
      { kind: 'param', text: ':min_age', value: 'min_age', start: 8 },
    ]);
  });

  const refused: Array<[string, string]> = [
    ['a == :v', "Syntax error at position 2 in 'a == :v': use '=' to compare, not '=='\n  a == :v\n    ^"],
    ['a != :v', "Syntax error at position 2 in 'a != :v': use '<>' for 'not equal', not '!='\n  a != :v\n    ^"],
    ['a = :v && b = :w', "Syntax error at position 7 in 'a = :v && b = :w': use AND, not '&&'\n  a = :v && b = :w\n         ^"],
    ['a = :v || b = :w', "Syntax error at position 7 in 'a = :v || b = :w': use OR, not '||'\n  a = :v || b = :w\n         ^"],
    ['!a', "Syntax error at position 0 in '!a': use NOT, not '!'\n  !a\n  ^"],
    [
      '#status = :s',
      "Syntax error at position 0 in '#status = :s': write property names as they are: dynamorm puts every name in a '#' placeholder itself\n  #status = :s\n  ^",
    ],
    [
      "a = 'x'",
      "Syntax error at position 4 in 'a = 'x'': values cannot be written in the expression: use a param, e.g. ':name' with params { name: 'x' }\n  a = 'x'\n      ^",
    ],
    [
      'a = "x"',
      "Syntax error at position 4 in 'a = \"x\"': values cannot be written in the expression: use a param, e.g. ':name' with params { name: 'x' }\n  a = \"x\"\n      ^",
    ],
    ['a = : v', "Syntax error at position 4 in 'a = : v': expected a param name after ':', e.g. ':minAge'\n  a = : v\n      ^"],
    ['a = :v;', "Syntax error at position 6 in 'a = :v;': unexpected character ';'\n  a = :v;\n        ^"],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${JSON.stringify(text)} with a QueryError pointing at the place`, () => {
      expect(thrown(QueryError, () => tokenize(text)).message).to.equal(message);
    });
  }

  it('line breaks and tabs in the expression keep the caret under its character', () => {
    expect(thrown(QueryError, () => tokenize('a = :v\n\tAND b ; c')).message).to.equal(
      "Syntax error at position 14 in 'a = :v  AND b ; c': unexpected character ';'\n  a = :v  AND b ; c\n                ^",
    );
  });
});
