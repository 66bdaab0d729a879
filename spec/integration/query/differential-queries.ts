// Generated queries for the differential test (differential.spec.ts): each case is plain
// data (the builder calls, in the order they are made), so it can be applied to the real
// builder, evaluated in memory (differential-oracle.ts) and printed as code when it fails.
import { compareTV, equalTV, randomString, toTV, type KeySchemaDesc, type Kind, type ModelDesc, type Rng, type Row } from './differential-world';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** One `where(property, op, ...values)` or structured `filter(property, op, ...values)`. */
export interface Clause {
  readonly property: string;
  readonly op: string;
  readonly values: readonly unknown[];
}

/** A document path: a property, and below it map keys and list indexes (`meta.status`, `list[1]`). */
export interface PathRef {
  readonly p: string;
  readonly sub?: ReadonlyArray<string | number>;
}

/** An operand of an expression string. */
export type Operand = ({ readonly k: 'path' } & PathRef) | { readonly k: 'param'; readonly name: string } | ({ readonly k: 'size' } & PathRef);

/** An expression string's tree, as the test means it; the text is rendered from it. */
export type Expr =
  | { readonly k: 'cmp'; readonly left: Operand; readonly op: CompareOp; readonly right: Operand }
  | { readonly k: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly k: 'in'; readonly operand: Operand; readonly values: readonly Operand[] }
  | ({ readonly k: 'begins_with' | 'contains'; readonly arg: Operand } & PathRef)
  | ({ readonly k: 'exists' | 'not_exists' } & PathRef)
  | { readonly k: 'and' | 'or'; readonly parts: readonly Expr[] }
  | { readonly k: 'not'; readonly e: Expr }
  /** Parentheses the user wrote though precedence does not need them. */
  | { readonly k: 'paren'; readonly e: Expr };

export type Filter =
  | ({ readonly kind: 'structured' } & Clause)
  | { readonly kind: 'expression'; readonly text: string; readonly params: Readonly<Record<string, unknown>>; readonly expr: Expr };

export type Call =
  | { readonly m: 'where'; readonly clause: Clause }
  | { readonly m: 'filter'; readonly filter: Filter }
  | { readonly m: 'index'; readonly name: string }
  | { readonly m: 'orderBy'; readonly property: string; readonly direction: 'asc' | 'desc' }
  | { readonly m: 'limit'; readonly n: number }
  | { readonly m: 'offset'; readonly n: number }
  | { readonly m: 'select'; readonly properties: readonly string[] }
  | { readonly m: 'consistent' };

export type Terminal = 'all' | 'count' | 'first' | 'pages';

export interface Case {
  readonly no: number;
  readonly model: ModelDesc;
  readonly scan: boolean;
  readonly calls: readonly Call[];
  readonly terminal: Terminal;
}

// ---------------------------------------------------------------------------------------
// What a case asks, read back from its calls.

export const wheres = (c: Case): Clause[] => c.calls.flatMap((call) => (call.m === 'where' ? [call.clause] : []));
export const filters = (c: Case): Filter[] => c.calls.flatMap((call) => (call.m === 'filter' ? [call.filter] : []));
export const callOf = <M extends Call['m']>(c: Case, m: M): Extract<Call, { m: M }> | undefined =>
  c.calls.find((call) => call.m === m) as Extract<Call, { m: M }> | undefined;

export function exprPaths(e: Expr): string[] {
  const operand = (o: Operand) => (o.k === 'param' ? [] : [o.p]);
  switch (e.k) {
    case 'cmp':
      return [...operand(e.left), ...operand(e.right)];
    case 'between':
      return [...operand(e.operand), ...operand(e.low), ...operand(e.high)];
    case 'in':
      return [...operand(e.operand), ...e.values.flatMap(operand)];
    case 'begins_with':
    case 'contains':
      return [e.p, ...operand(e.arg)];
    case 'exists':
    case 'not_exists':
      return [e.p];
    case 'and':
    case 'or':
      return e.parts.flatMap(exprPaths);
    case 'not':
    case 'paren':
      return exprPaths(e.e);
  }
}

