import { QueryError } from '../errors/dynamorm-error';
import { compileCondition, type Condition, type Operand } from './condition';
import type { Placeholders } from './placeholders';

/** The KeyConditionExpression of a Query: the partition key's `=` and at most one sort key condition. */
export interface KeyCondition {
  /** `cond.eq([partitionAttribute], value)`. */
  readonly partition: Condition;
  /** On the sort key, against values: `=`, `<`, `<=`, `>`, `>=` (cond.compare), cond.between or cond.beginsWith. */
  readonly sort?: Condition;
}

/**
 * Compiles a key condition, checking first that it is one DynamoDB takes: the partition key
 * compared with `=` to a value, and at most one sort key condition (`=`, `<`, `<=`, `>`, `>=`,
 * BETWEEN, begins_with) of a top-level key attribute against values. Anything else is a
 * QueryError before any request.
 *
 * @example
 * compileKeyCondition({ partition: cond.eq(['deviceId'], 'd1'), sort: cond.between(['ts'], 1, 9) }, p);
 * // '#n1 = :v1 AND #n2 BETWEEN :v2 AND :v3'
 */
export function compileKeyCondition(key: KeyCondition, p: Placeholders): string {
  const partition = keyAttribute(key.partition, 'partition');
  if (key.sort) {
    const sort = keyAttribute(key.sort, 'sort');
    if (sort === partition) throw new QueryError(`A key condition names '${partition}' as both the partition and the sort key.`);
  }
  const text = compileCondition(key.partition, p);
  return key.sort ? `${text} AND ${compileCondition(key.sort, p)}` : text;
}

/** The attribute a key condition constrains, or a QueryError saying what DynamoDB would refuse. */
function keyAttribute(node: Condition, role: 'partition' | 'sort'): string {
  const subject = node.kind === 'compare' ? node.left : node.kind === 'between' ? node.operand : node.kind === 'begins_with' ? ({ kind: 'path', path: node.path } as const) : undefined;
  const allowed = role === 'partition' ? node.kind === 'compare' && node.op === '=' : subject !== undefined && !(node.kind === 'compare' && node.op === '<>');
  if (!allowed || !subject) {
    const operator = node.kind === 'compare' ? node.op : node.kind;
    const takes = role === 'partition' ? "only '='" : "=, <, <=, >, >=, between or begins_with";
    throw new QueryError(`A key condition on the ${role} key takes ${takes}, not '${operator}'.`);
  }
  const operands: Operand[] = node.kind === 'compare' ? [node.right] : node.kind === 'between' ? [node.low, node.high] : node.kind === 'begins_with' ? [node.operand] : [];
  if (subject.kind !== 'path' || subject.path.length !== 1 || typeof subject.path[0] !== 'string' || operands.some((o) => o.kind !== 'value')) {
    throw new QueryError(`A key condition on the ${role} key compares the key attribute itself (no nested path, no size) with values.`);
  }
  return subject.path[0];
}
