// The other side of the differential test (differential.spec.ts): what a case should do,
// worked out in memory from DESIGN §3 and DynamoDB's semantics, and the run that compares
// it with what dynamorm and the local server do.
import { QueryError, type BaseModel, type Explanation, type Page } from '../../../lib';
import { GUARD_MARKER } from '../../../lib/marshal/key-limits';
import {
  callOf,
  code,
  filteredProperties,
  filters,
  renderCase,
  wheres,
  type Case,
  type Clause,
  type Expr,
  type Operand,
  type PathRef,
} from './differential-queries';
import {
  beginsWithTV,
  compareTV,
  containsTV,
  descendTV,
  equalTV,
  rowId,
  sizeTV,
  toTV,
  type KeySchemaDesc,
  type ModelDesc,
  type Row,
  type TV,
} from './differential-world';

// ---------------------------------------------------------------------------------------
// The plan the README's index selection calls for, worked out again here: a key schema qualifies when its
// partition key has exactly one condition, an '='; its sort key takes at most one; no
// condition left for the filter may name one of its key attributes (DynamoDB forbids that);
// a consistent read rules out GSIs. Score: 1, +1 for a sort key condition, and +1 when the
// sort key is the orderBy property (with a condition on it or not). Highest wins; ties go to the earlier of table, LSIs,
// GSIs (each by name). orderBy must then be the chosen sort key.

export interface Plan {
  readonly keySchema: KeySchemaDesc;
  /** The where clauses the key condition does not take (they filter). */
  readonly rest: readonly Clause[];
  readonly score: number;
}

export type PlanOutcome = { readonly plan: Plan } | { readonly error: string };

const nameOf = (ks: KeySchemaDesc) => ks.index ?? 'the table';

export function expectedPlan(c: Case): PlanOutcome {
  const desc = c.model;
  if (c.scan) return { plan: { keySchema: desc.keySchemas[0], rest: [], score: 0 } };
  const where = wheres(c);
  const filtered = filteredProperties(c);
  const orderBy = callOf(c, 'orderBy')?.property;
  const index = callOf(c, 'index')?.name;
  const consistent = callOf(c, 'consistent') !== undefined;
  const candidates = index === undefined ? desc.keySchemas : desc.keySchemas.filter((ks) => ks.index === index);
  let best: Plan | undefined;
  for (const ks of candidates) {
    if (consistent && ks.type === 'GSI') continue;
    const onPk = where.filter((w) => w.property === ks.pk);
    if (onPk.length !== 1 || onPk[0].op !== '=') continue;
    const onSk = ks.sk === undefined ? [] : where.filter((w) => w.property === ks.sk);
    if (onSk.length > 1) continue;
    const rest = where.filter((w) => w !== onPk[0] && w !== onSk[0]);
    const keys = [ks.pk, ks.sk];
    if ([...rest.map((w) => w.property), ...filtered].some((p) => keys.includes(p))) continue;
    const score = 1 + onSk.length + (orderBy !== undefined && orderBy === ks.sk ? 1 : 0);
    if (!best || score > best.score) best = { keySchema: ks, rest, score };
  }
  if (!best) return { error: 'no key schema qualifies' };
  if (orderBy !== undefined && best.keySchema.sk !== orderBy) return { error: `orderBy('${orderBy}') is not the sort key of ${nameOf(best.keySchema)}` };
  return { plan: best };
}

// ---------------------------------------------------------------------------------------
// DynamoDB's evaluation. Two-valued logic: a comparison with a missing attribute, or with a
// value of another type, is false, except `<>`, which is then true.

function ordered(a: TV | undefined, b: TV | undefined, op: string): boolean {
  const c = compareTV(a, b);
  if (c === undefined) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      throw new Error(`not an order: ${op}`);
  }
}

function compare(a: TV | undefined, op: string, b: TV | undefined): boolean {
  if (op === '=') return equalTV(a, b);
  if (op === '<>') return !equalTV(a, b);
  return ordered(a, b, op);
}

