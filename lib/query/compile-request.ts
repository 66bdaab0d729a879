import { QueryError } from '../errors/dynamorm-error';
import { compileCondition, cond, type Condition } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { parseCondition } from '../expressions/parser';
import { compileProjection } from '../expressions/projection';
import { structuredCondition } from '../expressions/structured';
import type { AttributeSchema, KeySchema, ModelSchema } from '../metadata/model-schema';
import { planOfProperty, type AttributePlan, type StoredItem } from '../marshal/item-codec';
import { GUARD_MARKER } from '../marshal/key-limits';
import { renderTemplatePrefix } from '../marshal/key-template-value';
import { encodePlain } from '../marshal/plain-value';
import { planFor } from './plan-cache';
import { keyAttributes, type KeyMatch, type QueryPlan, type WhereClause } from './planner';
import type { FilterPart, QueryState } from './query-state';

/** The SDK input of a Query or Scan (DocumentClient shapes), as the first request sends it. */
export type RequestParams = Record<string, unknown> & { TableName: string };

/** A compiled query: its first request, the plan behind it, and what pagination needs. */
export interface CompiledRequest {
  readonly operation: 'Query' | 'Scan';
  readonly params: RequestParams;
  readonly plan?: QueryPlan;
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
    throw new QueryError(`${schema.className}.${where}: '${property}' is not a property of ${schema.className} (known: ${schema.attributes.map((a) => a.property).join(', ')}).`);
  }
  return plan;
}

/** A value of a condition on `property`, encoded as the attribute stores it (a wrong type is a ValidationError). */
function encodeValue(schema: ModelSchema, plan: AttributePlan, value: unknown): unknown {
  return plan.encode(value, `${schema.className}.${plan.attr.property}`);
}

/** A member of a set or list (`contains`), or a substring of a string attribute. */
function encodeMember(schema: ModelSchema, plan: AttributePlan, value: unknown): unknown {
  const kind = plan.attr.kind;
  if (kind === 'set' || kind === 'list' || kind === 'unknown') return encodePlain(value, `${schema.className}.${plan.attr.property}`);
  return encodeValue(schema, plan, value);
}

function clauseCondition(schema: ModelSchema, clause: WhereClause, where: string): Condition {
  const plan = attributePlan(schema, clause.property, where);
  const path = [plan.attr.attributeName];
  const values = clause.values.map((v) => encodeValue(schema, plan, v));
  switch (clause.op) {
    case 'between':
      return cond.between(path, values[0], values[1]);
    case 'begins_with':
      return cond.beginsWith(path, values[0]);
    default:
      return cond.compare(path, clause.op, values[0]);
  }
}

/** The values a key condition compares with, as encoded in it. */
function valuesOf(condition: Condition): unknown[] {
  const operands = condition.kind === 'compare' ? [condition.right] : condition.kind === 'between' ? [condition.low, condition.high] : condition.kind === 'begins_with' ? [condition.operand] : [];
  return operands.map((operand) => (operand.kind === 'value' ? operand.value : undefined));
}

/** The key condition of one key attribute, and the (encoded) values it compares with. */
function keyCondition(schema: ModelSchema, match: KeyMatch): { condition: Condition; values: unknown[] } {
  if (match.kind === 'clause') {
    const condition = clauseCondition(schema, match.clause, 'where');
    return { condition, values: valuesOf(condition) };
  }
  const given = new Map(match.sources.map((clause) => [clause.property, clause.values[0]]));
  const where = `${schema.className}.${match.attr.property}`;
  const prefix = renderTemplatePrefix(match.attr.template!, (property) => given.get(property), where)!;
  const path = [match.attr.attributeName];
  return { condition: match.complete ? cond.eq(path, prefix.text) : cond.beginsWith(path, prefix.text), values: [prefix.text] };
}

/**
 * A filter() call as a condition; `refer` hears every property it names (the planner keeps
 * those out of the index's key attributes).
 */
function filterCondition(schema: ModelSchema, part: FilterPart, refer: (property: string) => void): Condition {
  if (part.kind === 'expression') {
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
        return as === 'member' ? encodeMember(schema, plan, value) : encodeValue(schema, plan, value);
      },
    });
  }
  refer(part.property);
  const plan = attributePlan(schema, part.property, 'filter');
  const subject = `${schema.className}.filter('${part.property}', '${part.op}', ...)`;
  let values = part.values;
  if (part.op === 'contains' || part.op === 'not_contains') values = values.map((v) => encodeMember(schema, plan, v));
  else if (part.op === 'in') values = values.map((list) => (Array.isArray(list) ? list.map((v) => encodeValue(schema, plan, v)) : list));
  else values = values.map((v) => encodeValue(schema, plan, v));
  return structuredCondition([plan.attr.attributeName], part.op, values, subject);
}

