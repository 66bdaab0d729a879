/**
 * What `connect({ debug })` adds to a logger record: a request's compiled expressions.
 *
 * @example
 * connect({ logger: (r) => console.log(r.operation, r.expressions), debug: true });
 * // Query { KeyConditionExpression: '#n1 = :v1', ExpressionAttributeNames: { '#n1': 'id' }, ExpressionAttributeValues: { ':v1': '<redacted>' } }
 */
export interface LoggedExpressions {
  /** The table, in a record of a batch or transaction (one entry per table or action). */
  table?: string;
  /** The action of a transaction entry: 'Put', 'Update', 'Delete', 'ConditionCheck', 'Get'. */
  action?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  /** Every value shown as '<redacted>' unless `debug: { values: true }`. */
  ExpressionAttributeValues?: Record<string, unknown>;
}

const EXPRESSION_FIELDS = ['KeyConditionExpression', 'FilterExpression', 'ConditionExpression', 'UpdateExpression', 'ProjectionExpression'] as const;

const REDACTED = '<redacted>';

type Params = Record<string, unknown>;

function expressionsOf(params: Params, values: boolean, where?: { table?: string; action?: string }): LoggedExpressions | undefined {
  let out: LoggedExpressions | undefined;
  for (const field of EXPRESSION_FIELDS) {
    if (typeof params[field] === 'string') (out ??= {})[field] = params[field];
  }
  if (!out) return undefined;
  if (params.ExpressionAttributeNames) out.ExpressionAttributeNames = params.ExpressionAttributeNames as Record<string, string>;
  const given = params.ExpressionAttributeValues as Params | undefined;
  if (given) out.ExpressionAttributeValues = values ? given : Object.fromEntries(Object.keys(given).map((name) => [name, REDACTED]));
  return where ? { ...where, ...out } : out;
}

/**
 * The compiled expressions of a request's input, for the logger's `debug` records: values
 * redacted unless `values` (they may be personal data). Item requests, Query and Scan give
 * one entry; BatchGetItem one per table that has a projection; TransactWriteItems and
 * TransactGetItems one per action that has an expression. Undefined when there is none.
 *
 * @example
 * loggedExpressions({ TableName: 't', KeyConditionExpression: '#n1 = :v1', ExpressionAttributeNames: { '#n1': 'id' },
 *   ExpressionAttributeValues: { ':v1': '42' } }, false);
 * // { KeyConditionExpression: '#n1 = :v1', ExpressionAttributeNames: { '#n1': 'id' }, ExpressionAttributeValues: { ':v1': '<redacted>' } }
 */
export function loggedExpressions(input: Params, values: boolean): LoggedExpressions | LoggedExpressions[] | undefined {
  const several: LoggedExpressions[] = [];
  if (Array.isArray(input.TransactItems)) {
    for (const entry of input.TransactItems as Array<Record<string, Params | undefined>>) {
      for (const [action, params] of Object.entries(entry)) {
        const found = params && expressionsOf(params, values, { table: params.TableName as string | undefined, action });
        if (found) several.push(found);
      }
    }
  } else if (input.RequestItems && typeof input.RequestItems === 'object') {
    for (const [table, params] of Object.entries(input.RequestItems as Record<string, unknown>)) {
      // BatchWriteItem's entries are arrays of requests, which have no expressions.
      const found = !Array.isArray(params) && params && typeof params === 'object' ? expressionsOf(params as Params, values, { table }) : undefined;
      if (found) several.push(found);
    }
  } else {
    return expressionsOf(input, values);
  }
  return several.length > 0 ? several : undefined;
}