/** A where clause (key condition or filter) or a structured filter, on one row. */
export function evalClause(desc: ModelDesc, row: Row, clause: Clause): boolean {
  const { kind } = desc.props[clause.property];
  const v = toTV(row[clause.property], kind);
  const value = (x: unknown) => toTV(x, kind);
  const [first, second] = clause.values;
  switch (clause.op) {
    case 'between':
      return ordered(v, value(first), '>=') && ordered(v, value(second), '<=');
    case 'begins_with':
      return beginsWithTV(v, value(first));
    case 'in':
      return (first as unknown[]).some((x) => equalTV(v, value(x)));
    case 'contains':
      return containsTV(v, toTV(first));
    case 'not_contains':
      return !containsTV(v, toTV(first));
    case 'exists':
      return v !== undefined;
    case 'not_exists':
      return v === undefined;
    default:
      return compare(v, clause.op, value(first));
  }
}

/** An expression filter on one row: a param takes the type of the property it is compared with. */
export function evalExpr(desc: ModelDesc, row: Row, e: Expr, params: Readonly<Record<string, unknown>>): boolean {
  const at = (ref: PathRef) => descendTV(toTV(row[ref.p], desc.props[ref.p].kind), ref.sub ?? []);
  // dynamorm converts a param as the property it is compared with, but only for a top-level property.
  const topLevel = (o?: Operand) => o?.k === 'path' && !o.sub?.length;
  const operand = (o: Operand, other?: Operand): TV | undefined => {
    if (o.k === 'path') return at(o);
    if (o.k === 'size') return sizeTV(at(o));
    return toTV(params[o.name], topLevel(other) ? desc.props[(other as PathRef).p].kind : undefined);
  };
  const path = (ref: PathRef): Operand => ({ k: 'path', ...ref });
  switch (e.k) {
    case 'cmp':
      return compare(operand(e.left, e.right), e.op, operand(e.right, e.left));
    case 'between': {
      const v = operand(e.operand);
      return ordered(v, operand(e.low, e.operand), '>=') && ordered(v, operand(e.high, e.operand), '<=');
    }
    case 'in': {
      const v = operand(e.operand);
      return e.values.some((x) => equalTV(v, operand(x, e.operand)));
    }
    case 'begins_with':
      return beginsWithTV(at(e), operand(e.arg, path(e)));
    case 'contains':
      return containsTV(at(e), operand(e.arg));
    case 'exists':
      return at(e) !== undefined;
    case 'not_exists':
      return at(e) === undefined;
    case 'and':
      return e.parts.every((part) => evalExpr(desc, row, part, params));
    case 'or':
      return e.parts.some((part) => evalExpr(desc, row, part, params));
    case 'not':
      return !evalExpr(desc, row, e.e, params);
    case 'paren':
      return evalExpr(desc, row, e.e, params);
  }
}

export interface Expected {
  /** Every match, in the order DynamoDB returns them (ties in any order). */
  readonly rows: readonly Row[];
  /** Rows with equal group may come in any order: equal index sort keys, or everything in a scan. */
  group(row: Row): string;
}

/**
 * The matches of a case: the items in the key schema read (an index holds only the items
 * that have its key attributes), passing every where clause and filter, ordered by its sort
 * key (UTF-8 bytes or numbers), reversed for desc.
 */
export function expectedRows(c: Case, plan: Plan): Expected {
  const desc = c.model;
  const ks = plan.keySchema;
  const tv = (row: Row, p: string) => toTV(row[p], desc.props[p].kind);
  const inIndex = (row: Row) => tv(row, ks.pk) !== undefined && (ks.sk === undefined || tv(row, ks.sk) !== undefined);
  const rows = desc.items.filter(
    (row) =>
      inIndex(row) &&
      wheres(c).every((w) => evalClause(desc, row, w)) &&
      filters(c).every((f) => (f.kind === 'structured' ? evalClause(desc, row, f) : evalExpr(desc, row, f.expr, f.params))),
  );
  if (c.scan || ks.sk === undefined) return { rows, group: () => '' };
  const sk = ks.sk;
  rows.sort((a, b) => compareTV(tv(a, sk), tv(b, sk))!);
  if (callOf(c, 'orderBy')?.direction === 'desc') rows.reverse();
  return { rows, group: (row) => JSON.stringify(tv(row, sk)) };
}

