import type { DynaliteClient } from '../dynalite-client';
import type { TableDescription, WireBody, WireItem } from '../wire';

/** The writes that take `ReturnItemCollectionMetrics`, which dynalite validates and then ignores. */
export type WriteWithMetrics = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

/** Whether `operation` is one of the writes whose item collection metrics the layer adds. */
export function isWriteWithMetrics(operation: string): operation is WriteWithMetrics {
  return operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem' || operation === 'BatchWriteItem';
}

/**
 * Whether a write's raw body may ask for item collection metrics. Looking for the
 * name in the raw bytes first keeps the usual write from being parsed twice.
 */
export function mayAskItemCollectionMetrics(raw: Buffer): boolean {
  return raw.includes('ReturnItemCollectionMetrics');
}

/** Whether a parsed write asks for `ReturnItemCollectionMetrics: 'SIZE'`. */
export function asksItemCollectionMetrics(body: WireBody): boolean {
  return body.ReturnItemCollectionMetrics === 'SIZE';
}

/**
 * DynamoDB's estimate for a collection well under a gigabyte, the only size an
 * in-memory store holds in practice. DynamoDB gives a lower and an upper bound in GB
 * and warns that the estimate is imprecise; the layer does not weigh the collection.
 */
const SMALL_COLLECTION_GB = [0, 1];

/**
 * Runs a write that asks for `ReturnItemCollectionMetrics: 'SIZE'` through dynalite
 * (which validates the parameter, so a wrong value keeps dynalite's error) and adds the
 * `ItemCollectionMetrics` DynamoDB returns for a table with a local secondary index:
 * `{ ItemCollectionKey: { <partition key>: value }, SizeEstimateRangeGB: [low, high] }`.
 * A table without one gets none, as on DynamoDB. BatchWriteItem gets, per table with an
 * index, one entry per item collection its requests wrote.
 */
export async function writeWithMetrics(client: DynaliteClient, operation: WriteWithMetrics, body: WireBody): Promise<WireBody> {
  const out = await client.call(operation, body);
  if (operation === 'BatchWriteItem') return { ...out, ...(await batchMetrics(client, body)) };
  const table = await describeIfIndexed(client, String(body.TableName));
  if (!table) return out;
  const itemOrKey = (operation === 'PutItem' ? body.Item : body.Key) as WireItem;
  return { ...out, ItemCollectionMetrics: metricsFor(table, itemOrKey) };
}

// dynalite processes every request of a batch or none, so no UnprocessedItems to leave out.
function batchMetrics(client: DynaliteClient, body: WireBody): Promise<WireBody> {
  const requestItems = (body.RequestItems ?? {}) as Record<string, Array<{ PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }>>;
  const writes: WrittenItem[] = [];
  for (const [tableName, requests] of Object.entries(requestItems)) {
    for (const request of requests) {
      const itemOrKey = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
      if (itemOrKey) writes.push({ tableName, itemOrKey });
    }
  }
  return collectionMetrics(client, writes);
}

/** An item a request wrote: its table and its key (or the whole item). */
export interface WrittenItem {
  tableName: string;
  itemOrKey: WireItem;
}

/**
 * `{ ItemCollectionMetrics: { <table>: [...] } }` for the writes of a BatchWriteItem or a
 * TransactWriteItems: per table with a local secondary index, one entry per item collection
 * written; `{}` when no such table was written.
 */
export async function collectionMetrics(client: DynaliteClient, writes: readonly WrittenItem[]): Promise<WireBody> {
  const metrics: Record<string, WireBody[]> = {};
  const tables = new Map<string, TableDescription | undefined>();
  for (const { tableName, itemOrKey } of writes) {
    if (!tables.has(tableName)) tables.set(tableName, await describeIfIndexed(client, tableName));
    const table = tables.get(tableName);
    if (!table) continue;
    const entry = metricsFor(table, itemOrKey);
    const entries = (metrics[tableName] ??= []);
    if (!entries.some((seen) => JSON.stringify(seen.ItemCollectionKey) === JSON.stringify(entry.ItemCollectionKey))) entries.push(entry);
  }
  return Object.keys(metrics).length ? { ItemCollectionMetrics: metrics } : {};
}

/** The table's description when it has a local secondary index, else undefined. */
async function describeIfIndexed(client: DynaliteClient, tableName: string): Promise<TableDescription | undefined> {
  const table = await client.describeTable(tableName).catch(() => undefined);
  return table?.LocalSecondaryIndexes?.length ? table : undefined;
}

function metricsFor(table: TableDescription, itemOrKey: WireItem): WireBody {
  const hash = table.KeySchema.find((element) => element.KeyType === 'HASH')?.AttributeName ?? '';
  return { ItemCollectionKey: { [hash]: itemOrKey[hash] }, SizeEstimateRangeGB: [...SMALL_COLLECTION_GB] };
}
