import { QueryError } from '../errors/dynamorm-error';
import { compileCondition, cond, type Condition } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { parseCondition } from '../expressions/parser';
import { compileProjection } from '../expressions/projection';
import { structuredCondition, structuredValues } from '../expressions/structured';
import type { AttributeSchema, KeySchema, ModelSchema } from '../metadata/model-schema';
import { planOfProperty, type AttributePlan } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { checkNotReserved, GUARD_MARKER } from '../marshal/key-limits';
import { renderTemplatePrefix } from '../marshal/key-template-value';
import { encodePlain } from '../marshal/plain-value';
import { cachedTemplate, keepTemplate, shapeKey } from './request-cache';
import { keyAttributeNames, missingFromProjection, planQuery, projectionError, type KeyMatch, type QueryPlan, type WhereClause } from './planner';
import type { FilterPart, QueryState } from './query-state';

/** The SDK input of a Query or Scan (DocumentClient shapes), as the first request sends it. */
export type RequestParams = Record<string, unknown> & { TableName: string };

/** A compiled query: its first request, the plan behind it, and what pagination needs. */
export interface CompiledRequest {
  readonly operation: 'Query' | 'Scan';
  readonly params: RequestParams;
  /** The planner's choice, for explain(): shared by every query of a shape, so no clauses (they are the first query's). */
  readonly plan?: Pick<QueryPlan, 'keySchema' | 'score' | 'passedOver'>;
  /** The key schema read (the table's for a scan). */
  readonly keySchema: KeySchema;
  /** The key condition's values, which a cursor is bound to. */
  readonly keyValues: readonly unknown[];
  /** True when a FilterExpression may drop items, so DynamoDB's Limit cannot count matches. */
  readonly filtered: boolean;
}

function attributePlan(schema: ModelSchema, property: string, where: string): AttributePlan {
  const plan = planOfProperty(schema, property);
  if (!plan) {
    throw new QueryError(
      `${schema.className}.${where}: '${property}' is not a property of ${schema.className} (known: ${schema.attributes.map((a) => a.property).join(', ')}).`,
    );
  }
  return plan;
}

/** A value of a condition on `property`, encoded as the attribute stores it (a wrong type is a ValidationError). */
function encodeValue(plan: AttributePlan, value: unknown): unknown {
  return plan.encode(value, plan.where);
}

/** A member of a set or list (`contains`), or a substring of a string attribute. */
function encodeMember(plan: AttributePlan, value: unknown): unknown {
  const kind = plan.attr.kind;
  if (kind === 'set' || kind === 'list' || kind === 'unknown') return encodePlain(value, plan.where);
  return encodeValue(plan, value);
}

// ---------------------------------------------------------------------------------------
// A request is compiled once per query shape into a template: its expressions and names
// final, each value a Slot. A query then only reads its values from its state (encoded and
// checked as before: a wrong type is still an error before any request) into the slots.

/** Where a template has a value of the query: the index of one value that the steps give. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * Reads one part of a query's values from its state, encoded and checked as the request
 * sends them, onto `out`; every query of a shape gives the same number of values.
 */
type ValueStep = (state: QueryState, nowSeconds: number, out: unknown[]) => void;

/** What every query of one shape sends, with the values as slots. */
interface RequestTemplate {
  readonly operation: 'Query' | 'Scan';
  readonly steps: readonly ValueStep[];
  readonly keySchema: KeySchema;
  /** IndexName and the expressions, those the request has, in request order. */
  readonly expressions: Readonly<Record<string, string>>;
  readonly names?: Readonly<Record<string, string>>;
  /** ExpressionAttributeValues in order: a Slot, or the value itself (an expression filter's). */
  readonly values: ReadonlyArray<readonly [placeholder: string, value: unknown]>;
  /** The slots of the key condition's values: [start, end). */
  readonly keySlots: readonly [number, number];
  readonly plan?: QueryPlan;
  /** A user's filter or a where clause outside the key condition. */
  readonly userFiltered: boolean;
  /** A FilterExpression (the user's, the expiry's or the guards'). */
  readonly filtered: boolean;
}

/**
 * Builds the template of one query. Each step runs as it is added, for this query, in the
 * order the checks always ran (select, orderBy, filters, planning, key condition, other
 * clauses), so an invalid query fails the way it always did; `values` are this query's.
 */