/** Cases whose DynamoDB behaviour this test does not pin down. */
export function pinnedDown(c: Case): boolean {
  const outcome = expectedPlan(c);
  if ('error' in outcome) return true;
  const { keySchema, rest } = outcome.plan;
  // An LSI read with a condition on the table's sort key in its filter: dynamorm allows it (it
  // is no key attribute of the LSI), the local server too; whether DynamoDB does is not checked.
  if (keySchema.type !== 'LSI') return true;
  const tableSk = c.model.keySchemas[0].sk!;
  return !rest.some((w) => w.property === tableSk) && !filteredProperties(c).has(tableSk);
}

// ---------------------------------------------------------------------------------------
// Running a case.

/** The builder, loosely typed: cases are data, so the typed overloads cannot check them. */
interface LooseQuery {
  where(property: string, op: string, ...values: unknown[]): LooseQuery;
  filter(...args: unknown[]): LooseQuery;
  index(name: string): LooseQuery;
  orderBy(property: string, direction: string): LooseQuery;
  limit(n: number): LooseQuery;
  offset(n: number): LooseQuery;
  select(...properties: string[]): LooseQuery;
  consistent(): LooseQuery;
  explain(): Explanation;
  all(): Promise<BaseModel[]>;
  first(): Promise<BaseModel | undefined>;
  count(): Promise<number>;
  page(cursor?: string): Promise<Page<BaseModel>>;
}

export function buildQuery(c: Case): LooseQuery {
  const ctor = c.model.ctor as unknown as { query(): LooseQuery; scan(): LooseQuery };
  let q = c.scan ? ctor.scan() : ctor.query();
  for (const call of c.calls) {
    switch (call.m) {
      case 'where':
        q = q.where(call.clause.property, call.clause.op, ...call.clause.values);
        break;
      case 'filter': {
        const f = call.filter;
        q = f.kind === 'structured' ? q.filter(f.property, f.op, ...f.values) : q.filter(f.text, f.params);
        break;
      }
      case 'index':
        q = q.index(call.name);
        break;
      case 'orderBy':
        q = q.orderBy(call.property, call.direction);
        break;
      case 'limit':
        q = q.limit(call.n);
        break;
      case 'offset':
        q = q.offset(call.n);
        break;
      case 'select':
        q = q.select(...call.properties);
        break;
      case 'consistent':
        q = q.consistent();
        break;
    }
  }
  return q;
}

// Everything an expression string may hold: placeholders and DynamoDB's grammar, no values and no names.
const TOKEN =
  /\s+|#n\d+|:v\d+|\[\d+\]|(?:AND|OR|NOT|BETWEEN|IN)\b|(?:attribute_exists|attribute_not_exists|begins_with|contains|size)(?=\()|<>|<=|>=|[=<>(),.]/y;
const EXPRESSIONS = ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'] as const;

