import { QueryError } from '../errors/dynamorm-error';
import type { AttributeSchema, KeySchema, ModelSchema } from '../metadata/model-schema';

/** Operators of `where()`: the ones a key condition can use. */
export type WhereOperator = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

/** One `where(property, op, ...values)` call. */
export interface WhereClause {
  readonly property: string;
  readonly op: WhereOperator;
  readonly values: readonly unknown[];
}

/** What the planner is asked. */
export interface PlanRequest {
  readonly where: readonly WhereClause[];
  /** Properties that `filter()` conditions (structured or expression) refer to. */
  readonly filtered: ReadonlySet<string>;
  readonly orderBy?: string;
  /** `index(name)`: read this index; undefined lets the planner choose. */
  readonly index?: string;
  readonly consistent: boolean;
  /**
   * Properties the query reads besides its where clauses and filters (select's, the @TTL's),
   * or 'all' for whole items (all, first, page, iteration, deleteAll, updateAll). An index
   * whose projection lacks one is not eligible. Undefined: none.
   */
  readonly reads?: readonly string[] | 'all';
}

/** How one key attribute of the chosen key schema is matched. */
export type KeyMatch =
  | { readonly attr: AttributeSchema; readonly kind: 'clause'; readonly clause: WhereClause }
  /** A templated key whose sources have `=` clauses: the whole key (`=`) or a prefix (`begins_with`). */
  | { readonly attr: AttributeSchema; readonly kind: 'template'; readonly sources: readonly WhereClause[]; readonly complete: boolean };

/** The planner's answer: which key schema to query, and which clauses it takes as its key condition. */
export interface QueryPlan {
  readonly keySchema: KeySchema;
  readonly partition: readonly KeyMatch[];
  /** The sort-key attributes the key condition takes, in key order: '=' on a prefix, then at most one range. */
  readonly sort: readonly KeyMatch[];
  /** The where clauses the key condition does not use: they become filters. */
  readonly rest: readonly WhereClause[];
  readonly score: number;
  /** Why each other key schema was passed over, for explain(). */
  readonly passedOver: ReadonlyArray<{ readonly index: string; readonly reason: string }>;
}

const RANGE_OPS: ReadonlySet<WhereOperator> = new Set(['<', '<=', '>', '>=', 'between', 'begins_with']);

/** The key attributes of a key schema as lists, as DynamoDB's multi-attribute GSI keys need. */
function keyAttributes(keySchema: KeySchema): { partition: readonly AttributeSchema[]; sort: readonly AttributeSchema[] } {
  return { partition: keySchema.partitionKeys, sort: keySchema.sortKeys };
}

const nameOf = (keySchema: KeySchema) => keySchema.name ?? 'the table';

type Candidate = { plan: QueryPlan } | { reason: string };

/**
 * Chooses the key schema a query reads: one qualifies when every partition-key
 * attribute has an `=` condition (directly, or through the sources of its key template); its
 * score is the number of its key attributes with conditions, plus one when its (first) sort-key
 * attribute is the `orderBy` property. The highest score wins; ties go to the table, then LSIs, then
 * GSIs, each by name. DynamoDB forbids an index's own key attributes in a FilterExpression,
 * so a condition on a key attribute that cannot join the key condition rules that index out;
 * so does a projection that lacks an attribute the query reads (missingFromProjection), which
 * would otherwise silently fail its filters and the @TTL check, and return partial items.
 *
 * @example
 * planQuery(User, { where: [{ property: 'email', op: '=', values: ['a@b.co'] }], filtered: new Set(), consistent: false });
 * // { keySchema: <gsi-email>, partition: [email = 'a@b.co'], rest: [], score: 1, ... }
 */
export function planQuery(schema: ModelSchema, request: PlanRequest): QueryPlan {
  const all: KeySchema[] = [schema.tableKey, ...schema.indexes.filter((i) => i.type === 'LSI'), ...schema.indexes.filter((i) => i.type === 'GSI')];
  let candidates = all;
  if (request.index !== undefined) {
    const chosen = schema.indexes.find((i) => i.name === request.index);
    if (!chosen) {
      throw new QueryError(`${schema.className}.index('${request.index}'): no such index; ${schema.className} has ${describeIndexes(schema)}.`);
    }
    candidates = [chosen];
  }
  const passedOver: Array<{ index: string; reason: string }> = [];
  let best: QueryPlan | undefined;
  for (const keySchema of candidates) {
    const result = candidate(schema, keySchema, request);
    if ('reason' in result) {
      passedOver.push({ index: nameOf(keySchema), reason: result.reason });
      continue;
    }
    if (!best || result.plan.score > best.score) {
      if (best) passedOver.push({ index: nameOf(best.keySchema), reason: `scored ${best.score}, below ${result.plan.score}` });
      best = result.plan;
    } else {
      passedOver.push({ index: nameOf(keySchema), reason: `scored ${result.plan.score}, not above ${best.score}` });
    }
  }
  if (!best) throw noPlan(schema, request, passedOver);
  if (request.orderBy !== undefined && best.keySchema.sortKey?.property !== request.orderBy) {
    const sortKey = best.keySchema.sortKey ? `its sort key is ${best.keySchema.sortKey.property}` : 'it has no sort key';
    throw new QueryError(
      `${schema.className}: orderBy('${request.orderBy}') needs '${request.orderBy}' to be the sort key of the key schema the query reads; ` +
        `the query reads ${nameOf(best.keySchema)}, and ${sortKey}. Order the results in memory, or add an index whose sort key is ${request.orderBy}.`,
    );
  }
  return { ...best, passedOver };
}

