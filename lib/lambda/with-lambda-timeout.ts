import { DynamormError } from '../errors/dynamorm-error';
import { runBefore } from '../connection/deadline';

/** The part of Lambda's context object withLambdaTimeout reads (no @types/aws-lambda needed). */
export interface LambdaTimeoutContext {
  getRemainingTimeInMillis(): number;
}

export interface LambdaTimeoutOptions {
  /**
   * How long before the function's timeout requests stop, in ms. Default 500: time for the
   * handler to catch the LambdaTimeoutError, log it and return an answer (or a
   * batchItemFailures list) at Lambda's smallest memory size, where CPU is a fraction of a
   * core and a cold garbage collection alone can take 100 ms.
   */
  marginMs?: number;
}

/** The default `marginMs` (see LambdaTimeoutOptions). */
const DEFAULT_LAMBDA_MARGIN_MS = 500;

/**
 * Runs `fn` with a deadline `marginMs` before `context.getRemainingTimeInMillis()` runs out.
 * Every DynamoDB request made inside it (pagination, batch retries and transactions
 * included, whatever connection `run()` selects) carries an AbortSignal that fires at the
 * deadline and is raced against it, so the function fails with a LambdaTimeoutError
 * (`outcome` 'not-sent' or 'unknown') instead of hanging until the platform kills it.
 * Nested calls take the earlier deadline.
 *
 * @example
 * export const handler = (event: { id: string }, context: Context) =>
 *   withLambdaTimeout(context, () => User.find(event.id), { marginMs: 300 });
 */
export function withLambdaTimeout<T>(context: LambdaTimeoutContext, fn: () => T | Promise<T>, options: LambdaTimeoutOptions = {}): Promise<T> {
  if (typeof context?.getRemainingTimeInMillis !== 'function') {
    return Promise.reject(
      new DynamormError("withLambdaTimeout(context, fn): context has no getRemainingTimeInMillis(); pass the handler's second argument, Lambda's context."),
    );
  }
  if (typeof fn !== 'function') return Promise.reject(new DynamormError('withLambdaTimeout(context, fn): fn must be a function that does the work.'));
  const marginMs = options?.marginMs ?? DEFAULT_LAMBDA_MARGIN_MS;
  if (typeof marginMs !== 'number' || !Number.isFinite(marginMs) || marginMs < 0) {
    return Promise.reject(new DynamormError(`withLambdaTimeout: marginMs must be a number of milliseconds ≥ 0 (got ${String(marginMs)}).`));
  }
  let remaining: number;
  try {
    remaining = context.getRemainingTimeInMillis();
  } catch (error) {
    return Promise.reject(error);
  }
  if (typeof remaining !== 'number' || Number.isNaN(remaining)) {
    return Promise.reject(
      new DynamormError(`withLambdaTimeout: context.getRemainingTimeInMillis() returned ${String(remaining)}, not a number of milliseconds.`),
    );
  }
  return runBefore(Date.now() + remaining - marginMs, marginMs, fn);
}
