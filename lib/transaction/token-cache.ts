import type { Connection } from '../connection/connection';
import { processState } from '../process-state';
import type { ActiveRecord } from '../record/active-record';
import type { ComposedTransaction } from './compose';
import type { PreparedAction } from './prepare-actions';

/** DynamoDB keeps a ClientRequestToken for 10 minutes; so does dynamorm. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

/**
 * At most this many tokens are kept per connection (the oldest go first): each holds its
 * models, and a busy service sending a token with every transaction must not grow without bound. Past
 * it, a repeat of a dropped token runs its callback again, which DynamoDB answers with
 * IdempotentParameterMismatch (a TransactionError) if the first call was applied.
 */
export const MAX_KEPT_TOKENS = 10_000;

/**
 * What one `transaction(fn, { token })` sent. Hooks stamp times, so running the callback
 * again would never produce the same request: a repeat of the token sends these actions again.
 */
export interface KeptTransaction {
  readonly expiresAt: number;
  /** The actions sent (with the token, the exact input), and where each operation's sit, to explain a cancellation. */
  composed: ComposedTransaction;
  readonly actions: readonly PreparedAction[];
  readonly models: ActiveRecord[];
  /** The built-in values each write stamped (@CreatedAt, @UpdatedAt, @Version), to put back on a repeat. */
  readonly stamps: ReadonlyArray<ReadonlyArray<readonly [object, string, unknown]>>;
  /** True once the writes were settled on the instances and their after-hooks ran. */
  settled: boolean;
}

// Kept per Connection object: a token belongs to the connection (account, tablePrefix) that
// sent it, so another connection's call with the same token runs its own callback, and a
// connection's input is never re-sent through another's client. A WeakMap, so a closed and
// dropped connection takes its tokens with it; a MultiAccount partner keeps one Connection
// while its credentials refresh, so its tokens stay.
// Read when used, not at load: a module-level read would keep this file in every bundle.
function kept(conn: Connection): Map<string, KeptTransaction> {
  const all = processState.keptTransactions as WeakMap<Connection, Map<string, KeptTransaction>>;
  let tokens = all.get(conn);
  if (!tokens) all.set(conn, (tokens = new Map<string, KeptTransaction>()));
  return tokens;
}

function prune(tokens: Map<string, KeptTransaction>, now: number): void {
  for (const [token, entry] of tokens) if (entry.expiresAt <= now) tokens.delete(token);
}

/** The transaction `conn` sent with `token` in the last 10 minutes, if any. */
export function keptTransaction(conn: Connection, token: string): KeptTransaction | undefined {
  const tokens = kept(conn);
  prune(tokens, Date.now());
  return tokens.get(token);
}

export function keepTransaction(conn: Connection, token: string, entry: Omit<KeptTransaction, 'expiresAt'>): KeptTransaction {
  const full: KeptTransaction = { ...entry, expiresAt: Date.now() + TOKEN_LIFETIME_MS };
  const tokens = kept(conn);
  tokens.delete(token); // a re-kept token moves to the end, as the newest
  tokens.set(token, full);
  if (tokens.size > MAX_KEPT_TOKENS) tokens.delete(tokens.keys().next().value!);
  return full;
}

/** After a failure that settles the outcome (nothing was written), a retry with the token runs the callback afresh. */
export function forgetTransaction(conn: Connection, token: string): void {
  kept(conn).delete(token);
}
