import { QueryError } from '../errors/dynamorm-error';
import { cond, MAX_IN_VALUES, type Condition, type Path } from './condition';

/** The operators of `where` / `filter(property, operator, ...values)`. */
export const OPERATORS = ['=', '<>', '<', '<=', '>', '>=', 'between', 'begins_with', 'in', 'contains', 'not_contains', 'exists', 'not_exists'] as const;
type Operator = (typeof OPERATORS)[number];

/** The operators a KeyConditionExpression takes on a sort key (the partition key takes only `=`). */
export const KEY_OPERATORS = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'] as const;

const COUNT: Record<Operator, number> = {
  '=': 1,
  '<>': 1,
  '<': 1,
  '<=': 1,
  '>': 1,
  '>=': 1,
  between: 2,
  begins_with: 1,
  in: 1,
  contains: 1,
  not_contains: 1,
  exists: 0,
  not_exists: 0,
};

/**
 * The values of one structured call, checked as structuredCondition checks them: the
 * operator known, the right number of values, `in` one array of 1 to 100, none undefined;
 * for `in`, the array's members. A request compiled once per query shape checks each
 * query's values with this.
 *
 * @example
 * structuredValues('in', [['a', 'b']], 'User.status'); // ['a', 'b']
 */
export function structuredValues(operator: string, values: readonly unknown[], subject: string): readonly unknown[] {
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    throw new QueryError(`${subject}: unknown operator '${operator}' (operators: ${OPERATORS.join(', ')}).`);
  }
  const op = operator as Operator;
  const want = COUNT[op];
  if (values.length !== want) {
    const needs =
      op === 'between'
        ? 'needs two values (low, high)'
        : op === 'in'
          ? `takes one array of 1 to ${MAX_IN_VALUES} values`
          : want === 0
            ? 'takes no value'
            : 'takes one value';
    throw new QueryError(`${subject}: '${op}' ${needs}, got ${values.length}.`);
  }
  if (op === 'in') {
    const list = values[0];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_IN_VALUES) {
      const got = Array.isArray(list) ? `${list.length} values` : typeof list;
      throw new QueryError(`${subject}: 'in' takes one array of 1 to ${MAX_IN_VALUES} values, got ${got}.`);
    }
    values = list;
  }
  if (values.some((v) => v === undefined)) {
    throw new QueryError(`${subject}: '${op}' got undefined (DynamoDB has no undefined: use null, or 'not_exists').`);
  }
  return values;
}

/**
 * The condition of one structured call, `where('age', '>=', 30)` or `filter('email', 'exists')`,
 * with its values checked: the right number for the operator (`between` two, `exists` none,
 * `in` one array of 1 to 100), none undefined. `subject` names the property in errors
 * (e.g. 'User.age'; the path by default).
 *
 * @example
 * compileCondition(structuredCondition(['age'], 'between', [18, 65]), p); // '#n1 BETWEEN :v1 AND :v2'
 * compileCondition(structuredCondition(['tags'], 'not_contains', ['x']), p); // 'NOT contains(#n1, :v1)'
 * structuredCondition(['age'], 'between', [18], 'User.age');
 * // QueryError: User.age: 'between' needs two values (low, high), got 1
 */
export function structuredCondition(path: Path, operator: string, values: readonly unknown[], subject: string = path.join('.')): Condition {
  const op = operator as Operator;
  values = structuredValues(operator, values, subject);
  switch (op) {
    case 'between':
      return cond.between(path, values[0], values[1]);
    case 'begins_with':
      return cond.beginsWith(path, values[0]);
    case 'in':
      return cond.in(path, values);
    case 'contains':
      return cond.contains(path, values[0]);
    case 'not_contains':
      return cond.notContains(path, values[0]);
    case 'exists':
      return cond.exists(path);
    case 'not_exists':
      return cond.notExists(path);
    default:
      return cond.compare(path, op, values[0]);
  }
}
