import type { ModelSchema } from '../metadata/model-schema';
import type { QueryState } from './query-state';

// Per model, by query shape; bounded, since shapes come from code, not from data (a shape
// holds no values).
const templates = new WeakMap<ModelSchema, Map<string, unknown>>();

/** How many shapes one model keeps; past it the cache starts again (shapes come from code, so this is rare). */
export const MAX_TEMPLATES = 200;

// A user-given name, length-prefixed so that no name can run into the next part of the key.
const field = (text: string): string => `${text.length}:${text}`;

/**
 * The shape of a query: everything its compiled request depends on except its values, the
 * table name and the time (the properties and operators of the where clauses and structured
 * filters, with their value counts, select, orderBy, index, consistency, withExpired, count, the
 * operation). Undefined for a query whose shape is not cached: one with an expression filter,
 * whose text and params make its shape. Built by concatenation: it is computed on every call.
 *
 * @example
 * shapeKey({ schema, operation: 'Query', where: [{ property: 'email', op: '=', values: [e] }], filters: [], consistent: false, withExpired: false });
 * // 'Query----w1;5:email= 1;f0;'
 */
export function shapeKey(state: QueryState): string | undefined {
  let key = state.operation + (state.consistent ? 'c' : '-') + (state.withExpired ? 'e' : '-');
  // count() reads fewer attributes, so an index may serve it and not the same query's all().
  if (state.count) key += 'n';
  key += state.orderBy ? state.orderBy.direction + field(state.orderBy.property) : '-';
  key += state.index === undefined ? '-' : `i${field(state.index)}`;
  if (state.select) {
    key += `s${state.select.length};`;
    for (const property of state.select) key += field(property);
  }
  key += `w${state.where.length};`;
  for (const clause of state.where) key += `${field(clause.property)}${clause.op} ${clause.values.length};`;
  key += `f${state.filters.length};`;
  for (const part of state.filters) {
    if (part.kind === 'expression') return undefined;
    key += `${field(part.property)}${part.op} ${part.values.length};`;
    // An `in` list's length is shape (one placeholder per member); anything else is refused.
    if (part.op === 'in') key += `${Array.isArray(part.values[0]) ? part.values[0].length : -1};`;
  }
  return key;
}

/** The template kept for this shape of query on this model, if any. */
export function cachedTemplate<T>(schema: ModelSchema, key: string): T | undefined {
  return templates.get(schema)?.get(key) as T | undefined;
}

/** Keeps a template for this shape of query on this model. */
export function keepTemplate<T>(schema: ModelSchema, key: string, template: T): void {
  let byShape = templates.get(schema);
  if (!byShape) templates.set(schema, (byShape = new Map<string, unknown>()));
  if (byShape.size >= MAX_TEMPLATES) byShape.clear();
  byShape.set(key, template);
}

/** How many shapes are kept for a model (for specs). */
export function templateCount(schema: ModelSchema): number {
  return templates.get(schema)?.size ?? 0;
}