class TemplateBuilder {
  readonly steps: ValueStep[] = [];
  readonly values: unknown[] = [];

  constructor(
    readonly state: QueryState,
    private readonly nowSeconds: number,
  ) {}

  /** Runs `step` for this query and adds it; the slots of the values it gave. */
  take(step: ValueStep): Slot[] {
    const start = this.values.length;
    step(this.state, this.nowSeconds, this.values);
    this.steps.push(step);
    const slots: Slot[] = [];
    for (let i = start; i < this.values.length; i++) slots.push(new Slot(i));
    return slots;
  }
}

/** The values of the where clause at `index`, encoded as its attribute stores them. */
function clauseValues(plan: AttributePlan, index: number): ValueStep {
  return (state, _now, out) => {
    for (const value of state.where[index].values) out.push(encodeValue(plan, value));
  };
}

/**
 * `step` (the `=` of a partition key: one value), then, when `where` is given, a
 * ValidationError for a value in dynamorm's reserved namespace (see buildTemplate).
 */
function unreserved(step: ValueStep, where: string | undefined, property: string): ValueStep {
  if (where === undefined) return step;
  return (state, now, out) => {
    step(state, now, out);
    checkNotReserved(out[out.length - 1], where, property);
  };
}

function clauseCondition(b: TemplateBuilder, clause: WhereClause, where: string, guarded = false): Condition {
  const plan = attributePlan(b.state.schema, clause.property, where);
  const path = [plan.attr.attributeName];
  const check = guarded ? `${b.state.schema.className}.where('${clause.property}', '=', ...)` : undefined;
  const values = b.take(unreserved(clauseValues(plan, b.state.where.indexOf(clause)), check, clause.property));
  switch (clause.op) {
    case 'between':
      return cond.between(path, values[0], values[1]);
    case 'begins_with':
      return cond.beginsWith(path, values[0]);
    default:
      return cond.compare(path, clause.op, values[0]);
  }
}

/** The prefix of a templated key that the `=` clauses on its sources render. */
function templatePrefix(attr: AttributeSchema, sources: readonly WhereClause[], where: readonly WhereClause[], subject: string): ValueStep {
  const positions = new Map(sources.map((clause) => [clause.property, where.indexOf(clause)]));
  return (state, _now, out) => {
    const valueOf = (property: string) => {
      const at = positions.get(property);
      return at === undefined ? undefined : state.where[at].values[0];
    };
    out.push(renderTemplatePrefix(attr.template!, valueOf, subject)!.text);
  };
}

/** The key condition of one key attribute; `guarded`: a reserved value is refused (see buildTemplate). */
function keyCondition(b: TemplateBuilder, match: KeyMatch, guarded = false): Condition {
  if (match.kind === 'clause') return clauseCondition(b, match.clause, 'where', guarded);
  const { schema } = b.state;
  const where = `${schema.className}.${match.attr.property}`;
  const step = templatePrefix(match.attr, match.sources, b.state.where, where);
  const [prefix] = b.take(unreserved(step, guarded ? `${where} (rendered from its template)` : undefined, match.attr.property));
  const path = [match.attr.attributeName];
  return match.complete ? cond.eq(path, prefix) : cond.beginsWith(path, prefix);
}

type StructuredFilter = Extract<FilterPart, { kind: 'structured' }>;

/** The values of the structured filter at `index`, encoded, checked and (`in`) flattened. */
function filterValues(plan: AttributePlan, index: number, subject: string): ValueStep {
  return (state, _now, out) => {
    const part = state.filters[index] as StructuredFilter;
    let values = part.values;
    if (part.op === 'contains' || part.op === 'not_contains') values = values.map((v) => encodeMember(plan, v));
    else if (part.op === 'in') values = values.map((list) => (Array.isArray(list) ? list.map((v) => encodeValue(plan, v)) : list));
    else values = values.map((v) => encodeValue(plan, v));
    for (const value of structuredValues(part.op, values, subject)) out.push(value);
  };
}

/**
 * A filter() call as a condition; `refer` hears every property it names (the planner keeps
 * those out of the index's key attributes).
 */
