import { QueryError } from '../errors/dynamorm-error';
import { Placeholders } from './placeholders';

/** A path: attribute name segments and list indexes (`a.b[2]` is `['a', 'b', 2]`). */
export type Path = ReadonlyArray<string | number>;

/** The comparators of DynamoDB's condition grammar. */
export type CompareOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** What a comparison compares: a document path, a value (always a `:v` placeholder) or `size(path)`. */
export type Operand =
  { readonly kind: 'path'; readonly path: Path } | { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'size'; readonly path: Path };

/**
 * A condition tree, the one form of the structured API (`where('age', '>=', 30)`) and of parsed
 * expression strings alike; compiled with placeholders by compileCondition. It has no
 * parentheses: the compiler adds exactly those precedence needs.
 */
export type Condition =
  | { readonly kind: 'compare'; readonly left: Operand; readonly op: CompareOperator; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly values: readonly Operand[] }
  | { readonly kind: 'begins_with' | 'contains'; readonly path: Path; readonly operand: Operand }
  | { readonly kind: 'attribute_type'; readonly path: Path; readonly type: Operand }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: Path }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition };

/** The DynamoDB types `attribute_type` accepts. */
export const ATTRIBUTE_TYPES = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'] as const;

/** DynamoDB's limit on the values of one IN. */
export const MAX_IN_VALUES = 100;

/**
 * Shorthands for operands.
 *
 * @example
 * operand.size(['tags']); // { kind: 'size', path: ['tags'] }, compiled as 'size(#n1)'
 */
export const operand = {
  path: (path: Path): Operand => ({ kind: 'path', path }),
  value: (value: unknown): Operand => ({ kind: 'value', value }),
  size: (path: Path): Operand => ({ kind: 'size', path }),
};

/**
 * Shorthands for building condition nodes; the path is always the subject and the rest are values.
 *
 * @example
 * compileCondition(cond.and(cond.compare(['age'], '>=', 30), cond.notContains(['tags'], 'x'))!, p);
 * // '#n1 >= :v1 AND NOT contains(#n2, :v2)'
 */
export const cond = {
  eq: (path: Path, value: unknown): Condition => cond.compare(path, '=', value),
  compare: (path: Path, op: CompareOperator, value: unknown): Condition => ({ kind: 'compare', left: operand.path(path), op, right: operand.value(value) }),
  /** Any two operands: `size(tags) > :n`, `a < b`. */
  comparison: (left: Operand, op: CompareOperator, right: Operand): Condition => ({ kind: 'compare', left, op, right }),
  between: (path: Path, low: unknown, high: unknown): Condition => ({
    kind: 'between',
    operand: operand.path(path),
    low: operand.value(low),
    high: operand.value(high),
  }),
  in: (path: Path, values: readonly unknown[]): Condition => ({ kind: 'in', operand: operand.path(path), values: values.map(operand.value) }),
  beginsWith: (path: Path, prefix: unknown): Condition => ({ kind: 'begins_with', path, operand: operand.value(prefix) }),
  contains: (path: Path, value: unknown): Condition => ({ kind: 'contains', path, operand: operand.value(value) }),
  notContains: (path: Path, value: unknown): Condition => cond.not(cond.contains(path, value)),
  attributeType: (path: Path, type: (typeof ATTRIBUTE_TYPES)[number]): Condition => ({ kind: 'attribute_type', path, type: operand.value(type) }),
  exists: (path: Path): Condition => ({ kind: 'exists', path }),
  notExists: (path: Path): Condition => ({ kind: 'not_exists', path }),
  not: (condition: Condition): Condition => ({ kind: 'not', condition }),
  and: (...conditions: Array<Condition | undefined>): Condition | undefined => combine('and', conditions),
  or: (...conditions: Array<Condition | undefined>): Condition | undefined => combine('or', conditions),
};

function combine(kind: 'and' | 'or', conditions: Array<Condition | undefined>): Condition | undefined {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  if (present.length <= 1) return present[0];
  return { kind, conditions: present };
}