function candidate(schema: ModelSchema, keySchema: KeySchema, request: PlanRequest): Candidate {
  if (request.consistent && keySchema.type === 'GSI') return { reason: 'a global secondary index cannot be read consistently' };
  const { partition, sort } = keyAttributes(keySchema);
  const used = new Set<WhereClause>();
  const partitionMatches: KeyMatch[] = [];
  for (const attr of partition) {
    const match = partitionMatch(schema, attr, request.where);
    if (typeof match === 'string') return { reason: match };
    partitionMatches.push(match);
    for (const clause of clausesOf(match)) used.add(clause);
  }
  // Left to right: '=' on a prefix of the sort attributes, then at most one range on the next.
  // A condition on a later attribute stays in `rest`, which rules the index out below.
  const sortMatches: KeyMatch[] = [];
  for (const attr of sort) {
    const match = sortKeyMatch(schema, attr, request.where);
    if (typeof match === 'string') return { reason: match };
    if (!match) break;
    sortMatches.push(match);
    for (const clause of clausesOf(match)) used.add(clause);
    if (!isEquality(match)) break;
  }
  const rest = request.where.filter((clause) => !used.has(clause));
  const keyProperties = new Set([...partition, ...sort].map((a) => a.property));
  const inFilter = [...rest.map((c) => c.property), ...request.filtered].find((p) => keyProperties.has(p));
  if (inFilter !== undefined) {
    return {
      reason: `'${inFilter}' is one of its key attributes but its condition cannot be part of the key condition (DynamoDB allows no key attribute in a filter)`,
    };
  }
  const missing = missingFromProjection(schema, keySchema, rest, request);
  if (missing.length > 0) {
    if (request.index !== undefined) throw projectionError(schema, keySchema, missing, 'index');
    return { reason: `its projection (${projectionText(keySchema)}) lacks ${missing.join(', ')}, which this query reads` };
  }
  // +1 when orderBy names its first sort-key attribute, with a condition on it or not: the index
  // then gives the order asked for.
  const orderBonus = request.orderBy !== undefined && sort[0]?.property === request.orderBy ? 1 : 0;
  return {
    plan: { keySchema, partition: partitionMatches, sort: sortMatches, rest, score: partitionMatches.length + sortMatches.length + orderBonus, passedOver: [] },
  };
}

/** Attribute names a projection must always include, and a page's cursor holds: the table's key and the index's. */
export function keyAttributeNames(schema: ModelSchema, keySchema: KeySchema): string[] {
  const attrs = new Set([schema.tableKey, keySchema].flatMap((k) => [...k.partitionKeys, ...k.sortKeys]));
  return [...attrs].map((a) => a.attributeName);
}

const projectionText = (keySchema: KeySchema) =>
  typeof keySchema.projection === 'string' ? keySchema.projection : `INCLUDE ${keySchema.projection.join(', ')}`;

/**
 * The properties a query needs that the index does not project: its filters'
 * (the where clauses outside the key condition and filter()'s), and `request.reads`. A
 * KEYS_ONLY or INCLUDE index projects the table key and its own key besides its list.
 */
export function missingFromProjection(
  schema: ModelSchema,
  keySchema: KeySchema,
  rest: readonly WhereClause[],
  request: Pick<PlanRequest, 'filtered' | 'reads'>,
): string[] {
  const { projection } = keySchema;
  if (projection === 'ALL') return [];
  const projected = new Set([...keyAttributeNames(schema, keySchema), ...(projection === 'KEYS_ONLY' ? [] : projection)]);
  const needed =
    request.reads === 'all' ? schema.attributes.map((a) => a.property) : [...rest.map((c) => c.property), ...request.filtered, ...(request.reads ?? [])];
  return [...new Set(needed)].filter((property) => {
    const attr = schema.byProperty.get(property);
    return attr !== undefined && !projected.has(attr.attributeName);
  });
}