/** Every property the filters name (structured or in expression strings). */
export function filteredProperties(c: Case): Set<string> {
  return new Set(filters(c).flatMap((f) => (f.kind === 'structured' ? [f.property] : exprPaths(f.expr))));
}

// ---------------------------------------------------------------------------------------
// Values for conditions: mostly ones the items hold, so that conditions match something.

const SCALAR: ReadonlySet<Kind> = new Set(['string', 'number', 'date', 'epoch']);
const WHERE_OPS: Record<string, readonly string[]> = {
  string: ['=', '<', '<=', '>', '>=', 'between', 'begins_with'],
  number: ['=', '<', '<=', '>', '>=', 'between'],
};
const FILTER_OPS: Record<Kind, readonly string[]> = {
  string: ['=', '<>', '<', '<=', '>', '>=', 'between', 'begins_with', 'in', 'contains', 'not_contains', 'exists', 'not_exists'],
  number: ['=', '<>', '<', '<=', '>', '>=', 'between', 'in', 'exists', 'not_exists'],
  date: ['=', '<>', '<', '<=', '>', '>=', 'between', 'in', 'exists', 'not_exists'],
  epoch: ['=', '<>', '<', '<=', '>', '>=', 'between', 'in', 'exists', 'not_exists'],
  set: ['contains', 'not_contains', 'contains', 'not_contains', 'exists', 'not_exists', '='],
  list: ['contains', 'not_contains', 'exists', 'not_exists'],
  map: ['exists', 'not_exists'],
};
const whereOps = (kind: Kind) => (kind === 'string' ? WHERE_OPS.string : WHERE_OPS.number);

const codePoints = (s: string) => Array.from(s);

/** Where condition values come from: the model, and the items of the partition the case reads (so that conditions match often). */
interface Source {
  readonly rng: Rng;
  readonly desc: ModelDesc;
  readonly pool: readonly Row[];
}

function seenOf(src: Source, property: string): unknown[] {
  const { kind } = src.desc.props[property];
  // NULL and '' are stored values, but no condition value: a param is never null or ''.
  const usable = (v: unknown) => v !== undefined && v !== null && v !== '' && toTV(v, kind) !== undefined;
  const local = src.pool.map((row) => row[property]).filter(usable);
  return local.length > 0 && src.rng.chance(0.8) ? local : src.desc.seen[property].filter(usable);
}

/** A value to compare `property` with (its own type). */
function compareValue(src: Source, property: string): unknown {
  const { rng, desc } = src;
  const { kind } = desc.props[property];
  const seen = seenOf(src, property);
  if (seen.length > 0 && rng.chance(0.8)) {
    const v = rng.pick(seen);
    return v instanceof Date ? new Date(v.getTime()) : v instanceof Set ? new Set(v) : v;
  }
  switch (kind) {
    case 'number': {
      const numbers = seen as number[];
      const lo = Math.max(Math.min(0, ...numbers) - 3, -Number.MAX_SAFE_INTEGER);
      const hi = Math.min(Math.max(0, ...numbers) + 3, Number.MAX_SAFE_INTEGER);
      return rng.int(lo, hi) + (rng.chance(0.3) ? 0.5 : 0);
    }
    case 'date':
    case 'epoch': {
      const times = (seen as Date[]).map((d) => d.getTime());
      const lo = Math.min(...times) - 86_400_000;
      const hi = Math.max(...times) + 86_400_000;
      const t = lo + Math.floor(rng.next() * (hi - lo));
      return new Date(kind === 'epoch' && rng.chance(0.5) ? t - (t % 1000) : t);
    }
    case 'set':
      return new Set([memberValue(src, property)]);
    default:
      return randomString(rng, 1, 6);
  }
}