function filterCondition(b: TemplateBuilder, index: number, refer: (property: string) => void): Condition {
  const { schema } = b.state;
  const part = b.state.filters[index];
  if (part.kind === 'expression') {
    // Its values stay in the condition: a query with an expression filter is not cached.
    return parseCondition(part.text, {
      resolveName: (property) => {
        const attr = schema.byProperty.get(property);
        if (attr) refer(property);
        return attr?.attributeName;
      },
      params: part.params,
      model: schema.className,
      properties: schema.attributes.map((a) => a.property),
      encode: (property, value, as) => {
        const plan = attributePlan(schema, property, 'filter');
        return as === 'member' ? encodeMember(plan, value) : encodeValue(plan, value);
      },
    });
  }
  refer(part.property);
  const plan = attributePlan(schema, part.property, 'filter');
  const subject = `${schema.className}.filter('${part.property}', '${part.op}', ...)`;
  const slots = b.take(filterValues(plan, index, subject));
  return structuredCondition([plan.attr.attributeName], part.op, part.op === 'in' ? [slots] : slots, subject);
}

/**
 * The template of a query (and its values): the planner's choice of key schema, the key
 * condition, filters (with the model's hidden items left out: unique guards on a scan or
 * where the key condition cannot refuse them, expired items unless `withExpired()`),
 * projection and order, all through one placeholder allocator.
 */
function buildTemplate(state: QueryState, nowSeconds: number): { template: RequestTemplate; values: unknown[] } {
  const { schema } = state;
  const b = new TemplateBuilder(state, nowSeconds);
  for (const property of state.select ?? []) attributePlan(schema, property, 'select');
  if (state.orderBy) attributePlan(schema, state.orderBy.property, 'orderBy');
  let plan: QueryPlan | undefined;
  let keySchema = schema.tableKey;
  let keyCond: Condition | undefined;
  let keySlots: [number, number] = [0, 0];
  let rest: readonly WhereClause[] = state.where;
  const filtered = new Set<string>();
  const userFilters = state.filters.map((_, i) => filterCondition(b, i, (property) => filtered.add(property)));
  // What the results need from an index's projection: count() and select() only their attributes.
  const ttl = schema.ttl && !state.withExpired ? [schema.ttl.property] : [];
  const reads = state.select || state.count ? [...(state.select ?? []), ...ttl] : 'all';
  if (state.operation === 'Scan') {
    if (state.orderBy)
      throw new QueryError(
        `${schema.className}.scan().orderBy(...): a scan returns items in no particular order; query a key schema whose sort key is ${state.orderBy.property}, or sort in memory.`,
      );
    if (state.index !== undefined) {
      const index = schema.indexes.find((i) => i.name === state.index);
      if (!index)
        throw new QueryError(
          `${schema.className}.scan().index('${state.index}'): no such index; ${schema.className} has ${schema.indexes.map((i) => i.name).join(', ') || 'no secondary indexes'}.`,
        );
      if (state.consistent && index.type === 'GSI')
        throw new QueryError(`${schema.className}.scan().index('${state.index}').consistent(): a global secondary index cannot be read consistently.`);
      const missing = missingFromProjection(schema, index, [], { filtered, reads });
      if (missing.length > 0) throw projectionError(schema, index, missing, 'scan().index');
      keySchema = index;
    }
  }
  if (state.operation === 'Query') {
    for (const clause of state.where) attributePlan(schema, clause.property, 'where');
    // Planned once per shape: the template below is what a query of this shape reuses.
    plan = planQuery(schema, { where: state.where, filtered, orderBy: state.orderBy?.property, index: state.index, consistent: state.consistent, reads });
    keySchema = plan.keySchema;
    const start = b.values.length;
    // A unique guard stores reserved values ('_dynamorm#...') in the table's partition and
    // sort key: such a partition value is refused, so no query of a key schema partitioned by
    // either (the table, an LSI, a GSI on the table's sort key) can meet a guard.
    const reserved = [schema.tableKey.partitionKey, schema.tableKey.sortKey];
    keyCond = cond.and(
      ...plan.partition.map((match) => keyCondition(b, match, reserved.includes(match.attr))),
      ...plan.sort.map((match) => keyCondition(b, match)),
    );
    keySlots = [start, b.values.length];
    rest = plan.rest;
  }
  const filters: Condition[] = [...rest.map((clause) => clauseCondition(b, clause, 'where')), ...userFilters];
  const userFiltered = filters.length > 0;
  // Guards also carry their owner's @TTL: a GSI partitioned by it holds them, and its
  // queries filter them out, as scans do.
  if (state.operation === 'Scan' || keySchema.partitionKey === schema.ttl) filters.push(cond.notExists([GUARD_MARKER]));
  // NOT (ttl < now) keeps items without a TTL, or with a NULL one, as reads by key do.
  if (schema.ttl && !state.withExpired) {
    const [now] = b.take((_state, nowSeconds, out) => {
      out.push(nowSeconds);
    });
    filters.push(cond.not(cond.compare([schema.ttl.attributeName], '<', now)));
  }

  const p = new Placeholders();
  const expressions: Record<string, string> = {};
  if (keySchema.name) expressions.IndexName = keySchema.name;
  if (keyCond) expressions.KeyConditionExpression = compileCondition(keyCond, p);
  const filter = cond.and(...filters);
  if (filter) expressions.FilterExpression = compileCondition(filter, p);
  if (state.select) {
    const names = new Set([
      ...keyAttributeNames(schema, keySchema),
      ...state.select.map((property) => attributePlan(schema, property, 'select').attr.attributeName),
    ]);
    expressions.ProjectionExpression = compileProjection([...names], p);
  }
  const template: RequestTemplate = {
    operation: state.operation,
    steps: b.steps,
    keySchema,
    expressions,
    names: p.names(),
    values: Object.entries(p.values() ?? {}),
    keySlots,
    plan,
    userFiltered,
    filtered: filter !== undefined,
  };
  return { template, values: b.values };
}

