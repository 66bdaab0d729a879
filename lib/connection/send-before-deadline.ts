import type { RequestOptions } from './config';
import { LambdaTimeoutError, type LambdaTimeoutOutcome } from '../errors/dynamorm-error';
import { requestTargets } from '../observability/request-targets';
import { processState } from '../process-state';
import { deadlinePassed, type Deadline } from './deadline';

/** What the invoker knows of a request, for the error's message. */
export interface DeadlineRequest {
  readonly operation: string;
  readonly input: object;
  readonly tablePrefix: string;
}

/** The model registered for a full table name (the registry keys are `@Model` names, without the prefix). */
function modelOf(table: string | undefined, prefix: string): string | undefined {
  if (!table || table.includes(',') || !table.startsWith(prefix)) return undefined;
  // Only the className of the ModelSchema: named structurally, as the connection's path must not import metadata.
  const registry = processState.registry as ReadonlyMap<string, { readonly className: string }>;
  return registry.get(table.slice(prefix.length))?.className;
}

/** The LambdaTimeoutError of one request, naming the operation, table and model, and what to do. */
function deadlineError(outcome: LambdaTimeoutOutcome, deadline: Deadline, request: DeadlineRequest, cause?: unknown): LambdaTimeoutError {
  const table = requestTargets(request.input as Record<string, unknown>).tables.join(',') || undefined;
  const model = modelOf(table, request.tablePrefix);
  const what = `${request.operation}${table ? ` on table '${table}'` : ''}${model ? ` (${model})` : ''}`;
  const when = `the Lambda deadline (${deadline.marginMs} ms before the function's timeout)`;
  const message =
    outcome === 'not-sent'
      ? `${what} was not sent: ${when} had passed. Nothing was changed`
      : `${what} was aborted in flight at ${when}: it may have been applied, so a retry must expect its own write`;
  return new LambdaTimeoutError(`${message}; raise the function's timeout or do less per invocation.`, outcome, {
    cause,
    params: request.input,
    operation: request.operation,
    table,
    model,
  });
}

function withDeadlineSignal(options: RequestOptions | undefined, signal: AbortSignal): RequestOptions {
  const own = options?.abortSignal;
  if (!own) return { ...options, abortSignal: signal };
  return { ...options, abortSignal: AbortSignal.any([own, signal]) };
}

/**
 * Sends one request inside a deadline: refused ('not-sent') once the deadline has passed;
 * otherwise sent with the deadline's signal (merged with the caller's) and raced against
 * it, so a client that ignores the signal cannot hold the function past the deadline
 * ('unknown': the request may have been applied). The caller's own abort stays the SDK's
 * AbortError. `send` calls the Connection method (or, for a direct call, the client).
 *
 * @example
 * return sendBeforeDeadline(deadline, { operation: 'GetItem', input, tablePrefix: '' }, options, (o) => conn.get(input, o));
 */
export function sendBeforeDeadline<T>(
  deadline: Deadline,
  request: DeadlineRequest,
  options: RequestOptions | undefined,
  send: (options: RequestOptions) => Promise<T>,
): Promise<T> {
  if (deadlinePassed(deadline)) return Promise.reject(deadlineError('not-sent', deadline, request));
  let sent: Promise<T>;
  try {
    // Promise.resolve: a bare sinon stub returns undefined, not a promise.
    sent = Promise.resolve(send(withDeadlineSignal(options, deadline.signal)));
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = deadline;
  return new Promise<T>((resolve, reject) => {
    const onDeadline = () => reject(deadlineError('unknown', deadline, request));
    // Aborted while the SDK was called: the request may have left already.
    if (signal.aborted) onDeadline();
    else signal.addEventListener('abort', onDeadline, { once: true });
    sent.then(
      (out) => {
        signal.removeEventListener('abort', onDeadline);
        resolve(out);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onDeadline);
        reject(signal.aborted ? deadlineError('unknown', deadline, request, error) : error);
      },
    );
  });
}
