import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/item-codec';
import { stopped } from './batch-stop';
import { RETRYABLE } from './batch-write';
import { BATCH_RETRY, backoff } from './retry-policy';

/** DynamoDB's limit of keys in one BatchGetItem. */
export const MAX_BATCH_GETS = 100;

export interface BatchReadOptions {
  readonly consistent?: boolean;
  readonly abortSignal?: AbortSignal;
}

/**
 * Reads every key in BatchGetItem chunks of 100, resending UnprocessedKeys (and chunks
 * refused for throttling) with the batch retry policy (BATCH_RETRY). Resolves to the items found, in
 * DynamoDB's order (none: the key's item does not exist). What is still unread after the
 * last attempt is a BatchError whose `.unprocessed` lists exactly those keys (the rest of
 * that chunk and every later chunk) and `.completed` the items found so far: the run stops
 * there, nothing is silently dropped.
 * The keys must be distinct (DynamoDB refuses duplicates in one request).
 *
 * @example
 * const items = await readInBatches(conn, 'users', [{ id: '1' }, { id: '2' }], 'User.batchGet', { consistent: true });
 */
export async function readInBatches(conn: Connection, table: string, keys: readonly StoredItem[], action: string, options: BatchReadOptions = {}): Promise<StoredItem[]> {
  const { maxAttempts, baseDelayMs } = BATCH_RETRY;
  const found: StoredItem[] = [];
  let done = 0; // keys read, found or not
  const stop = (unprocessed: readonly StoredItem[], cause?: Error, attempts?: number) =>
    stopped({ action, completed: found, unprocessed, keys: unprocessed, done, cause, attempts });
  for (let start = 0; start < keys.length; start += MAX_BATCH_GETS) {
    let pending: readonly StoredItem[] = keys.slice(start, start + MAX_BATCH_GETS);
    const notSent = () => keys.slice(start + MAX_BATCH_GETS);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const params = { RequestItems: { [table]: { Keys: pending as StoredItem[], ...(options.consistent ? { ConsistentRead: true } : {}) } } };
      let left: readonly StoredItem[];
      try {
        const out = await invoke(conn, 'batchGet', params, options.abortSignal ? { abortSignal: options.abortSignal } : undefined);
        found.push(...((out.Responses?.[table] ?? []) as StoredItem[]));
        left = (out.UnprocessedKeys?.[table]?.Keys ?? []) as StoredItem[];
      } catch (error) {
        if (!RETRYABLE.has(awsErrorName(error) ?? '') || attempt >= maxAttempts) {
          throw stop([...pending, ...notSent()], translateError(error, { action, table, params }));
        }
        left = pending;
      }
      done += pending.length - left.length;
      pending = left;
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) throw stop([...pending, ...notSent()], undefined, attempt);
      await backoff(attempt, baseDelayMs);
    }
  }
  return found;
}