/** A query's values, slot by slot, read from its state by the template's steps. */
function valuesOf(template: RequestTemplate, state: QueryState, nowSeconds: number): unknown[] {
  const values: unknown[] = [];
  for (const step of template.steps) step(state, nowSeconds, values);
  return values;
}

/** The request of one query: the template's, with this query's values, table and options; a new object each time. */
function bind(template: RequestTemplate, state: QueryState, tableName: string, values: readonly unknown[]): CompiledRequest {
  const params: RequestParams = { TableName: tableName, ...template.expressions };
  if (template.names) params.ExpressionAttributeNames = { ...template.names };
  if (template.values.length > 0) {
    const attributeValues: Record<string, unknown> = {};
    for (const [placeholder, value] of template.values) attributeValues[placeholder] = value instanceof Slot ? values[value.index] : value;
    params.ExpressionAttributeValues = attributeValues;
  }
  if (state.consistent) params.ConsistentRead = true;
  if (state.orderBy?.direction === 'desc') params.ScanIndexForward = false;
  if (state.segments) Object.assign(params, { Segment: 0, TotalSegments: state.segments });
  // DynamoDB's Limit counts items read, before filters, and pages go on until `limit` items
  // passed them; so Limit is only a size hint. Sent when at most the expiry filter applies
  // (expired items are few); with a user's filter, whole pages save round trips.
  if (state.limit !== undefined && !template.userFiltered && state.operation === 'Query') {
    params.Limit = state.limit + (state.offset ?? 0);
  }
  return {
    operation: template.operation,
    params,
    plan: template.plan,
    keySchema: template.keySchema,
    keyValues: values.slice(template.keySlots[0], template.keySlots[1]),
    filtered: template.filtered,
  };
}

/**
 * The Query or Scan a builder's state sends first (no I/O). A query of a shape seen before
 * (the same properties, operators, options; see shapeKey) reuses that shape's template and
 * only encodes its own values; the request is the same as compiled afresh.
 */
export function compileRequest(state: QueryState, tableName: string, nowSeconds: number): CompiledRequest {
  const key = shapeKey(state);
  const cached = key === undefined ? undefined : cachedTemplate<RequestTemplate>(state.schema, key);
  if (cached) return bind(cached, state, tableName, valuesOf(cached, state, nowSeconds));
  const { template, values } = buildTemplate(state, nowSeconds);
  if (key !== undefined) keepTemplate(state.schema, key, template);
  return bind(template, state, tableName, values);
}

/** The key a page resumes after: the table key and the index key of the last item returned. */
export function startKeyOf(schema: ModelSchema, keySchema: KeySchema, item: StoredItem): StoredItem {
  const key: StoredItem = {};
  for (const name of keyAttributeNames(schema, keySchema)) key[name] = item[name];
  return key;
}
