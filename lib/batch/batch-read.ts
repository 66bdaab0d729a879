import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/stored-item';
import { stopped } from './batch-stop';
import { sendChunk } from './retry-policy';

/** DynamoDB's limit of keys in one BatchGetItem. */
const MAX_BATCH_GETS = 100;

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
export async function readInBatches(
  conn: Connection,
  table: string,
  keys: readonly StoredItem[],
  action: string,
  options: BatchReadOptions = {},
): Promise<StoredItem[]> {
  const found: StoredItem[] = [];
  let done = 0; // keys read, found or not
  let params: { RequestItems: Record<string, { Keys: StoredItem[]; ConsistentRead?: boolean }> };
  const read = async (pending: readonly StoredItem[]): Promise<StoredItem[]> => {
    params = { RequestItems: { [table]: { Keys: pending as StoredItem[], ...(options.consistent ? { ConsistentRead: true } : {}) } } };
    const out = await invoke(conn, 'batchGet', params, options.abortSignal ? { abortSignal: options.abortSignal } : undefined);
    found.push(...((out.Responses?.[table] ?? []) as StoredItem[]));
    const left = (out.UnprocessedKeys?.[table]?.Keys ?? []) as StoredItem[];
    done += pending.length - left.length;
    return left;
  };
  for (let start = 0; start < keys.length; start += MAX_BATCH_GETS) {
    const { left, error, attempts } = await sendChunk(keys.slice(start, start + MAX_BATCH_GETS), read, (cause) =>
      translateError(cause, { action, table, params }),
    );
    if (left.length > 0) {
      const unprocessed = [...left, ...keys.slice(start + MAX_BATCH_GETS)];
      throw stopped({ action, completed: found, unprocessed, keys: unprocessed, done, cause: error, attempts });
    }
  }
  return found;
}
