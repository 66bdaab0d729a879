import { BatchError, LambdaTimeoutError } from '../errors/dynamorm-error';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey } from '../marshal/format-key';

/** A batch (or query-level write) that stopped part way, and why. */
export interface Stop {
  /** For the message, e.g. 'User.batchCreate'. */
  readonly action: string;
  /** What was done: `.completed`. */
  readonly completed: readonly unknown[];
  /** What was not done, as the caller passed it: `.unprocessed`. */
  readonly unprocessed: readonly unknown[];
  /** The keys of what was not done, for the message. */
  readonly keys: readonly StoredItem[];
  /** How many were done, for the message (default: completed.length; a read counts keys, found or not). */
  readonly done?: number;
  /** What stopped it; none: DynamoDB kept leaving items unprocessed. */
  readonly cause?: unknown;
  /** The sends of the last chunk, when DynamoDB kept leaving items unprocessed. */
  readonly attempts?: number;
}

/**
 * The error of a batch that stopped: "User.batchCreate: 25 done, 35 not done: (id="a"), ...
 * and 30 more. <why>". See stoppedError for its class.
 */
export function stopped(stop: Stop): BatchError | LambdaTimeoutError {
  const { keys, cause } = stop;
  const shown =
    keys
      .slice(0, 5)
      .map((key) => `(${formatKey(key)})`)
      .join(', ') + (keys.length > 5 ? `, and ${keys.length - 5} more` : '');
  const why =
    cause === undefined
      ? `DynamoDB left them unprocessed after ${stop.attempts} attempts (throughput too low for the batch?)`
      : cause instanceof Error
        ? cause.message
        : String(cause);
  const done = stop.done ?? stop.completed.length;
  return stoppedError(`${stop.action}: ${done} done, ${keys.length} not done${shown ? `: ${shown}` : ''}. ${why}`, stop.unprocessed, stop.completed, cause);
}

/**
 * The error of a batch (or query-level write) that stopped part way: a BatchError carrying
 * `.completed` and `.unprocessed`. Stopped by a Lambda deadline, it is the LambdaTimeoutError
 * that handlers catch, carrying the same two lists.
 */
export function stoppedError(
  message: string,
  unprocessed: readonly unknown[],
  completed: readonly unknown[],
  cause?: unknown,
): BatchError | LambdaTimeoutError {
  if (cause instanceof LambdaTimeoutError) {
    const { outcome, operation, table, model, params } = cause;
    return new LambdaTimeoutError(message, outcome, { cause, params, operation, table, model, unprocessed, completed });
  }
  return new BatchError(message, unprocessed, { cause, completed });
}

/** What a stopped batch left undone, whichever of the two errors stopped it; undefined for any other error. */
export function undoneOf(error: unknown): { unprocessed: readonly unknown[]; completed: readonly unknown[] } | undefined {
  if (error instanceof BatchError) return error;
  if (error instanceof LambdaTimeoutError && error.unprocessed) return { unprocessed: error.unprocessed, completed: error.completed ?? [] };
  return undefined;
}
