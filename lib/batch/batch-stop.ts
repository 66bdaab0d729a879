import { BatchError, LambdaTimeoutError } from '../errors/dynamorm-error';

/**
 * The error of a batch (or query-level write) that stopped part way: a BatchError naming the
 * keys not done. Stopped by a Lambda deadline, it is the LambdaTimeoutError that handlers
 * catch (DESIGN §8), carrying the same `.unprocessed` and `.completed`.
 */
export function stoppedError(message: string, unprocessed: readonly unknown[], completed: number, cause?: unknown): BatchError | LambdaTimeoutError {
  if (cause instanceof LambdaTimeoutError) {
    const { outcome, operation, table, model, params } = cause;
    return new LambdaTimeoutError(message, outcome, { cause, params, operation, table, model, unprocessed, completed });
  }
  return new BatchError(message, unprocessed, { cause, completed });
}

/** What a stopped batch left undone, whichever of the two errors stopped it; undefined for any other error. */
export function undoneOf(error: unknown): { unprocessed: readonly unknown[]; completed: number } | undefined {
  if (error instanceof BatchError) return error;
  if (error instanceof LambdaTimeoutError && error.unprocessed) return { unprocessed: error.unprocessed, completed: error.completed ?? 0 };
  return undefined;
}
