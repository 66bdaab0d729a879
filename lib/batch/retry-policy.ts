import { awsErrorName } from '../errors/translate-error';
import { currentDeadline, sleepWithin } from '../connection/deadline';

/**
 * The one retry policy of every batch (BatchGetItem and BatchWriteItem): a chunk is sent at
 * most 8 times; before resend n (n = 1..7) dynamorm waits a random time between 0 and
 * 50 ms × 2^(n-1) ("full jitter": 0-50 ms, then 0-100 ms, ... up to 0-3.2 s, at most 6.35 s
 * in all), so clients throttled together do not come back together. Then BatchError.
 *
 * @example
 * const { left, error } = await writeChunk(conn, table, requests, { action });
 */
const BATCH_RETRY = { maxAttempts: 8, baseDelayMs: 50 } as const;

/**
 * Waits before resend `attempt + 1` of a chunk: full jitter, anywhere up to base × 2^(attempt-1).
 * Inside withLambdaTimeout the wait ends at the deadline at the latest; the resend is then
 * refused as not sent, and the batch stops with a BatchError naming what was not done.
 */
function backoff(attempt: number, baseDelayMs: number = BATCH_RETRY.baseDelayMs): Promise<void> {
  const ms = Math.random() * baseDelayMs * 2 ** (attempt - 1);
  const deadline = currentDeadline();
  if (deadline) return sleepWithin(deadline, ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Errors that mean "later", after the SDK's own retries: worth our backoff too. */
const RETRYABLE = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError']);

/** What became of a chunk: what DynamoDB did not do, and why. */
export interface ChunkResult<T> {
  /** Not done (as DynamoDB answers them: copies, matched by key). Empty: all done. */
  readonly left: readonly T[];
  /** The error that refused the chunk (or its last resend); none when only `left` remains. */
  readonly error?: Error;
  /** How many times the chunk was sent. */
  readonly attempts: number;
}

/**
 * Sends one chunk of a batch with this policy: `send` sends what is pending and resolves to
 * what DynamoDB left unprocessed, which is sent again (as is a chunk refused for throttling)
 * after a backoff, for at most BATCH_RETRY.maxAttempts sends. Never throws: it tells what was
 * left and why (`fail` turns the error into the one to report), so that the caller can settle
 * what was done before it stops the batch.
 *
 * @example
 * const { left, error, attempts } = await sendChunk(keys, async (pending) => leftOf(await invoke(conn, 'batchGet', paramsOf(pending))), fail);
 */
export async function sendChunk<T>(
  chunk: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  fail: (error: unknown, pending: readonly T[]) => Error,
): Promise<ChunkResult<T>> {
  const { maxAttempts } = BATCH_RETRY;
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    try {
      pending = await send(pending);
    } catch (error) {
      if (!RETRYABLE.has(awsErrorName(error) ?? '') || attempt >= maxAttempts) return { left: pending, error: fail(error, pending), attempts: attempt };
    }
    if (pending.length === 0 || attempt >= maxAttempts) return { left: pending, attempts: attempt };
    await backoff(attempt);
  }
}
