import { getConnection } from '../connection/connection-context';
import { undoneOf } from '../batch/batch-stop';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/item-codec';
import { keyOfItem } from '../marshal/key-codec';
import { writeInBatches, type WriteRequest } from '../batch/batch-write';
import { keyIdentity } from '../batch/key-identity';
import { BATCH_RETRY } from '../batch/retry-policy';

/** One request of a model batch, and what to do once DynamoDB has done it. */
export interface ModelWrite {
  readonly request: WriteRequest;
  /** Marks the models persisted (or deleted) and runs their after-hooks. */
  readonly done: () => Promise<void>;
  settled?: boolean;
}

/**
 * Sends the requests through writeInBatches (chunks of 25, the batch retry policy) and
 * settles each write once its chunk is done. When the batch stops, the writes DynamoDB did do
 * (those not in `.unprocessed`) are settled too before it is rethrown, so every model's
 * state matches the table.
 */
export async function writeModels(schema: ModelSchema, action: string, writes: readonly ModelWrite[]): Promise<void> {
  const conn = getConnection();
  const byRequest = new Map(writes.map((w) => [w.request, w]));
  const keyOf = (r: WriteRequest) => ('PutRequest' in r ? keyOfItem(r.PutRequest.Item, schema.tableKey) : r.DeleteRequest.Key);
  const settle = async (w: ModelWrite) => {
    w.settled = true;
    await w.done();
  };
  try {
    await writeInBatches(conn, conn.tableName(schema.table), writes.map((w) => w.request), { action, keyOf, ...BATCH_RETRY }, async (chunk) => {
      for (const request of chunk) await settle(byRequest.get(request)!);
    });
  } catch (error) {
    const undone = undoneOf(error);
    if (undone) {
      const notDone = new Set(undone.unprocessed.map((k) => keyIdentity(k as StoredItem, schema.tableKey)));
      for (const w of writes) if (!w.settled && !notDone.has(keyIdentity(keyOf(w.request), schema.tableKey))) await settle(w);
    }
    throw error;
  }
}
