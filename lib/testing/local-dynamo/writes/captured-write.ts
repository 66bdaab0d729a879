import type { DynaliteClient } from '../dynalite-client';
import { dynamoSyntaxError } from '../dynalite-internals';
import { DynamoError } from '../errors';
import { asksItemCollectionMetrics, isWriteWithMetrics, writeWithMetrics } from './item-collection-metrics';
import type { WriteTarget } from '../item-changes';
import { asksReturnOnFailure, writeReturningOnFailure } from './return-on-condition-failure';
import { isRecord, type WireBody, type WireItem } from '../wire';

/** The writes a client sends one at a time whose changes the layer captures (transactions capture their own). */
export type CapturedWrite = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

export function isCapturedWrite(operation: string): operation is CapturedWrite {
  return operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem' || operation === 'BatchWriteItem';
}

/**
 * The items a write names, or undefined when the request is not shaped as one (dynalite
 * then answers it with the error it deserves, and nothing is written).
 */
export function writeTargets(operation: CapturedWrite, body: WireBody): WriteTarget[] | undefined {
  if (operation !== 'BatchWriteItem') {
    const keyOrItem = operation === 'PutItem' ? body.Item : body.Key;
    return typeof body.TableName === 'string' && isRecord(keyOrItem) ? [{ tableName: body.TableName, keyOrItem: keyOrItem as WireItem }] : undefined;
  }
  if (!isRecord(body.RequestItems)) return undefined;
  const targets: WriteTarget[] = [];
  for (const [tableName, requests] of Object.entries(body.RequestItems)) {
    if (!Array.isArray(requests)) return undefined;
    for (const request of requests as unknown[]) {
      const put = isRecord(request) && isRecord(request.PutRequest) ? request.PutRequest.Item : undefined;
      const del = isRecord(request) && isRecord(request.DeleteRequest) ? request.DeleteRequest.Key : undefined;
      const keyOrItem = put ?? del;
      if (!isRecord(keyOrItem)) return undefined;
      targets.push({ tableName, keyOrItem: keyOrItem as WireItem });
    }
  }
  return targets;
}

/**
 * Runs a write the layer answers itself rather than forwarding its bytes, as dynalite plus
 * the layer's additions would answer it: the old item on a failed condition, item
 * collection metrics, DynamoDB's wording of syntax errors.
 */
export async function runWrite(client: DynaliteClient, operation: CapturedWrite, body: WireBody): Promise<WireBody> {
  if (operation !== 'BatchWriteItem' && asksReturnOnFailure(body)) return writeReturningOnFailure(client, operation, body);
  if (isWriteWithMetrics(operation) && asksItemCollectionMetrics(body)) return writeWithMetrics(client, operation, body);
  try {
    return await client.call(operation, body);
  } catch (err) {
    throw (err instanceof DynamoError ? dynamoSyntaxError(err.message, body) : undefined) ?? err;
  }
}