/** Every name and value in the expressions is a placeholder, each sent placeholder is used, and every name is an attribute of the model. */
export function checkPlaceholders(c: Case, params: Record<string, unknown>): string | undefined {
  const names = (params.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (params.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const used = new Set<string>();
  for (const field of EXPRESSIONS) {
    const text = params[field];
    if (text === undefined) continue;
    if (typeof text !== 'string') return `${field} is not a string`;
    for (let at = 0; at < text.length;) {
      TOKEN.lastIndex = at;
      const m = TOKEN.exec(text);
      if (!m) return `${field} holds something other than placeholders and grammar at ${at}: ${JSON.stringify(text)}`;
      if (/^[#:]/.test(m[0])) used.add(m[0]);
      at += m[0].length;
    }
  }
  const attributes = new Set([
    ...Object.values(c.model.props).map((p) => p.attribute),
    ...c.model.nested.flatMap((n) => n.sub.filter((s): s is string => typeof s === 'string')),
    ...(c.scan ? [GUARD_MARKER] : []),
  ]);
  for (const placeholder of used) {
    if (!(placeholder in (placeholder.startsWith('#') ? names : values))) return `${placeholder} is used but not defined`;
  }
  for (const [placeholder, name] of Object.entries(names)) {
    if (!used.has(placeholder)) return `${placeholder} is sent but not used`;
    if (!attributes.has(name)) return `${placeholder} stands for ${JSON.stringify(name)}, not an attribute of ${c.model.name}`;
  }
  for (const placeholder of Object.keys(values)) if (!used.has(placeholder)) return `${placeholder} is sent but not used`;
  return undefined;
}

function visibleProperties(c: Case, plan: Plan): Set<string> | undefined {
  const select = callOf(c, 'select');
  if (!select) return undefined;
  const table = c.model.keySchemas[0];
  return new Set([...select.properties, table.pk, table.sk!, plan.keySchema.pk, ...(plan.keySchema.sk ? [plan.keySchema.sk] : [])]);
}

/**
 * `actual` against matches [start, start + count) of `expected`: the same number, each an
 * expected match, none twice, each with the sort key of its position (so ties may come in
 * any order), and every property as stored (only the selected ones and the keys after select()).
 */
function checkWindow(c: Case, plan: Plan, expected: Expected, actual: readonly BaseModel[], start: number, count: number): string | undefined {
  const desc = c.model;
  const window = expected.rows.slice(start, start + count);
  const byId = new Map(expected.rows.map((row) => [rowId(desc, row), row]));
  const actualIds = actual.map((m) => rowId(desc, m as unknown as Row));
  const diff = () => {
    const windowIds = window.map((row) => rowId(desc, row));
    const missing = windowIds.filter((id) => !actualIds.includes(id));
    const unexpected = actualIds.filter((id) => !windowIds.includes(id));
    return (
      `\n  expected${expected.rows.length > window.length ? ` matches ${start}..${start + window.length - 1} of ${expected.rows.length}` : ''}: ${windowIds.join(' ')}` +
      `\n  actual:   ${actualIds.join(' ')}\n  missing: ${missing.join(' ') || '-'}\n  unexpected: ${unexpected.join(' ') || '-'}` +
      `\n  (equal sort keys may come in any order${start + window.length < expected.rows.length || start > 0 ? ', so a window may cut a tie differently' : ''})`
    );
  };
  if (actual.length !== window.length) return `${actual.length} items, expected ${window.length}${diff()}`;
  const visible = visibleProperties(c, plan);
  const seen = new Set<string>();
  for (let i = 0; i < actual.length; i++) {
    const id = actualIds[i];
    const row = byId.get(id);
    if (!row) return `item ${i} (${id}) is not a match${diff()}`;
    if (seen.has(id)) return `item ${i} (${id}) comes twice${diff()}`;
    seen.add(id);
    if (expected.group(row) !== expected.group(window[i])) return `item ${i} (${id}) is out of order${diff()}`;
    const model = actual[i] as unknown as Row;
    for (const [property, p] of Object.entries(desc.props)) {
      const want = visible && !visible.has(property) ? undefined : toTV(row[property], p.kind);
      const got = toTV(model[property], p.kind);
      if (want === undefined ? got !== undefined : !equalTV(want, got)) {
        return `item ${id}: ${property} reads back as ${code(model[property])}, expected ${visible && !visible.has(property) ? 'undefined (not selected)' : code(row[property])}`;
      }
    }
  }
  return undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

/** Runs a case against the local server; undefined when it agrees with the in-memory result, else what differs. */
export async function runCase(c: Case): Promise<{ problem?: string; params?: unknown }> {
  const outcome = expectedPlan(c);
  let q: LooseQuery;
  try {
    q = buildQuery(c);
  } catch (error) {
    return { problem: `building the query threw ${describeError(error)}` };
  }
  let explanation: Explanation;
  try {
    explanation = q.explain();
  } catch (error) {
    if ('error' in outcome && error instanceof QueryError) {
      // The terminal methods refuse the same way, before any request.
      const refused = await q.all().then(
        () => undefined,
        (e: unknown) => e,
      );
      return refused instanceof QueryError
        ? {}
        : { problem: `explain() threw a QueryError, but all() ${refused ? `threw ${describeError(refused)}` : 'resolved'}` };
    }
    return {
      problem: `explain() threw ${describeError(error)}; expected ${'error' in outcome ? 'a QueryError' : `a ${c.scan ? 'Scan' : 'Query'} of ${nameOf(outcome.plan.keySchema)}`}`,
    };
  }
  const { params } = explanation;
  if ('error' in outcome) return { problem: `expected a QueryError (${outcome.error}); explain() chose ${explanation.index ?? 'the table'}`, params };
  const { plan } = outcome;
  if (explanation.operation !== (c.scan ? 'Scan' : 'Query')) return { problem: `operation ${explanation.operation}`, params };
  if (explanation.index !== plan.keySchema.index || params.IndexName !== plan.keySchema.index) {
    return {
      problem: `reads ${explanation.index ?? 'the table'} (IndexName ${String(params.IndexName)}), expected ${nameOf(plan.keySchema)} (score ${plan.score})\n  notes: ${explanation.notes.join('; ')}`,
      params,
    };
  }
  const placeholders = checkPlaceholders(c, params);
  if (placeholders) return { problem: placeholders, params };
  const descending = callOf(c, 'orderBy')?.direction === 'desc';
  if ((params.ScanIndexForward === false) !== descending)
    return { problem: `ScanIndexForward is ${String(params.ScanIndexForward)} for orderBy ${descending ? 'desc' : 'asc'}`, params };
  if ((params.ConsistentRead === true) !== (callOf(c, 'consistent') !== undefined))
    return { problem: `ConsistentRead is ${String(params.ConsistentRead)}`, params };

  const expected = expectedRows(c, plan);
  const offset = callOf(c, 'offset')?.n ?? 0;
  const limit = callOf(c, 'limit')?.n;
  try {
    switch (c.terminal) {
      case 'all':
        return { problem: checkWindow(c, plan, expected, await q.all(), offset, limit ?? Infinity), params };
      case 'first': {
        const one = await q.first();
        return { problem: checkWindow(c, plan, expected, one ? [one] : [], offset, 1), params };
      }
      case 'count': {
        const n = await q.count();
        return { problem: n === expected.rows.length ? undefined : `count() is ${n}, expected ${expected.rows.length}`, params };
      }
      case 'pages': {
        const size = limit!;
        const left = Math.max(0, expected.rows.length - offset);
        const wantPages = Math.max(1, Math.ceil(left / size));
        const items: BaseModel[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await q.page(cursor);
          pages += 1;
          if (page.hasMore !== (page.cursor !== undefined))
            return { problem: `page ${pages}: hasMore ${page.hasMore} but cursor ${page.cursor === undefined ? 'absent' : 'present'}`, params };
          if (page.hasMore && page.items.length !== size) return { problem: `page ${pages} has ${page.items.length} items, not ${size}, and hasMore`, params };
          items.push(...page.items);
          cursor = page.cursor;
          if (pages > wantPages) break;
        } while (cursor);
        if (pages !== wantPages)
          return {
            problem: `${pages}${cursor ? '+' : ''} pages of ${size}, expected ${wantPages} for ${left} matches${checkWindow(c, plan, expected, items, offset, Infinity) ?? ''}`,
            params,
          };
        return { problem: checkWindow(c, plan, expected, items, offset, Infinity), params };
      }
    }
  } catch (error) {
    return { problem: `${c.terminal}() threw ${describeError(error)}`, params };
  }
}

/** A failure as the spec prints it: the case as code, the request, and what differs. */
export function describeFailure(seed: number, c: Case, result: { problem?: string; params?: unknown }): string {
  return [
    `case ${c.no} (DIFF_SEED=${seed} DIFF_CASE=${c.no}): ${renderCase(c)}`,
    `  params: ${result.params === undefined ? '(explain() threw)' : JSON.stringify(result.params, (_, v: unknown) => (v instanceof Set ? { Set: [...v] } : v))}`,
    `  ${result.problem}`,
  ].join('\n');
}