/** `index(name)` (or `scan().index(name)`) names an index that lacks what the query reads: before any request. */
export function projectionError(schema: ModelSchema, keySchema: KeySchema, missing: readonly string[], method: string): QueryError {
  return new QueryError(
    `${schema.className}.${method}('${keySchema.name}'): the index projects ${projectionText(keySchema)}, without ${missing.join(', ')}, which this query reads ` +
      `(filters, select(...), the @TTL check, or whole items). Select projected properties only, add withExpired() if only the @TTL is missing, project them, or read another index.`,
  );
}

/** An `=` on the whole attribute: the next sort attribute may then join the key condition too. */
function isEquality(match: KeyMatch): boolean {
  return match.kind === 'clause' ? match.clause.op === '=' : match.complete;
}

function clausesOf(match: KeyMatch): readonly WhereClause[] {
  return match.kind === 'clause' ? [match.clause] : match.sources;
}

function clausesOn(where: readonly WhereClause[], property: string): WhereClause[] {
  return where.filter((clause) => clause.property === property);
}

/** The `=` clauses on each source of a template, in template order, up to the first source without one. */
function templateSources(attr: AttributeSchema, where: readonly WhereClause[]): { sources: WhereClause[]; complete: boolean } | string {
  const sources: WhereClause[] = [];
  for (const property of attr.template!.properties) {
    const on = clausesOn(where, property);
    if (on.length === 0) return { sources, complete: false };
    if (on.length > 1 || on[0].op !== '=') return `'${property}' builds its key ${attr.property}, so it needs exactly one '=' condition`;
    sources.push(on[0]);
  }
  return { sources, complete: true };
}

function partitionMatch(schema: ModelSchema, attr: AttributeSchema, where: readonly WhereClause[]): KeyMatch | string {
  const direct = clausesOn(where, attr.property);
  if (direct.length > 1) return `its partition key ${attr.property} has ${direct.length} conditions; it takes exactly one '='`;
  if (direct.length === 1) {
    if (direct[0].op !== '=') return `its partition key ${attr.property} needs '=', not '${direct[0].op}' (a partition key cannot take a range)`;
    return { attr, kind: 'clause', clause: direct[0] };
  }
  if (attr.template) {
    const found = templateSources(attr, where);
    if (typeof found === 'string') return found;
    if (found.complete) return { attr, kind: 'template', sources: found.sources, complete: true };
    return `its partition key ${attr.property} is built from ${attr.template.properties.join(', ')}, which need '=' conditions`;
  }
  return `no '=' condition on its partition key ${attr.property}`;
}

function sortKeyMatch(schema: ModelSchema, attr: AttributeSchema, where: readonly WhereClause[]): KeyMatch | string | undefined {
  const direct = clausesOn(where, attr.property);
  if (direct.length > 1) return `its sort key ${attr.property} has ${direct.length} conditions; a key condition takes one (use between)`;
  if (direct.length === 1) {
    if (direct[0].op !== '=' && !RANGE_OPS.has(direct[0].op)) return `'${direct[0].op}' cannot be a key condition on ${attr.property}`;
    return { attr, kind: 'clause', clause: direct[0] };
  }
  if (attr.template) {
    const found = templateSources(attr, where);
    if (typeof found === 'string') return found;
    if (found.sources.length > 0) return { attr, kind: 'template', sources: found.sources, complete: found.complete };
  }
  return undefined;
}

function describeIndexes(schema: ModelSchema): string {
  if (schema.indexes.length === 0) return 'no secondary indexes';
  return `the indexes ${schema.indexes.map((i) => `${i.name} (${i.type}: ${[...i.partitionKeys, ...i.sortKeys].map((a) => a.property).join(', ')})`).join(', ')}`;
}

function noPlan(schema: ModelSchema, request: PlanRequest, passedOver: ReadonlyArray<{ index: string; reason: string }>): QueryError {
  const conditions = request.where.map((c) => `${c.property} ${c.op}`).join(', ') || 'none';
  const why = `Passed over: ${passedOver.map((p) => `${p.index} (${p.reason})`).join('; ')}`;
  return new QueryError(
    `${schema.className}: no key schema can serve this query (where: ${conditions}). ` +
      `The table's key is ${[schema.tableKey.partitionKey.property, schema.tableKey.sortKey?.property].filter(Boolean).join(', ')}; ${schema.className} has ${describeIndexes(schema)}. ` +
      `${why}. Add an '=' condition on a partition key, or read every item with ${schema.className}.scan() (nothing scans silently).`,
  );
}
