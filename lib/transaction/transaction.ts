import type { Connection } from '../connection/connection';
import { getConnection } from '../connection/connection-context';
import { invoke } from '../connection/invoke';
import { TransactionError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { ActiveRecord } from '../record/active-record';
import { afterWrite } from '../record/write-pipeline';
import { traced, tracing } from '../connection/traced';
import { cancellationError, releasesHeldByOthers } from './cancellation';
import { composeTransaction, type ComposedTransaction } from './compose';
import { prepareActions, type PreparedAction } from './prepare-actions';
import { forgetTransaction, keepTransaction, keptTransaction, type KeptTransaction } from './token-cache';
import { closeTransaction, Transaction } from './transaction-builder';

/** Options of `transaction()`. */
export interface TransactionOptions {
  /**
   * DynamoDB's idempotency token (ClientRequestToken, 1–36 characters): a transaction sent
   * again with the same token within 10 minutes is applied once. dynamorm re-sends the
   * request it made the first time, without running the callback or hooks again. Tokens are
   * kept per Connection: the same token on another connection (another account or
   * tablePrefix) is another transaction, whose callback runs.
   */
  token?: string;
}

type TransactInput = Parameters<Connection['transactWrite']>[0];

/** The TransactWriteItems input of a composed transaction: its actions, and the token if any. */
function inputOf(composed: ComposedTransaction, token: string | undefined): TransactInput {
  return { TransactItems: composed.items, ...(token === undefined ? {} : { ClientRequestToken: token }) };
}

function checkToken(token: unknown): asserts token is string | undefined {
  if (token === undefined) return;
  if (typeof token !== 'string' || token.length < 1 || token.length > 36) {
    throw new TransactionError(
      `transaction({ token }): a token is a string of 1 to 36 characters (DynamoDB's ClientRequestToken); got ${JSON.stringify(token)}.`,
    );
  }
}

/** The built-in values a write stamped, read back from the instance after building. */
function stampsOf(actions: readonly PreparedAction[]): Array<Array<readonly [object, string, unknown]>> {
  return actions.map(({ write, schema }) => {
    if (!write) return [];
    const model = write.ctx.model as Record<string, unknown>;
    return [schema.createdAt, schema.updatedAt, schema.version].filter((a) => a !== undefined).map((a) => [model, a.property, model[a.property]] as const);
  });
}

// Errors after which nothing can have been written: a retry with the token runs the callback
// afresh instead of re-sending a request that cannot succeed as it is.
const SETTLED_FAILURES = new Set(['TransactionCanceledException', 'ValidationException', 'IdempotentParameterMismatchException', 'ResourceNotFoundException']);

function transactionFailure(error: unknown, actions: readonly PreparedAction[], composed: ComposedTransaction, input: TransactInput): Error {
  switch (awsErrorName(error)) {
    case 'TransactionCanceledException':
      return cancellationError(error, actions, composed, input);
    case 'IdempotentParameterMismatchException':
      return new TransactionError(
        `transaction: the token ${JSON.stringify(input.ClientRequestToken)} was used for a different transaction within the last 10 minutes (DynamoDB's idempotency window); nothing was written. Use a new token for a new transaction.`,
        { cause: error, params: input },
      );
    case 'TransactionInProgressException':
      return new TransactionError(
        `transaction: a transaction with the token ${JSON.stringify(input.ClientRequestToken)} is still in progress; retry with the same token shortly.`,
        { cause: error, params: input },
      );
    default:
      return translateError(error, { action: 'transaction', params: input });
  }
}

/**
 * Sends the transaction; when the only failures are releases of unique values another item
 * took since our owner expired, once more without them. Restores the stamped values on failure.
 */
async function send(
  conn: Connection,
  actions: readonly PreparedAction[],
  composed: ComposedTransaction,
  token: string | undefined,
  entry?: KeptTransaction,
): Promise<void> {
  const input = inputOf(composed, token);
  try {
    await invoke(conn, 'transactWrite', input);
  } catch (error) {
    const lost = awsErrorName(error) === 'TransactionCanceledException' ? releasesHeldByOthers(error, composed) : undefined;
    if (!lost) throw transactionFailure(error, actions, composed, input);
    const again = composeTransaction(actions, lost);
    const resent = inputOf(again, token);
    if (entry) entry.composed = again;
    try {
      await invoke(conn, 'transactWrite', resent);
    } catch (second) {
      throw transactionFailure(second, actions, again, resent);
    }
  }
}

/** After the writes succeeded: each instance mirrors what is stored, then the after-hooks run in operation order. */
async function settle(actions: readonly PreparedAction[]): Promise<void> {
  for (const action of actions) action.write?.settle();
  for (const { write } of actions) {
    if (!write) continue;
    const hooks = afterWrite(write.ctx);
    if (hooks) await hooks;
  }
}

function restore(actions: readonly PreparedAction[]): void {
  for (const action of actions) action.write?.restore();
}

/** A repeat of a kept token: the same request again, the same models back; hooks only if they never ran. */
async function replay(conn: Connection, token: string, entry: KeptTransaction): Promise<ActiveRecord[]> {
  if (!entry.settled) for (const stamps of entry.stamps) for (const [model, property, value] of stamps) (model as Record<string, unknown>)[property] = value;
  try {
    await invoke(conn, 'transactWrite', inputOf(entry.composed, token));
  } catch (error) {
    if (!entry.settled) restore(entry.actions);
    if (SETTLED_FAILURES.has(awsErrorName(error) ?? '')) forgetTransaction(conn, token);
    throw transactionFailure(error, entry.actions, entry.composed, inputOf(entry.composed, token));
  }
  if (!entry.settled) {
    entry.settled = true;
    await settle(entry.actions);
  }
  return entry.models;
}

/**
 * Runs `fn` to collect operations, then sends them as one TransactWriteItems: all of them
 * happen or none does. Each model write runs its hooks and validation as the instance
 * methods do, and its unique guards ride in the same request (they count toward DynamoDB's
 * 100 actions). If `fn` throws, nothing is sent. Resolves to the models of `create`/`save`, in
 * operation order, as written. A cancellation is a TransactionCanceledError whose
 * `reasons[i]` explains operation i.
 *
 * @example
 * const [order] = await transaction(async (tx) => {
 *   tx.create(Order.build({ orderId: 'o1', total: 30 }));
 *   tx.update(Product, 'p1').decrement('stock', 2).if('stock >= :q', { q: 2 });
 * });
 */
export async function transaction(fn: (tx: Transaction) => void | Promise<void>, options: TransactionOptions = {}): Promise<ActiveRecord[]> {
  if (tracing()) return traced('transaction', undefined, () => transaction(fn, options));
  const { token } = options;
  checkToken(token);
  const conn = getConnection();
  const kept = token === undefined ? undefined : keptTransaction(conn, token);
  if (kept) return replay(conn, token!, kept);

  const tx = new Transaction();
  try {
    await fn(tx);
  } catch (error) {
    closeTransaction(tx);
    throw error;
  }
  const operations = closeTransaction(tx);
  if (operations.length === 0) return [];
  const actions = await prepareActions(operations, conn);
  let composed: ComposedTransaction;
  try {
    composed = composeTransaction(actions);
  } catch (error) {
    restore(actions);
    throw error;
  }
  const models = operations.flatMap((op) => (op.kind === 'create' || op.kind === 'save' ? [op.model] : []));
  const entry = token === undefined ? undefined : keepTransaction(conn, token, { composed, actions, models, stamps: stampsOf(actions), settled: false });
  try {
    await send(conn, actions, composed, token, entry);
  } catch (error) {
    // A concurrent call with the same token that went through already settled the instances.
    if (entry?.settled) return models;
    restore(actions);
    if (token !== undefined && SETTLED_FAILURES.has(awsErrorName((error as { cause?: unknown }).cause) ?? '')) forgetTransaction(conn, token);
    throw error;
  }
  if (entry) {
    // A concurrent call with the same token may have re-sent it and settled already.
    if (entry.settled) return models;
    entry.settled = true;
  }
  await settle(actions);
  return models;
}
