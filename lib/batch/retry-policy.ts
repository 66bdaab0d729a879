import { currentDeadline, sleepWithin } from '../lambda/deadline';

/**
 * The one retry policy of every batch (BatchGetItem and BatchWriteItem): a chunk is sent at
 * most 8 times; before resend n (n = 1..7) dynamorm waits a random time between 0 and
 * 50 ms × 2^(n-1) ("full jitter": 0-50 ms, then 0-100 ms, ... up to 0-3.2 s, at most 6.35 s
 * in all), so clients throttled together do not come back together. Then BatchError.
 *
 * @example
 * const { left, error } = await writeChunk(conn, table, requests, { action, ...BATCH_RETRY });
 */
export const BATCH_RETRY = { maxAttempts: 8, baseDelayMs: 50 } as const;

/**
 * Waits before resend `attempt + 1` of a chunk: full jitter, anywhere up to base × 2^(attempt-1).
 * Inside withLambdaTimeout the wait ends at the deadline at the latest; the resend is then
 * refused as not sent, and the batch stops with a BatchError naming what was not done.
 */
export function backoff(attempt: number, baseDelayMs: number = BATCH_RETRY.baseDelayMs): Promise<void> {
  const ms = Math.random() * baseDelayMs * 2 ** (attempt - 1);
  const deadline = currentDeadline();
  if (deadline) return sleepWithin(deadline, ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
