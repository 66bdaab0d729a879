import type { ModelSchema } from '../metadata/model-schema';
import { planQuery, type KeyMatch, type PlanRequest, type QueryPlan, type WhereClause } from './planner';

/** A plan with its where clauses replaced by their positions, so it serves any query of the same shape. */
interface PlanShape {
  readonly plan: QueryPlan;
  readonly positions: ReadonlyMap<WhereClause, number>;
}

// Per model, by shape; bounded, since shapes come from code, not from data.
const shapes = new WeakMap<ModelSchema, Map<string, PlanShape>>();
const MAX_SHAPES = 200;

function shapeKey(request: PlanRequest): string {
  return JSON.stringify([request.where.map((c) => [c.property, c.op]), [...request.filtered].sort(), request.orderBy, request.index, request.consistent]);
}

function rebind(match: KeyMatch, clauses: readonly WhereClause[], positions: ReadonlyMap<WhereClause, number>): KeyMatch {
  const at = (clause: WhereClause) => clauses[positions.get(clause)!];
  return match.kind === 'clause' ? { ...match, clause: at(match.clause) } : { ...match, sources: match.sources.map(at) };
}

/**
 * planQuery, computed once per query shape (the properties and operators of the conditions,
 * filtered properties, orderBy, index, consistency) and reused with each query's own values:
 * a request handler that runs the same query with new values plans it once.
 *
 * @example
 * planFor(User, { where: [{ property: 'status', op: '=', values: ['active'] }], filtered: new Set(), consistent: false });
 */
export function planFor(schema: ModelSchema, request: PlanRequest): QueryPlan {
  let byShape = shapes.get(schema);
  if (!byShape) shapes.set(schema, (byShape = new Map()));
  const key = shapeKey(request);
  let shape = byShape.get(key);
  if (!shape) {
    const plan = planQuery(schema, request);
    shape = { plan, positions: new Map(request.where.map((clause, i) => [clause, i])) };
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    byShape.set(key, shape);
  }
  const { plan, positions } = shape;
  const clauses = request.where;
  return {
    ...plan,
    partition: plan.partition.map((match) => rebind(match, clauses, positions)),
    sort: plan.sort && rebind(plan.sort, clauses, positions),
    rest: plan.rest.map((clause) => clauses[positions.get(clause)!]),
  };
}
