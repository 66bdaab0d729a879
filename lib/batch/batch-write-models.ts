import { getConnection } from '../connection/connection-context';
import { stopped } from './batch-stop';
import { LambdaTimeoutError } from '../errors/dynamorm-error';
import type { HookEvent } from '../metadata/options';
import type { ModelSchema } from '../metadata/model-schema';
import { keyOfItem } from '../marshal/key-codec';
import { MAX_BATCH_WRITES, writeChunk, type WriteRequest } from './batch-write';
import { keyIdentity } from './key-identity';
import { runHooks } from '../record/run-hooks';

/** One request of a model batch, and what it means to the caller. */
export interface ModelWrite {
  readonly request: WriteRequest;
  /** What the caller passed for it (a key given twice: both): `.unprocessed` while it is not done. */
  readonly inputs: readonly unknown[];
  /** What `.completed` lists once it is done. */
  readonly completed: readonly unknown[];
  /** The instances whose after-hooks run once it is done. */
  readonly models: readonly object[];
  /** It is done: the instances now mirror the table (marked stored, or deleted). */
  stored(): void;
}

/**
 * Sends the writes in BatchWriteItem chunks of 25 (the batch retry policy), one chunk at a
 * time. Once a chunk is sent, the writes DynamoDB did are settled: their instances mirror the
 * table, then the after-hooks of every one of them run (a hook that throws undoes nothing; the
 * first such error is kept). If anything is left undone in the chunk, or a hook threw, no
 * further chunk is sent and the batch stops with a BatchError (LambdaTimeoutError at a
 * deadline) carrying `.completed` and `.unprocessed` (the inputs of every write not done, as
 * passed) and, as `cause`, what stopped it.
 */
export async function writeModels(schema: ModelSchema, action: string, writes: readonly ModelWrite[], afterHooks: readonly HookEvent[]): Promise<void> {
  const conn = getConnection();
  const table = conn.tableName(schema.table);
  const keyOf = (r: WriteRequest) => ('PutRequest' in r ? keyOfItem(r.PutRequest.Item, schema.tableKey) : r.DeleteRequest.Key);
  const idOf = (r: WriteRequest) => keyIdentity(keyOf(r), schema.tableKey);
  const completed: unknown[] = [];
  for (let start = 0; start < writes.length; start += MAX_BATCH_WRITES) {
    const chunk = writes.slice(start, start + MAX_BATCH_WRITES);
    const sent = await writeChunk(
      conn,
      table,
      chunk.map((w) => w.request),
      { action },
    );
    // DynamoDB answers with copies of the requests it left: match them by key.
    const left = new Set(sent.left.map(idOf));
    const done = left.size === 0 ? chunk : chunk.filter((w) => !left.has(idOf(w.request)));
    for (const w of done) {
      w.stored();
      completed.push(...w.completed);
    }
    let hookError: unknown;
    for (const w of done) {
      for (const model of w.models) {
        try {
          await runHooks(schema, model, ...afterHooks);
        } catch (error) {
          hookError ??= error;
        }
      }
    }
    if (left.size === 0 && hookError === undefined) continue;
    const rest = [...chunk.filter((w) => left.has(idOf(w.request))), ...writes.slice(start + MAX_BATCH_WRITES)];
    // A deadline stays the cause (the error is then a LambdaTimeoutError); else a hook's error, which nothing else reports.
    const cause = sent.error instanceof LambdaTimeoutError ? sent.error : (hookError ?? sent.error);
    const unprocessed = rest.flatMap((w) => w.inputs);
    throw stopped({ action, completed, unprocessed, keys: rest.map((w) => keyOf(w.request)), cause, attempts: sent.attempts });
  }
}
