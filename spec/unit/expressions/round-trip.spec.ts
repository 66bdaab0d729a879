import { expect } from 'chai';
import { compileCondition, cond, type Condition } from '../../../lib/expressions/condition';
import { parseCondition } from '../../../lib/expressions/parser';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { flatten, PARAMS, random, sample } from './random-conditions';

const PROPERTIES = ['a', 'b', 'c', 'd', 's', 'tags'];

/**
 * Reads compiled text back: `#n3` is written `n3` and `:v3` is the param `v3`; with the
 * request's placeholders they are the names and values they stand for, else themselves.
 */
function reparse(text: string, p?: Placeholders): Condition {
  const names = p?.names() ?? {};
  const values = p?.values() ?? {};
  const params = Object.fromEntries([...text.matchAll(/:v(\d+)/g)].map((m) => [`v${m[1]}`, p ? values[m[0]] : Number(m[1])]));
  return parseCondition(text.replace(/#n(\d+)/g, 'n$1'), { resolveName: (name) => (p ? names[`#${name}`] : name), params });
}

/** The condition parentheses of compiled text (not those of a function call or an IN list), as [open, close] pairs. */
function conditionParentheses(text: string): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const open: Array<number | undefined> = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') open.push(i === 0 || text[i - 1] === ' ' || text[i - 1] === '(' ? (text.slice(0, i).endsWith('IN ') ? undefined : i) : undefined);
    if (text[i] === ')') {
      const start = open.pop();
      if (start !== undefined) pairs.push([start, i]);
    }
  }
  return pairs;
}

/**
 * Asserts that every pair of condition parentheses in `text` is needed: without it the text
 * would mean something else. Doubled parentheses (DynamoDB's "redundant parentheses") fail this too.
 */
function expectMinimalParentheses(text: string): void {
  const meaning = flatten(reparse(text));
  for (const [start, end] of conditionParentheses(text)) {
    // NOT (NOT a): the parentheses a local server needs after NOT.
    if (text.slice(0, start).endsWith('NOT ') && text.startsWith('NOT ', start + 1)) continue;
    const without = text.slice(0, start) + text.slice(start + 1, end) + text.slice(end + 1);
    expect(flatten(reparse(without)), `the parentheses at ${start} in '${text}' change nothing`).not.to.deep.equal(meaning);
  }
}

describe('expressions: round trips of random conditions', () => {
  const rand = random(20240611);
  const samples = Array.from({ length: 300 }, () => sample(rand));

  it('parsing what a user would write gives the tree it was written from (parentheses, doubled ones and keyword case aside)', () => {
    for (const s of samples) {
      const parsed = parseCondition(s.text, { resolveName: (p) => (PROPERTIES.includes(p) ? p : undefined), params: PARAMS });
      expect(flatten(parsed), s.text).to.deep.equal(flatten(s.node));
    }
  });

  it('compiled text means the tree it came from, read back by the parser', () => {
    for (const s of samples) {
      const p = new Placeholders();
      const text = compileCondition(s.node, p);
      expect(flatten(reparse(text, p)), text).to.deep.equal(flatten(s.node));
    }
  });

  it('compiled text carries no parentheses that change nothing, alone or combined with other conditions', () => {
    for (const s of samples) {
      expectMinimalParentheses(compileCondition(s.node, new Placeholders()));
      expectMinimalParentheses(compileCondition(cond.and(cond.eq(['pk'], 1), s.node)!, new Placeholders()));
      expectMinimalParentheses(compileCondition(cond.or(s.node, cond.exists(['x']))!, new Placeholders()));
      expectMinimalParentheses(compileCondition(cond.not(s.node), new Placeholders()));
    }
  });

  it('the checks above would catch redundant parentheses', () => {
    expect(() => expectMinimalParentheses('((n1 = :v1)) AND n2 = :v2')).to.throw(/change nothing/);
    expect(() => expectMinimalParentheses('n1 = :v1 OR (n2 = :v2 AND n3 = :v3)')).to.throw(/change nothing/);
    expect(() => expectMinimalParentheses('(n1 = :v1 OR n2 = :v2) AND n3 = :v3')).not.to.throw();
  });
});