/** A request's lone condition as its parameters: the expression and the names and values it uses. */
export interface ConditionParams {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * The parameters of a request whose only expression is this condition (a Delete, a Put, a
 * ConditionCheck): compileCondition with placeholders of its own.
 *
 * @example
 * conditionParams(cond.exists(['id'])); // { ConditionExpression: 'attribute_exists(#n1)', ExpressionAttributeNames: { '#n1': 'id' } }
 */
export function conditionParams(node: Condition): ConditionParams {
  const p = new Placeholders();
  return { ConditionExpression: compileCondition(node, p), ...p.toParams() };
}

/**
 * Compiles a condition into expression text, registering its names and values. Parentheses
 * appear only where DynamoDB's precedence (comparisons and functions, then NOT, then AND, then
 * OR) needs them, never doubled: DynamoDB rejects `((a = :v))` as redundant.
 *
 * @example
 * compileCondition(cond.and(cond.or(cond.eq(['a'], 1), cond.eq(['b'], 2)), cond.exists(['c']))!, p);
 * // '(#n1 = :v1 OR #n2 = :v2) AND attribute_exists(#n3)'
 */
export function compileCondition(node: Condition, p: Placeholders): string {
  switch (node.kind) {
    case 'compare':
      return `${compileOperand(node.left, p)} ${node.op} ${compileOperand(node.right, p)}`;
    case 'between':
      return `${compileOperand(node.operand, p)} BETWEEN ${compileOperand(node.low, p)} AND ${compileOperand(node.high, p)}`;
    case 'in':
      if (node.values.length === 0 || node.values.length > MAX_IN_VALUES) {
        throw new QueryError(`IN takes 1 to ${MAX_IN_VALUES} values, got ${node.values.length}.`);
      }
      return `${compileOperand(node.operand, p)} IN (${node.values.map((v) => compileOperand(v, p)).join(', ')})`;
    case 'begins_with':
    case 'contains':
      return `${node.kind}(${p.path(node.path)}, ${compileOperand(node.operand, p)})`;
    case 'attribute_type':
      if (node.type.kind === 'value' && !(ATTRIBUTE_TYPES as readonly unknown[]).includes(node.type.value)) {
        throw new QueryError(`attribute_type takes one of ${ATTRIBUTE_TYPES.join(', ')}, got ${JSON.stringify(node.type.value)}.`);
      }
      return `attribute_type(${p.path(node.path)}, ${compileOperand(node.type, p)})`;
    case 'exists':
      return `attribute_exists(${p.path(node.path)})`;
    case 'not_exists':
      return `attribute_not_exists(${p.path(node.path)})`;
    case 'and':
    case 'or': {
      if (node.conditions.length === 0) throw new QueryError(`An ${node.kind.toUpperCase()} needs at least one condition.`);
      const level = precedence(node);
      return node.conditions.map((c) => compileChild(c, level, p)).join(node.kind === 'and' ? ' AND ' : ' OR ');
    }
    case 'not':
      // NOT NOT a is DynamoDB grammar, but a local server (dynalite) only takes a leaf or a
      // parenthesised condition after NOT; `NOT (NOT a)` means the same to both.
      return `NOT ${compileChild(node.condition, NOT + 1, p)}`;
  }
}

const OR = 1;
const AND = 2;
const NOT = 3;
const LEAF = 4;

/** How tightly a node binds; an AND or OR of one condition is that condition. */
function precedence(node: Condition): number {
  if (node.kind === 'and' || node.kind === 'or') return node.conditions.length === 1 ? precedence(node.conditions[0]) : node.kind === 'and' ? AND : OR;
  return node.kind === 'not' ? NOT : LEAF;
}

// An equal level needs no parentheses: AND and OR are associative, so `a AND (b AND c)` is `a AND b AND c`.
function compileChild(node: Condition, parentLevel: number, p: Placeholders): string {
  const text = compileCondition(node, p);
  return precedence(node) < parentLevel ? `(${text})` : text;
}

/**
 * Compiles one operand: a path with every name a `#n` placeholder, a value as a `:v`
 * placeholder (one per operand node, so a param used twice is sent once), or `size(path)`.
 *
 * @example
 * compileOperand(operand.size(['tags']), p); // 'size(#n1)'
 */
export function compileOperand(node: Operand, p: Placeholders): string {
  switch (node.kind) {
    case 'path':
      return p.path(node.path);
    case 'value':
      return p.value(node.value, node);
    case 'size':
      return `size(${p.path(node.path)})`;
  }
}
