import { MAX_IN_VALUES, type CompareOperator, type Condition, type Operand, type Path } from './condition';
import { expressionError } from './expression-error';
import { tokenize, type Keyword, type Token } from './tokenizer';

/** What the parser needs to know of the model an expression string is about. */
export interface ParseOptions {
  /** The attribute name of a property (the first segment of a path), or undefined if there is no such property. */
  resolveName(property: string): string | undefined;
  /** The values of the `:name` params; only those used end up in the condition. */
  params?: Readonly<Record<string, unknown>>;
  /** The model's name, for errors: `'nmae' is not a property of User`. */
  model?: string;
  /** The model's property names, listed when a name is unknown. */
  properties?: readonly string[];
  /**
   * Turns a param into what the property stores (a Date into its string, ...), called for each
   * param compared with a top-level property (`=`, `<>`, `<`, ..., BETWEEN, IN, begins_with:
   * `'value'`) or looked for in it (contains: `'member'`). Params elsewhere stay as given.
   */
  encode?(property: string, value: unknown, as: 'value' | 'member'): unknown;
}

/** Functions that are conditions, with the arguments they take (`size` is an operand, not a condition). */
const FUNCTIONS: Record<string, { args: ReadonlyArray<'path' | 'operand' | 'param'>; usage: string }> = {
  attribute_exists: { args: ['path'], usage: 'attribute_exists(path)' },
  attribute_not_exists: { args: ['path'], usage: 'attribute_not_exists(path)' },
  attribute_type: { args: ['path', 'param'], usage: 'attribute_type(path, :type)' },
  begins_with: { args: ['path', 'operand'], usage: 'begins_with(path, :prefix)' },
  contains: { args: ['path', 'operand'], usage: 'contains(path, :value)' },
  size: { args: ['path'], usage: 'size(path)' },
};
const FUNCTION_NAMES = Object.keys(FUNCTIONS).join(', ');
const ORDINALS = ['first', 'second'];

interface Argument {
  readonly operand: Operand;
  readonly token: Token;
}

/**
 * Parses a condition expression string (DynamoDB's grammar, written with property names and
 * `:name` params) into a condition node. Precedence is DynamoDB's: comparisons and functions,
 * then NOT, then AND, then OR. Property names become attribute names through `resolveName`
 * (only a path's first segment; nested names and `[n]` indexes stay as written); each param
 * becomes one value operand, however often it is used. Every problem is a QueryError that
 * points at its position: a syntax error, an unknown property, a param missing from `params`.
 *
 * @example
 * const node = parseCondition('attribute_exists(email) AND size(tags) > :n', { resolveName: (p) => p, params: { n: 1 } });
 * compileCondition(node, p); // 'attribute_exists(#n1) AND size(#n2) > :v1', with :v1 = 1
 */
