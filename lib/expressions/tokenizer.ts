import { expressionError } from './expression-error';

/** AND, OR, NOT, BETWEEN and IN, in any case (DynamoDB's keywords are case-insensitive). */
export type Keyword = 'AND' | 'OR' | 'NOT' | 'BETWEEN' | 'IN';

/**
 * One token of an expression string. `value` is the keyword in capitals, the param's name
 * without its colon, or the text itself; `start` is its 0-based position.
 */
export interface Token {
  readonly kind: 'name' | 'keyword' | 'param' | 'number' | 'comparator' | '(' | ')' | ',' | '.' | '[' | ']' | 'end';
  readonly text: string;
  readonly value: string;
  readonly start: number;
}

const KEYWORDS = new Set<string>(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const NAME = /[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*/uy;
const PARAM = /:([\p{ID_Continue}$]+)/uy;
const NUMBER = /[0-9]+/y;
const SPACE = /[ \t\r\n]+/y;
const COMPARATOR = /<>|<=|>=|=|<|>/y;

// Things people write from habit in other languages, each with what DynamoDB takes instead.
const HABITS: Array<[RegExp, string]> = [
  [/==/y, "use '=' to compare, not '=='"],
  [/!=/y, "use '<>' for 'not equal', not '!='"],
  [/&&/y, "use AND, not '&&'"],
  [/\|\|/y, "use OR, not '||'"],
  [/!/y, "use NOT, not '!'"],
  [/#/y, "write property names as they are: dynamorm puts every name in a '#' placeholder itself"],
  [/['"`]/y, "values cannot be written in the expression: use a param, e.g. ':name' with params { name: 'x' }"],
  [/:/y, "expected a param name after ':', e.g. ':minAge'"],
];

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/**
 * Splits an expression string into tokens, ending with an `end` token. Numbers are only list
 * indexes (`a[2]`); the parser says so when one stands anywhere else.
 *
 * @example
 * tokenize('size(tags) > :n').map((t) => t.kind);
 * // ['name', '(', 'name', ')', 'comparator', 'param', 'end']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (kind: Token['kind'], raw: string, value = raw) => {
    tokens.push({ kind, text: raw, value, start: at });
    at += raw.length;
  };
  while (at < text.length) {
    let m: RegExpExecArray | null;
    if ((m = match(SPACE, text, at))) {
      at += m[0].length;
    } else if ((m = match(NAME, text, at))) {
      const upper = m[0].toUpperCase();
      if (KEYWORDS.has(upper)) push('keyword', m[0], upper);
      else push('name', m[0]);
    } else if ((m = match(PARAM, text, at))) {
      push('param', m[0], m[1]);
    } else if ((m = match(NUMBER, text, at))) {
      push('number', m[0]);
    } else if ((m = match(COMPARATOR, text, at)) && !match(HABITS[0][0], text, at)) {
      push('comparator', m[0]);
    } else if ('(),.[]'.includes(text[at])) {
      push(text[at] as Token['kind'], text[at]);
    } else {
      const habit = HABITS.find(([re]) => match(re, text, at));
      throw expressionError(text, at, habit ? habit[1] : `unexpected character '${text[at]}'`, 'syntax');
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', start: text.length });
  return tokens;
}
