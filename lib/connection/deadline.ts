import type { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { processState } from '../process-state';

/**
 * The moment by which the requests of a `withLambdaTimeout()` scope must be done, and the
 * signal that fires then. One per scope, shared by every request inside it.
 */
export interface Deadline {
  /** Epoch ms (Date.now()) at which requests stop. */
  readonly at: number;
  /** How long before the platform's timeout `at` falls, for messages. */
  readonly marginMs: number;
  /** Aborted at `at`; every request made inside the scope carries it. */
  readonly signal: AbortSignal;
}

const deadlines = processState.deadlines as AsyncLocalStorage<Deadline>;

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The deadline of the current async context, if any: one AsyncLocalStorage lookup, the
 * whole cost of the feature for code that never uses it.
 */
export function currentDeadline(): Deadline | undefined {
  return deadlines.getStore();
}

/** True once requests may no longer be sent. */
export function deadlinePassed(deadline: Deadline): boolean {
  return deadline.signal.aborted || Date.now() >= deadline.at;
}

/**
 * Runs `fn` with a deadline at `at`, unless the current one is earlier (nested scopes take
 * the earlier deadline). The signal fires at `at`; its timer ends with `fn`.
 *
 * @example
 * await runBefore(Date.now() + 2_500, 500, () => User.find('1'));
 */
export async function runBefore<T>(at: number, marginMs: number, fn: () => T | Promise<T>): Promise<T> {
  const outer = deadlines.getStore();
  // No deadline at all (a local context reporting Infinity) leaves the outer one, if any.
  if ((outer && outer.at <= at) || at === Infinity) return await fn();
  const controller = new AbortController();
  // Every request of the scope (a parallel scan, a batch) listens to this one signal.
  setMaxListeners(0, controller.signal);
  const deadline: Deadline = { at, marginMs, signal: controller.signal };
  const wait = at - Date.now();
  let timer: NodeJS.Timeout | undefined;
  if (wait <= 0) controller.abort();
  // Not unref'd: a request whose client ignores the signal holds no handle of its own, and
  // this timer is what ends the wait (it is cleared as soon as fn settles).
  // (Past setTimeout's 24.8-day range the timer would fire at once; Date.now() still decides.)
  else if (wait <= MAX_TIMER_MS) timer = setTimeout(() => controller.abort(), wait);
  try {
    return await deadlines.run(deadline, fn);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Runs `fn` outside any deadline (the racing in Connection.send calls the SDK this way). */
export function outsideDeadline<T>(fn: () => T): T {
  return deadlines.exit(fn);
}

/**
 * Resolves after `ms`, or as soon as the deadline fires if that is earlier (the batch
 * retry backoff: a resend after the deadline is refused as not sent, so sleeping past it
 * would only waste the function's last moments).
 */
export function sleepWithin(deadline: Deadline, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (deadline.signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    deadline.signal.addEventListener('abort', done, { once: true });
  });
}