/** A prefix for begins_with: of a value the items hold, cut at a code point. */
function prefixValue(src: Source, property: string): string {
  const { rng } = src;
  const seen = seenOf(src, property) as string[];
  if (seen.length === 0 || rng.chance(0.15)) return randomString(rng, 1, 2);
  const chars = codePoints(rng.pick(seen));
  return chars.slice(0, rng.int(1, Math.min(chars.length, 4))).join('');
}

/** What contains() looks for: a substring of a string, a member of a set or list. */
function memberValue(src: Source, property: string): unknown {
  const { rng, desc } = src;
  const { kind } = desc.props[property];
  const seen = seenOf(src, property);
  if (kind === 'set' || kind === 'list') {
    const members = seen.flatMap((v) => [...(v as Iterable<unknown>)]);
    return members.length > 0 && rng.chance(0.85) ? rng.pick(members) : kind === 'list' && rng.chance(0.5) ? rng.int(-2, 12) : randomString(rng, 1, 3);
  }
  if (seen.length === 0 || rng.chance(0.15)) return randomString(rng, 1, 2);
  const chars = codePoints(rng.pick(seen) as string);
  const from = rng.int(0, chars.length - 1);
  return chars.slice(from, from + rng.int(1, 3)).join('');
}

/** low <= high, in DynamoDB's order for the property's type (DynamoDB rejects BETWEEN with low > high). */
function boundsValues(src: Source, property: string): [unknown, unknown] {
  const a = compareValue(src, property);
  const b = compareValue(src, property);
  const { kind } = src.desc.props[property];
  return (compareTV(toTV(a, kind), toTV(b, kind)) ?? 0) <= 0 ? [a, b] : [b, a];
}

function clauseValues(src: Source, property: string, op: string): unknown[] {
  switch (op) {
    case 'between':
      return boundsValues(src, property);
    case 'begins_with':
      return [prefixValue(src, property)];
    case 'contains':
    case 'not_contains':
      return [memberValue(src, property)];
    case 'in':
      return [Array.from({ length: src.rng.int(1, 4) }, () => compareValue(src, property))];
    case 'exists':
    case 'not_exists':
      return [];
    default:
      return [compareValue(src, property)];
  }
}

// ---------------------------------------------------------------------------------------
// Expression strings.

const PARAM_NAMES = ['a', 'n', 'v1', 'lo', 'hi', 'x_y', 'ü', 'Ω2', '$d', 'p1', 'minAge', '_q', 'ß', '1st', 'status'];

class ExprBuilder {
  readonly params: Record<string, unknown> = {};
  /** The property each param was made for, so that a param is reused only where its type fits. */
  readonly madeFor = new Map<string, string>();

  private readonly rng: Rng;
  private readonly desc: ModelDesc;

  constructor(
    private readonly src: Source,
    private readonly props: readonly string[],
  ) {
    this.rng = src.rng;
    this.desc = src.desc;
  }

  /** A param holding `value`, or now and then one made earlier for the same property (unless `fresh`). */
  param(value: unknown, property: string, fresh = false): Operand {
    const reusable = [...this.madeFor].filter(([, p]) => p === property).map(([name]) => name);
    if (!fresh && reusable.length > 0 && this.rng.chance(0.2)) return { k: 'param', name: this.rng.pick(reusable) };
    let name = this.rng.pick(PARAM_NAMES);
    for (let i = 2; name in this.params; i++) name = `${this.rng.pick(PARAM_NAMES)}${i}`;
    this.params[name] = value;
    this.madeFor.set(name, property);
    return { k: 'param', name };
  }

  /**
   * What a compared param is made for: a value of the property's type, so that one param may
   * serve two properties of a type, each converting it its own way (a Date compared with
   * `seen` is an ISO string, with `expires` epoch seconds).
   */
  private valueOf(property: string): string {
    const { kind } = this.desc.props[property];
    return `value ${kind === 'epoch' ? 'date' : kind}`;
  }