export function parseCondition(text: string, options: ParseOptions): Condition {
  return new Parser(text, options).parse();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private readonly params = new Map<string, Operand>();
  /** The param of each param operand, and the property of each top-level path operand, for `encode`. */
  private readonly origins = new WeakMap<Operand, string>();
  private readonly encodings = new Map<string, Operand>();

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
  ) {
    this.tokens = tokenize(text);
  }

  parse(): Condition {
    const node = this.or('');
    const t = this.peek();
    if (t.kind === ')') throw this.syntax(t, "unmatched ')'");
    if (t.kind !== 'end') throw this.syntax(t, `expected AND or OR before ${describe(t)}`);
    return node;
  }

  // Each level's first operand may follow a token the message names: "expected a condition after AND".
  private or(after: string): Condition {
    const conditions = [this.and(after)];
    while (this.keyword('OR')) conditions.push(this.and('after OR'));
    return conditions.length === 1 ? conditions[0] : { kind: 'or', conditions };
  }

  private and(after: string): Condition {
    const conditions = [this.not(after)];
    while (this.keyword('AND')) conditions.push(this.not('after AND'));
    return conditions.length === 1 ? conditions[0] : { kind: 'and', conditions };
  }

  private not(after: string): Condition {
    if (this.keyword('NOT')) return { kind: 'not', condition: this.not('after NOT') };
    return this.primary(after);
  }

  private primary(after: string): Condition {
    const t = this.peek();
    if (t.kind === '(') {
      this.index++;
      const inner = this.or("after '('");
      this.expect(')', `expected ')' to close the '(' at position ${t.start}`);
      return inner;
    }
    if (t.kind === 'name' && this.peek(1).kind === '(' && t.text !== 'size') return this.conditionFunction();
    if (t.kind === 'name' || t.kind === 'param') {
      const left = this.operand('');
      return this.predicate(left, this.text.slice(t.start, this.peek().start).trim());
    }
    if (t.kind === 'number') throw this.valueInText(t);
    throw this.expected(`expected a condition${after ? ` ${after}` : ''}`, t);
  }

  /** What follows a left operand: a comparator, BETWEEN or IN. */
  private predicate(left: Operand, leftText: string): Condition {
    const t = this.peek();
    if (t.kind === 'comparator') {
      this.index++;
      const right = this.operand(`after '${t.text}'`);
      return { kind: 'compare', left: this.encoded(left, right), op: t.text as CompareOperator, right: this.encoded(right, left) };
    }
    if (this.keyword('BETWEEN')) {
      const low = this.operand('after BETWEEN');
      if (!this.keyword('AND')) throw this.expected('expected AND between the two bounds of BETWEEN', this.peek());
      const high = this.operand('after AND');
      return { kind: 'between', operand: left, low: this.encoded(low, left), high: this.encoded(high, left) };
    }
    if (this.keyword('IN')) {
      this.expect('(', "expected '(' after IN");
      if (this.peek().kind === ')') throw this.syntax(this.peek(), `IN takes 1 to ${MAX_IN_VALUES} values, got none`);
      const values = [this.operand("after '('")];
      while (this.peek().kind === ',') {
        this.index++;
        values.push(this.operand("after ','"));
      }
      this.expect(')', "expected ',' or ')' in the list of IN");
      if (values.length > MAX_IN_VALUES) throw expressionError(this.text, t.start, `IN takes 1 to ${MAX_IN_VALUES} values, got ${values.length}`);
      return { kind: 'in', operand: left, values: values.map((v) => this.encoded(v, left)) };
    }
    if (left.kind === 'size' && (t.kind === 'end' || t.kind === ')' || t.kind === 'keyword')) {
      throw this.syntax(t, `size(...) is a number, not a condition: compare it, e.g. '${leftText} > :n'`);
    }
    throw this.expected(`expected a comparator (=, <>, <, <=, >, >=), BETWEEN or IN after '${leftText}'`, t);
  }

  private operand(after: string): Operand {
    const t = this.peek();
    if (t.kind === 'param') {
      this.index++;
      return this.param(t);
    }
    if (t.kind === 'name' && this.peek(1).kind === '(') {
      if (t.text !== 'size') {
        throw FUNCTIONS[t.text] ? this.syntax(t, `${t.text}(...) is a condition, not a value to compare`) : this.unknownFunction(t);
      }
      const [arg] = this.call(t);
      return { kind: 'size', path: (arg.operand as { path: Path }).path };
    }
    if (t.kind === 'name') {
      const node: Operand = { kind: 'path', path: this.path() };
      if (node.path.length === 1) this.origins.set(node, t.text);
      return node;
    }
    if (t.kind === 'number') throw this.valueInText(t);
    throw this.expected(`expected a property, a :param or size(path)${after ? ` ${after}` : ''}`, t);
  }

  private conditionFunction(): Condition {
    const t = this.peek();
    if (!FUNCTIONS[t.text]) throw this.unknownFunction(t);
    const [subject, second] = this.call(t);
    if (this.peek().kind === 'comparator') throw this.syntax(this.peek(), `${t.text}(...) is a condition, not a value to compare`);
    const path = (subject.operand as { path: Path }).path;
    switch (t.text) {
      case 'attribute_exists':
        return { kind: 'exists', path };
      case 'attribute_not_exists':
        return { kind: 'not_exists', path };
      case 'attribute_type':
        return { kind: 'attribute_type', path, type: second.operand };
      default:
        return {
          kind: t.text as 'begins_with' | 'contains',
          path,
          operand: this.encoded(second.operand, subject.operand, t.text === 'contains' ? 'member' : 'value'),
        };
    }
  }

  /** A function's arguments, checked against what it takes. */
  private call(name: Token): Argument[] {
    const spec = FUNCTIONS[name.text];
    this.index += 2;
    const args: Argument[] = [];
    for (let more = this.peek().kind !== ')'; more;) {
      const token = this.peek();
      args.push({ token, operand: this.operand(args.length ? "after ','" : "after '('") });
      more = this.peek().kind === ',';
      if (more) this.index++;
    }
    this.expect(')', `expected ',' or ')' in ${name.text}(...)`);
    if (args.length !== spec.args.length) {
      throw this.syntax(name, `${name.text} takes ${spec.args.length} argument${spec.args.length > 1 ? 's' : ''}: ${spec.usage}; got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const want = spec.args[i];
      const got = arg.operand.kind;
      if (got === 'size') throw this.syntax(arg.token, `size(...) cannot be an argument of ${name.text}: ${spec.usage}`);
      if (want === 'path' && got !== 'path') throw this.syntax(arg.token, `the ${ORDINALS[i]} argument of ${name.text} must be a property path: ${spec.usage}`);
      if (want === 'param' && got !== 'value') throw this.syntax(arg.token, `the ${ORDINALS[i]} argument of ${name.text} must be a :param: ${spec.usage}`);
    });
    return args;
  }

  /** A document path; its first segment is a property, the rest stay as written. */
  private path(): Path {
    const first = this.tokens[this.index++];
    const attribute = this.options.resolveName(first.text);
    if (attribute === undefined) throw expressionError(this.text, first.start, this.unknownName(first.text));
    const path: Array<string | number> = [attribute];
    for (;;) {
      const t = this.peek();
      if (t.kind === '.') {
        this.index++;
        const segment = this.peek();
        if (segment.kind !== 'name' && segment.kind !== 'keyword') throw this.expected("expected a name after '.'", segment);
        this.index++;
        path.push(segment.text);
      } else if (t.kind === '[') {
        this.index++;
        const n = this.peek();
        if (n.kind !== 'number') throw this.expected("expected a list index (a number) after '['", n);
        this.index++;
        path.push(Number(n.text));
        this.expect(']', "expected ']' after the list index");
      } else {
        return path;
      }
    }
  }

  private param(t: Token): Operand {
    const known = this.params.get(t.value);
    if (known) return known;
    const params = this.options.params;
    if (!params || !Object.prototype.hasOwnProperty.call(params, t.value)) {
      throw expressionError(this.text, t.start, `'${t.text}' is used but params has no '${t.value}'`);
    }
    if (params[t.value] === undefined) {
      throw expressionError(this.text, t.start, `'${t.text}' is undefined in params (DynamoDB has no undefined: use null, or leave the condition out)`);
    }
    const node: Operand = { kind: 'value', value: params[t.value] };
    this.params.set(t.value, node);
    this.origins.set(node, t.value);
    return node;
  }

  /** A param operand as `encode` turns it for the property `other` is; one operand per param, property and use. */
  private encoded(node: Operand, other: Operand, as: 'value' | 'member' = 'value'): Operand {
    const param = this.origins.get(node);
    const property = this.origins.get(other);
    if (!this.options.encode || node.kind !== 'value' || other.kind !== 'path' || param === undefined || property === undefined) return node;
    const key = `${as} ${property} ${param}`;
    let encoded = this.encodings.get(key);
    if (!encoded) {
      encoded = { kind: 'value', value: this.options.encode(property, node.value, as) };
      this.encodings.set(key, encoded);
    }
    return encoded;
  }

  private unknownName(name: string): string {
    const { model, properties } = this.options;
    return `'${name}' is not a property of ${model ?? 'the model'}${properties ? ` (known: ${properties.join(', ')})` : ''}`;
  }

  private unknownFunction(t: Token) {
    return this.syntax(t, `unknown function '${t.text}' (functions are case-sensitive: ${FUNCTION_NAMES})`);
  }

  private valueInText(t: Token) {
    return this.syntax(t, `values cannot be written in the expression: use a param, e.g. ':n' with params { n: ${t.text} }`);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private keyword(word: Keyword): boolean {
    const t = this.peek();
    if (t.kind !== 'keyword' || t.value !== word) return false;
    this.index++;
    return true;
  }

  private expect(kind: Token['kind'], message: string): void {
    const t = this.peek();
    if (t.kind !== kind) throw this.expected(message, t);
    this.index++;
  }

  private expected(message: string, t: Token) {
    return this.syntax(t, t.kind === 'end' ? message : `${message}, found ${describe(t)}`);
  }

  private syntax(t: Token, message: string) {
    return expressionError(this.text, t.start, message, 'syntax');
  }
}

function describe(t: Token): string {
  return t.kind === 'keyword' ? t.value : `'${t.text}'`;
}