/** Attribute names a projection must always include, and a page's cursor holds: the table's key and the index's. */
export function keyAttributeNames(schema: ModelSchema, keySchema: KeySchema): string[] {
  const attrs = new Set<AttributeSchema>([...Object.values(keyAttributes(schema.tableKey)).flat(), ...Object.values(keyAttributes(keySchema)).flat()]);
  return [...attrs].map((a) => a.attributeName);
}

/**
 * The Query or Scan a builder's state sends first (no I/O): the planner's choice of key
 * schema, the key condition, filters (with the model's hidden items left out: unique guards
 * on a scan, expired items unless `withExpired()`), projection and order, all through one
 * placeholder allocator.
 */
export function compileRequest(state: QueryState, tableName: string, nowSeconds: number): CompiledRequest {
  const { schema } = state;
  for (const property of state.select ?? []) attributePlan(schema, property, 'select');
  if (state.orderBy) attributePlan(schema, state.orderBy.property, 'orderBy');
  let plan: QueryPlan | undefined;
  let keySchema = schema.tableKey;
  let keyCond: Condition | undefined;
  let keyValues: unknown[] = [];
  let rest: readonly WhereClause[] = state.where;
  const filtered = new Set<string>();
  const userFilters = state.filters.map((part) => filterCondition(schema, part, (property) => filtered.add(property)));
  if (state.operation === 'Scan') {
    if (state.orderBy) throw new QueryError(`${schema.className}.scan().orderBy(...): a scan returns items in no particular order; query a key schema whose sort key is ${state.orderBy.property}, or sort in memory.`);
    if (state.index !== undefined) {
      const index = schema.indexes.find((i) => i.name === state.index);
      if (!index) throw new QueryError(`${schema.className}.scan().index('${state.index}'): no such index; ${schema.className} has ${schema.indexes.map((i) => i.name).join(', ') || 'no secondary indexes'}.`);
      if (state.consistent && index.type === 'GSI') throw new QueryError(`${schema.className}.scan().index('${state.index}').consistent(): a global secondary index cannot be read consistently.`);
      keySchema = index;
    }
  }
  if (state.operation === 'Query') {
    for (const clause of state.where) attributePlan(schema, clause.property, 'where');
    plan = planFor(schema, { where: state.where, filtered, orderBy: state.orderBy?.property, index: state.index, consistent: state.consistent });
    keySchema = plan.keySchema;
    const parts = [...plan.partition, ...(plan.sort ? [plan.sort] : [])].map((match) => keyCondition(schema, match));
    keyCond = cond.and(...parts.map((part) => part.condition));
    keyValues = parts.flatMap((part) => part.values);
    rest = plan.rest;
  }
  const filters: Condition[] = [...rest.map((clause) => clauseCondition(schema, clause, 'where')), ...userFilters];
  const userFiltered = filters.length > 0;
  // A guard's partition key is reserved, so only a scan can meet one.
  if (state.operation === 'Scan') filters.push(cond.notExists([GUARD_MARKER]));
  // NOT (ttl < now) keeps items without a TTL, or with a NULL one, as reads by key do.
  if (schema.ttl && !state.withExpired) filters.push(cond.not(cond.compare([schema.ttl.attributeName], '<', nowSeconds)));

  const p = new Placeholders();
  const params: RequestParams = { TableName: tableName };
  if (keySchema.name) params.IndexName = keySchema.name;
  if (keyCond) params.KeyConditionExpression = compileCondition(keyCond, p);
  const filter = cond.and(...filters);
  if (filter) params.FilterExpression = compileCondition(filter, p);
  if (state.select) {
    const names = new Set([...keyAttributeNames(schema, keySchema), ...state.select.map((property) => attributePlan(schema, property, 'select').attr.attributeName)]);
    params.ProjectionExpression = compileProjection([...names], p);
  }
  Object.assign(params, p.toParams());
  if (state.consistent) params.ConsistentRead = true;
  if (state.orderBy?.direction === 'desc') params.ScanIndexForward = false;
  if (state.segments) Object.assign(params, { Segment: 0, TotalSegments: state.segments });
  // DynamoDB's Limit counts items read, before filters, and pages go on until `limit` items
  // passed them; so Limit is only a size hint. Sent when at most the expiry filter applies
  // (expired items are few); with a user's filter, whole pages save round trips.
  if (state.limit !== undefined && !userFiltered && state.operation === 'Query') {
    params.Limit = state.limit + (state.offset ?? 0);
  }
  return { operation: state.operation, params, plan, keySchema, keyValues, filtered: filter !== undefined };
}

/** The key a page resumes after: the table key and the index key of the last item returned. */
export function startKeyOf(schema: ModelSchema, keySchema: KeySchema, item: StoredItem): StoredItem {
  const key: StoredItem = {};
  for (const name of keyAttributeNames(schema, keySchema)) key[name] = item[name];
  return key;
}