  /** A number param for size(): its own "property" so it is reused only with sizes. */
  sizeParam(): Operand {
    return this.param(this.rng.int(0, 5), '#size');
  }

  expr(depth: number): Expr {
    const { rng } = this;
    let e: Expr;
    if (depth >= 2 || rng.chance(0.45)) e = this.leaf();
    else {
      const r = rng.next();
      if (r < 0.4) e = { k: 'and', parts: Array.from({ length: rng.int(2, 3) }, () => this.expr(depth + 1)) };
      else if (r < 0.8) e = { k: 'or', parts: Array.from({ length: rng.int(2, 3) }, () => this.expr(depth + 1)) };
      else e = { k: 'not', e: this.expr(depth + 1) };
    }
    return rng.chance(0.08) ? { k: 'paren', e } : e;
  }

  private of(kinds: readonly Kind[], extra?: (p: string) => boolean): string[] {
    return this.props.filter((p) => kinds.includes(this.desc.props[p].kind) && (!extra || extra(p)));
  }

  /** A condition on a path below an attribute; its params are not converted (only top-level properties' are). */
  private nestedLeaf(): Expr | undefined {
    const { rng } = this;
    const choices = this.desc.nested.filter((n) => this.props.includes(n.p));
    if (choices.length === 0) return undefined;
    const n = rng.pick(choices);
    const ref = { p: n.p, sub: n.sub };
    const value = () => (n.values.length > 0 && rng.chance(0.8) ? rng.pick(n.values) : rng.chance(0.5) ? rng.int(-2, 9) : randomString(rng, 1, 2));
    const strings = n.values.filter((v): v is string => typeof v === 'string');
    const r = rng.next();
    if (r < 0.4)
      return {
        k: 'cmp',
        left: { k: 'path', ...ref },
        op: rng.pick<CompareOp>(['=', '<>', '<', '<=', '>', '>=']),
        right: this.param(value(), `${n.p}${n.sub.join('.')}`),
      };
    if (r < 0.5)
      return {
        k: 'in',
        operand: { k: 'path', ...ref },
        values: [this.param(value(), `${n.p}${n.sub.join('.')}`), this.param(value(), `${n.p}${n.sub.join('.')}`)],
      };
    if (r < 0.6 && strings.length > 0)
      return { k: 'begins_with', ...ref, arg: this.param(codePoints(rng.pick(strings)).slice(0, 2).join(''), `prefix ${n.p}${n.sub.join('.')}`) };
    if (r < 0.7 && strings.length > 0)
      return { k: 'contains', ...ref, arg: this.param(rng.pick(codePoints(rng.pick(strings))), `member ${n.p}${n.sub.join('.')}`) };
    // size() only where every value is a string (DynamoDB's size() of a number is not pinned down).
    if (r < 0.8 && strings.length > 0 && strings.length === n.values.length)
      return { k: 'cmp', left: { k: 'size', ...ref }, op: rng.pick<CompareOp>(['=', '<', '>=']), right: this.sizeParam() };
    return { k: rng.chance(0.5) ? 'exists' : 'not_exists', ...ref };
  }

