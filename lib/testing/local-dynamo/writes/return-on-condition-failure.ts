import type { DynaliteClient } from '../dynalite-client';
import { validateRequest, type ParameterTypes } from '../dynalite-internals';
import { isDynamoError } from '../errors';
import { keyOf, type WireBody, type WireItem } from '../wire';

/** The single-item writes that take `ReturnValuesOnConditionCheckFailure`, with dynalite's name for each. */
export const WRITES_RETURNING_ON_FAILURE = { PutItem: 'putItem', UpdateItem: 'updateItem', DeleteItem: 'deleteItem' } as const;

export type WriteReturningOnFailure = keyof typeof WRITES_RETURNING_ON_FAILURE;

/** The parameter dynalite lacks, in its format: checked for type, then against the enum. */
const RETURN_ON_FAILURE: ParameterTypes = {
  ReturnValuesOnConditionCheckFailure: { type: 'String', enum: ['ALL_OLD', 'NONE'] },
};

/** Whether a write asks for `ReturnValuesOnConditionCheckFailure`, which dynalite would silently drop. */
export function asksReturnOnFailure(body: WireBody): boolean {
  return body.ReturnValuesOnConditionCheckFailure !== undefined && body.ReturnValuesOnConditionCheckFailure !== null;
}

/**
 * PutItem, UpdateItem or DeleteItem with `ReturnValuesOnConditionCheckFailure`.
 * With ALL_OLD, a failed condition's ConditionalCheckFailedException carries the
 * item as it stood (`Item`, in wire form), as DynamoDB's does; with no item there
 * is no `Item`. The caller holds the exclusive lock for ALL_OLD, so the item read
 * after the refusal is the one the condition was judged on.
 */
export async function writeReturningOnFailure(client: DynaliteClient, operation: WriteReturningOnFailure, body: WireBody): Promise<WireBody> {
  validateRequest(WRITES_RETURNING_ON_FAILURE[operation], body, RETURN_ON_FAILURE);
  const { ReturnValuesOnConditionCheckFailure: mode, ...request } = body;
  try {
    return await client.call(operation, request);
  } catch (err) {
    if (mode !== 'ALL_OLD' || !isDynamoError(err, 'ConditionalCheckFailedException')) throw err;
    const item = await client.getItem(String(request.TableName), await keyOfRequest(client, operation, request));
    throw item ? err.withFields({ Item: item }) : err;
  }
}

async function keyOfRequest(client: DynaliteClient, operation: WriteReturningOnFailure, request: WireBody): Promise<WireItem> {
  if (operation !== 'PutItem') return request.Key as WireItem;
  const table = await client.describeTable(String(request.TableName));
  return keyOf(request.Item as WireItem, table.KeySchema);
}
