import type { DynaliteClient } from '../dynalite-client';
import { planTransaction } from './transact-plan';
import type { WireBody, WireItem } from '../wire';

/**
 * TransactGetItems: every Get read consistently while the caller holds the
 * exclusive lock, so the items form one snapshot with no write in between.
 */
export async function transactGetItems(client: DynaliteClient, body: WireBody): Promise<WireBody> {
  const actions = await planTransaction(client, body.TransactItems, ['Get'], 'TransactItems can only contain one of Get');
  const responses = await Promise.all(
    actions.map(async ({ request }) => {
      const out = await client.call<{ Item?: WireItem }>('GetItem', {
        TableName: request.TableName,
        Key: request.Key,
        ProjectionExpression: request.ProjectionExpression,
        ExpressionAttributeNames: request.ExpressionAttributeNames,
        ConsistentRead: true,
      });
      return out.Item ? { Item: out.Item } : {};
    }),
  );
  const result: WireBody = { Responses: responses };
  const mode = body.ReturnConsumedCapacity;
  if (mode === 'TOTAL' || mode === 'INDEXES') {
    const perTable = new Map<string, number>();
    // Transactional reads cost two read units per item.
    for (const { tableName } of actions) perTable.set(tableName, (perTable.get(tableName) ?? 0) + 2);
    result.ConsumedCapacity = [...perTable].map(([TableName, units]) => ({ TableName, CapacityUnits: units, ReadCapacityUnits: units }));
  }
  return result;
}