  leaf(): Expr {
    const { rng, desc, src } = this;
    const scalars = this.of(['string', 'number', 'date', 'epoch']);
    const strings = this.of(['string']);
    // size() of a string, set or list (never of a number, nor of NULL, which `data` may hold).
    const sizable = this.of(['string', 'set', 'list', 'map'], (p) => !desc.props[p].nullable);
    const members = this.of(['string', 'set', 'list']);
    const r = rng.next();
    if (r < 0.08) {
      const nested = this.nestedLeaf();
      if (nested) return nested;
    }
    if (r < 0.32 && scalars.length > 0) {
      const p = rng.pick(scalars);
      const op = rng.pick<CompareOp>(['=', '<>', '<', '<=', '>', '>=']);
      const path: Operand = { k: 'path', p };
      const value = this.param(compareValue(src, p), this.valueOf(p));
      return rng.chance(0.2) ? { k: 'cmp', left: value, op: flip(op), right: path } : { k: 'cmp', left: path, op, right: value };
    }
    if (r < 0.45 && sizable.length > 0) {
      // No <> here: whether size() of a missing attribute is "not equal" is not pinned down.
      const op = rng.pick<CompareOp>(['=', '<', '<=', '>', '>=']);
      const size: Operand = { k: 'size', p: rng.pick(sizable) };
      if (rng.chance(0.15)) {
        const [low, high] = [this.sizeParam(), this.sizeParam()];
        const [a, b] = [this.params[(low as { name: string }).name] as number, this.params[(high as { name: string }).name] as number];
        return a <= b ? { k: 'between', operand: size, low, high } : { k: 'between', operand: size, low: high, high: low };
      }
      return rng.chance(0.2) ? { k: 'cmp', left: this.sizeParam(), op: flip(op), right: size } : { k: 'cmp', left: size, op, right: this.sizeParam() };
    }
    if (r < 0.5) {
      // Two attributes of one type; only < and >, where a missing side is false everywhere.
      const kind = rng.pick<Kind>(['number', 'string', 'date']);
      const pair = rng.some(this.of([kind]), 2);
      if (pair.length === 2) return { k: 'cmp', left: { k: 'path', p: pair[0] }, op: rng.pick<CompareOp>(['<', '>']), right: { k: 'path', p: pair[1] } };
    }
    if (r < 0.6 && scalars.length > 0) {
      const p = rng.pick(scalars);
      const [low, high] = boundsValues(src, p);
      return { k: 'between', operand: { k: 'path', p }, low: this.param(low, p, true), high: this.param(high, p, true) };
    }
    if (r < 0.7 && scalars.length > 0) {
      const p = rng.pick(scalars);
      return { k: 'in', operand: { k: 'path', p }, values: Array.from({ length: rng.int(1, 4) }, () => this.param(compareValue(src, p), this.valueOf(p))) };
    }
    if (r < 0.78 && strings.length > 0) {
      const p = rng.pick(strings);
      return { k: 'begins_with', p, arg: this.param(prefixValue(src, p), `prefix ${p}`) };
    }
    if (r < 0.9 && members.length > 0) {
      const p = rng.pick(members);
      return { k: 'contains', p, arg: this.param(memberValue(src, p), `member ${p}`) };
    }
    return { k: rng.chance(0.5) ? 'exists' : 'not_exists', p: rng.pick(this.props) };
  }
}

