import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import type { BatchError, LambdaTimeoutError } from '../errors/dynamorm-error';
import { stoppedError } from './batch-stop';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/item-codec';
import { formatKey } from '../marshal/format-key';
import { BATCH_RETRY, backoff } from './retry-policy';

/** DynamoDB's limit of write requests in one BatchWriteItem. */
export const MAX_BATCH_WRITES = 25;

/** One request of a BatchWriteItem (DocumentClient shape). */
export type WriteRequest = { DeleteRequest: { Key: StoredItem } } | { PutRequest: { Item: StoredItem } };

export interface BatchWriteOptions {
  /** For messages, e.g. 'Session.where(...).deleteAll'. */
  readonly action: string;
  /** The key of a request, for `BatchError.unprocessed` and messages. */
  readonly keyOf: (request: WriteRequest) => StoredItem;
  readonly signal?: AbortSignal;
  /** Sends of one chunk before giving up on what DynamoDB left unprocessed. Default: BATCH_RETRY. */
  readonly maxAttempts?: number;
  /** The first backoff's ceiling in ms, doubled per attempt (full jitter). Default: BATCH_RETRY. */
  readonly baseDelayMs?: number;
}

/** Errors that mean "later", after the SDK's own retries: worth our backoff too (batch reads share them). */
export const RETRYABLE = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError']);


/**
 * Writes every request in chunks of 25, resending what DynamoDB leaves unprocessed (and
 * chunks refused for throttling) with exponential backoff and full jitter, for a bounded
 * number of attempts. What is still not done then is a BatchError whose `.unprocessed`
 * lists exactly those keys, and `.completed` counts the writes done; nothing is dropped.
 * `onChunk` hears each chunk as it completes (to run after-hooks).
 *
 * @example
 * await writeInBatches(conn, 'sessions', keys.map((Key) => ({ DeleteRequest: { Key } })), { action: 'deleteAll', keyOf });
 */
export async function writeInBatches(
  conn: Connection,
  table: string,
  requests: readonly WriteRequest[],
  options: BatchWriteOptions,
  onChunk?: (done: readonly WriteRequest[]) => Promise<void> | void,
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? BATCH_RETRY.maxAttempts;
  const base = options.baseDelayMs ?? BATCH_RETRY.baseDelayMs;
  let completed = 0;
  for (let start = 0; start < requests.length; start += MAX_BATCH_WRITES) {
    const chunk = requests.slice(start, start + MAX_BATCH_WRITES);
    let pending: readonly WriteRequest[] = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const params = { RequestItems: { [table]: pending as WriteRequest[] } };
      let left: readonly WriteRequest[];
      try {
        const out = await invoke(conn, 'batchWrite', params, options.signal ? { abortSignal: options.signal } : undefined);
        left = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      } catch (error) {
        if (!RETRYABLE.has(awsErrorName(error) ?? '') || attempt >= maxAttempts) {
          throw stopped(options, [...pending, ...requests.slice(start + MAX_BATCH_WRITES)], completed, translateError(error, { action: options.action, table, params }));
        }
        left = pending;
      }
      completed += pending.length - left.length;
      pending = left;
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        const unprocessed = [...pending, ...requests.slice(start + MAX_BATCH_WRITES)];
        throw stopped(options, unprocessed, completed, undefined, attempt);
      }
      await backoff(attempt, base);
    }
    await onChunk?.(chunk);
  }
  return completed;
}

/** The error of a batch that stopped, naming the keys not done (batch reads use it too; see stoppedError). */
export function stopped<T = WriteRequest>(
  options: { readonly action: string; readonly keyOf: (request: T) => StoredItem },
  unprocessed: readonly T[],
  completed: number,
  cause?: Error,
  attempts?: number,
): BatchError | LambdaTimeoutError {
  const keys = unprocessed.map(options.keyOf);
  const shown = keys.slice(0, 5).map((key) => `(${formatKey(key)})`).join(', ') + (keys.length > 5 ? `, and ${keys.length - 5} more` : '');
  const why = cause ? cause.message : `DynamoDB left them unprocessed after ${attempts} attempts (throughput too low for the batch?)`;
  return stoppedError(`${options.action}: ${completed} done, ${keys.length} not done: ${shown}. ${why}`, keys, completed, cause);
}
