import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/item-codec';
import { BATCH_RETRY, backoff } from './retry-policy';

/** DynamoDB's limit of write requests in one BatchWriteItem. */
export const MAX_BATCH_WRITES = 25;

/** One request of a BatchWriteItem (DocumentClient shape). */
export type WriteRequest = { DeleteRequest: { Key: StoredItem } } | { PutRequest: { Item: StoredItem } };

export interface BatchWriteOptions {
  /** For messages, e.g. 'Session.where(...).deleteAll'. */
  readonly action: string;
  readonly signal?: AbortSignal;
  /** Sends of one chunk before giving up on what DynamoDB left unprocessed. Default: BATCH_RETRY. */
  readonly maxAttempts?: number;
  /** The first backoff's ceiling in ms, doubled per attempt (full jitter). Default: BATCH_RETRY. */
  readonly baseDelayMs?: number;
}

/** Errors that mean "later", after the SDK's own retries: worth our backoff too (batch reads share them). */
export const RETRYABLE = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError']);

/** What became of a chunk: the requests DynamoDB did not do, and why. */
export interface ChunkResult {
  /** Not done (as DynamoDB answers them: copies, matched by key). Empty: all done. */
  readonly left: readonly WriteRequest[];
  /** The error that refused the chunk (or its last resend); none when only `left` remains. */
  readonly error?: Error;
  /** How many times the chunk was sent. */
  readonly attempts: number;
}

/**
 * Writes one chunk (at most 25 requests), resending what DynamoDB leaves unprocessed (and a
 * chunk refused for throttling) with exponential backoff and full jitter, for a bounded
 * number of attempts. Never throws: it tells what was left and why, so that the caller can
 * settle what was written (after-hooks) before it stops the batch with a BatchError.
 *
 * @example
 * const { left, error } = await writeChunk(conn, 'sessions', keys.map((Key) => ({ DeleteRequest: { Key } })), { action: 'Session.batchDelete' });
 */
export async function writeChunk(conn: Connection, table: string, chunk: readonly WriteRequest[], options: BatchWriteOptions): Promise<ChunkResult> {
  const maxAttempts = options.maxAttempts ?? BATCH_RETRY.maxAttempts;
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    const params = { RequestItems: { [table]: pending as WriteRequest[] } };
    try {
      const out = await invoke(conn, 'batchWrite', params, options.signal ? { abortSignal: options.signal } : undefined);
      pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    } catch (error) {
      if (!RETRYABLE.has(awsErrorName(error) ?? '') || attempt >= maxAttempts) {
        return { left: pending, error: translateError(error, { action: options.action, table, params }), attempts: attempt };
      }
    }
    if (pending.length === 0 || attempt >= maxAttempts) return { left: pending, attempts: attempt };
    await backoff(attempt, options.baseDelayMs ?? BATCH_RETRY.baseDelayMs);
  }
}