function flip(op: CompareOp): CompareOp {
  return ({ '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op];
}

const OR = 1;
const AND = 2;
const NOT = 3;
const LEAF = 4;

function level(e: Expr): number {
  return e.k === 'or' ? OR : e.k === 'and' ? AND : e.k === 'not' ? NOT : LEAF;
}

/** The text of an expression: parentheses where DynamoDB's precedence needs them (and where the tree has redundant ones), keywords in any case, assorted spacing. */
export function renderExpr(rng: Rng, e: Expr): string {
  const space = () => rng.pick([' ', ' ', ' ', '  ', '\n', '\t ']);
  const tight = () => (rng.chance(0.2) ? '' : ' ');
  const kw = (word: string) => rng.pick([word, word, word.toLowerCase(), word[0] + word.slice(1).toLowerCase()]);
  const path = (ref: PathRef) => `${ref.p}${(ref.sub ?? []).map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
  const operand = (o: Operand) => (o.k === 'path' ? path(o) : o.k === 'param' ? `:${o.name}` : `size(${tight()}${path(o)}${tight()})`);
  const render = (node: Expr, parent: number): string => {
    let text: string;
    switch (node.k) {
      case 'cmp':
        text = `${operand(node.left)}${tight()}${node.op}${tight()}${operand(node.right)}`;
        break;
      case 'between':
        text = `${operand(node.operand)}${space()}${kw('BETWEEN')}${space()}${operand(node.low)}${space()}${kw('AND')}${space()}${operand(node.high)}`;
        break;
      case 'in':
        text = `${operand(node.operand)}${space()}${kw('IN')}${tight()}(${node.values.map(operand).join(`,${tight()}`)})`;
        break;
      case 'begins_with':
      case 'contains':
        text = `${node.k}(${path(node)},${tight()}${operand(node.arg)})`;
        break;
      case 'exists':
        text = `attribute_exists(${path(node)})`;
        break;
      case 'not_exists':
        text = `attribute_not_exists(${path(node)})`;
        break;
      case 'and':
      case 'or':
        text = node.parts.map((part) => render(part, level(node))).join(`${space()}${kw(node.k.toUpperCase())}${space()}`);
        break;
      case 'not':
        text = `${kw('NOT')}${space()}${render(node.e, NOT)}`;
        break;
      case 'paren':
        return `(${tight()}${render(node.e, 0)}${tight()})`;
    }
    return level(node) < parent ? `(${text})` : text;
  };
  return render(e, 0);
}

// ---------------------------------------------------------------------------------------
// Cases.

function tryCase(rng: Rng, desc: ModelDesc, no: number): Case {
  const calls: Call[] = [];
  const scan = rng.chance(0.08);
  const target: KeySchemaDesc = rng.pick(desc.keySchemas);
  const all = Object.keys(desc.props);
  const scalars = all.filter((p) => SCALAR.has(desc.props[p].kind));
  const src: { rng: Rng; desc: ModelDesc; pool: readonly Row[] } = { rng, desc, pool: desc.items };
  const where = (property: string, op: string) => calls.push({ m: 'where', clause: { property, op, values: clauseValues(src, property, op) } });
  const keys = scan ? [] : [target.pk, target.sk].filter((p): p is string => p !== undefined);
  if (!scan) {
    // Mostly a partition that exists.
    const partitions = desc.seen[target.pk];
    if (rng.chance(0.95)) calls.push({ m: 'where', clause: { property: target.pk, op: '=', values: [rng.pick(partitions)] } });
    else where(target.pk, '=');
    const partition = toTV((calls[0] as { clause: Clause }).clause.values[0], desc.props[target.pk].kind);
    src.pool = desc.items.filter((row) => equalTV(toTV(row[target.pk], desc.props[target.pk].kind), partition));
    if (target.sk && rng.chance(0.55)) where(target.sk, rng.pick(whereOps(desc.props[target.sk].kind)));
    // Now and then a second key schema gets conditions that let it compete (ties go to the table, then LSIs, then GSIs).
    if (rng.chance(0.2)) {
      const other = rng.pick(desc.keySchemas.filter((ks) => ks !== target));
      if (!calls.some((call) => call.m === 'where' && call.clause.property === other.pk)) where(other.pk, '=');
      if (other.sk && rng.chance(0.7)) where(other.sk, rng.pick(whereOps(desc.props[other.sk].kind)));
    }
    // Conditions on other attributes: filters, or the key of another index (which may then win).
    for (let i = rng.chance(0.3) ? rng.int(1, 2) : 0; i > 0; i--) {
      const property = rng.pick(rng.chance(0.05) ? scalars : scalars.filter((p) => !keys.includes(p)));
      where(property, rng.pick(whereOps(desc.props[property].kind)));
    }
  }
  // Filters leave the key attributes of the index meant alone, but now and then not (the planner must then look elsewhere).
  const filterable = rng.chance(0.04) ? all : all.filter((p) => !keys.includes(p));
  for (let i = rng.chance(scan ? 0.8 : 0.5) ? rng.int(1, 2) : 0; i > 0; i--) {
    const property = rng.pick(filterable);
    const op = rng.pick(FILTER_OPS[desc.props[property].kind]);
    calls.push({ m: 'filter', filter: { kind: 'structured', property, op, values: clauseValues(src, property, op) } });
  }
  for (let i = rng.chance(scan ? 0.7 : 0.45) ? rng.int(1, rng.chance(0.15) ? 2 : 1) : 0; i > 0; i--) {
    const builder = new ExprBuilder(src, filterable);
    const expr = builder.expr(0);
    const params = builder.params;
    if (rng.chance(0.1)) params.unused = 'never sent'; // params that are not used are not sent
    calls.push({ m: 'filter', filter: { kind: 'expression', text: renderExpr(rng, expr), params, expr } });
  }
  if (!scan) {
    if (rng.chance(0.35) && target.sk) calls.push({ m: 'orderBy', property: target.sk, direction: rng.chance(0.5) ? 'asc' : 'desc' });
    else if (rng.chance(0.04)) calls.push({ m: 'orderBy', property: rng.pick(scalars), direction: 'asc' });
    if (target.index && rng.chance(0.12)) calls.push({ m: 'index', name: target.index });
    if (rng.chance(0.08)) calls.push({ m: 'consistent' });
  }
  const terminal = rng.pick<Terminal>(['all', 'all', 'all', 'all', 'all', 'all', 'count', 'first', 'pages', 'pages']);
  if (terminal === 'pages' || rng.chance(0.3)) calls.push({ m: 'limit', n: rng.int(1, terminal === 'pages' ? 6 : 8) });
  if (rng.chance(0.15)) calls.push({ m: 'offset', n: rng.int(0, 4) });
  if (rng.chance(0.2))
    calls.push({
      m: 'select',
      properties: rng.some(
        all.filter((p) => !keys.includes(p)),
        rng.int(1, 3),
      ),
    });
  return { no, model: desc, scan, calls: rng.shuffle(calls), terminal };
}

/**
 * A random case over `desc`. `accept` may turn a case down (the spec turns down those whose
 * DynamoDB behaviour it does not pin down); the next one is drawn from the same stream.
 */
export function generateCase(rng: Rng, desc: ModelDesc, no: number, accept: (c: Case) => boolean): Case {
  for (;;) {
    const c = tryCase(rng, desc, no);
    if (accept(c)) return c;
  }
}

// ---------------------------------------------------------------------------------------
// A case as the code that runs it, for failure messages.

export function code(value: unknown): string {
  if (value instanceof Date) return `new Date('${value.toISOString()}')`;
  if (value instanceof Set) return `new Set(${code([...value])})`;
  if (Array.isArray(value)) return `[${value.map(code).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${/^[\p{ID_Start}_$][\p{ID_Continue}$]*$/u.test(k) ? k : JSON.stringify(k)}: ${code(v)}`)
      .join(', ')} }`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function renderCase(c: Case): string {
  const parts = c.calls.map((call) => {
    switch (call.m) {
      case 'where':
        return `.where(${[call.clause.property, call.clause.op, ...call.clause.values].map(code).join(', ')})`;
      case 'filter': {
        const f = call.filter;
        return f.kind === 'structured' ? `.filter(${[f.property, f.op, ...f.values].map(code).join(', ')})` : `.filter(${code(f.text)}, ${code(f.params)})`;
      }
      case 'index':
        return `.index(${code(call.name)})`;
      case 'orderBy':
        return `.orderBy(${code(call.property)}, ${code(call.direction)})`;
      case 'limit':
      case 'offset':
        return `.${call.m}(${call.n})`;
      case 'select':
        return `.select(${call.properties.map(code).join(', ')})`;
      case 'consistent':
        return '.consistent()';
    }
  });
  const terminal = c.terminal === 'pages' ? '.page(cursor) until no cursor' : `.${c.terminal}()`;
  return `${c.model.name}.${c.scan ? 'scan' : 'query'}()${parts.join('')}${terminal}`;
}
