import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/stored-item';
import { sendChunk, type ChunkResult } from './retry-policy';

/** DynamoDB's limit of write requests in one BatchWriteItem. */
export const MAX_BATCH_WRITES = 25;

/** One request of a BatchWriteItem (DocumentClient shape). */
export type WriteRequest = { DeleteRequest: { Key: StoredItem } } | { PutRequest: { Item: StoredItem } };

export interface BatchWriteOptions {
  /** For messages, e.g. 'Session.where(...).deleteAll'. */
  readonly action: string;
  readonly signal?: AbortSignal;
}

/**
 * Writes one chunk (at most 25 requests) with the batch retry policy (sendChunk): what
 * DynamoDB leaves unprocessed, and a chunk refused for throttling, is resent. Never throws:
 * it tells what was left and why, so that the caller can settle what was written
 * (after-hooks) before it stops the batch with a BatchError.
 *
 * @example
 * const { left, error } = await writeChunk(conn, 'sessions', keys.map((Key) => ({ DeleteRequest: { Key } })), { action: 'Session.batchDelete' });
 */
export function writeChunk(conn: Connection, table: string, chunk: readonly WriteRequest[], options: BatchWriteOptions): Promise<ChunkResult<WriteRequest>> {
  let params: { RequestItems: Record<string, WriteRequest[]> };
  return sendChunk(
    chunk,
    async (pending) => {
      params = { RequestItems: { [table]: pending as WriteRequest[] } };
      const out = await invoke(conn, 'batchWrite', params, options.signal ? { abortSignal: options.signal } : undefined);
      return (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    },
    (error) => translateError(error, { action: options.action, table, params }),
  );
}
