import { UniqueConstraintError, type DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import { numberText } from '../marshal/numbers';
import type { StoredItem } from '../marshal/stored-item';
import { guardActions } from './guard-actions';
import type { GuardChanges } from './unique-guards';
import type { PreparedWrite, PrimaryWrite } from './prepared-write';
import { runHooks } from './run-hooks';

export interface WriteFailureHandlers {
  /** Turns a ConditionalCheckFailed of the primary write into the right error. */
  onConditionFailed(error: unknown): Promise<DynamormError> | DynamormError;
  action: string;
  key: StoredItem;
}

type TransactInput = Parameters<Connection['transactWrite']>[0];

function transactionInput(schema: ModelSchema, primary: PrimaryWrite, guards: GuardChanges): TransactInput {
  const { ReturnValues: _rv, ...primaryParams } = primary.params;
  const TransactItems = [{ [primary.kind]: primaryParams }, ...guardActions(schema, primary.params.TableName, guards)];
  return { TransactItems } as TransactInput;
}

function cancellationCodes(error: unknown): Array<string | undefined> {
  return ((error as { CancellationReasons?: Array<{ Code?: string } | undefined> }).CancellationReasons ?? []).map((r) => r?.Code);
}

/**
 * The releases whose guard another item holds now (possible once our owner expired): when
 * they are the only reason the transaction failed, they are not ours to delete, so the write
 * goes again without them. Undefined when anything else failed too.
 */
function releasesNotOurs(codes: Array<string | undefined>, guards: GuardChanges): GuardChanges['release'] | undefined {
  const firstRelease = 1 + guards.reserve.length;
  const lost = guards.release.filter((_, i) => codes[firstRelease + i] === 'ConditionalCheckFailed');
  const othersFine = codes.every((code, i) => code === undefined || code === 'None' || (i >= firstRelease && code === 'ConditionalCheckFailed'));
  return lost.length > 0 && othersFine ? lost : undefined;
}

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return typeof value === 'string' ? JSON.stringify(value) : numberText(value);
}

/**
 * Sends a write: alone when no unique guard moves, else in one TransactWriteItems with the
 * guard puts and deletes, so the item and its guards change together or not at all.
 */
export async function sendWrite(
  conn: Connection,
  schema: ModelSchema,
  primary: PrimaryWrite,
  guards: GuardChanges,
  handlers: WriteFailureHandlers,
): Promise<void> {
  if (guards.reserve.length === 0 && guards.release.length === 0) return sendAlone(conn, schema, primary, handlers);
  return sendTransaction(conn, schema, primary, guards, handlers, true);
}

// Built only on failure: formatting the key costs time every successful write would pay.
function failureContext(schema: ModelSchema, primary: PrimaryWrite, handlers: WriteFailureHandlers) {
  return { action: `${schema.className}.${handlers.action}`, table: primary.params.TableName, key: formatKey(handlers.key) };
}

async function sendAlone(conn: Connection, schema: ModelSchema, primary: PrimaryWrite, handlers: WriteFailureHandlers): Promise<void> {
  try {
    if (primary.kind === 'Put') await invoke(conn, 'put', primary.params);
    else if (primary.kind === 'Update') await invoke(conn, 'update', primary.params as Parameters<Connection['update']>[0]);
    else await invoke(conn, 'delete', primary.params);
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') throw await handlers.onConditionFailed(error);
    throw translateError(error, { ...failureContext(schema, primary, handlers), params: primary.params });
  }
}

async function sendTransaction(
  conn: Connection,
  schema: ModelSchema,
  primary: PrimaryWrite,
  guards: GuardChanges,
  handlers: WriteFailureHandlers,
  mayResend: boolean,
): Promise<void> {
  const params = transactionInput(schema, primary, guards);
  try {
    await invoke(conn, 'transactWrite', params);
  } catch (error) {
    if (awsErrorName(error) !== 'TransactionCanceledException') throw translateError(error, { ...failureContext(schema, primary, handlers), params });
    const codes = cancellationCodes(error);
    if (codes[0] === 'ConditionalCheckFailed') throw await handlers.onConditionFailed(error);
    const taken = codes.findIndex((code, i) => i > 0 && i <= guards.reserve.length && code === 'ConditionalCheckFailed');
    if (taken > 0) {
      const { attr, value } = guards.reserve[taken - 1];
      throw new UniqueConstraintError(
        `${schema.className}.${attr.property} must be unique: ${describeValue(value)} is taken by another ${schema.className}; nothing was written.`,
        attr.property,
        { cause: error, params },
      );
    }
    // Once only: a second failure of the same kind would mean the guards keep moving under us.
    const lost = mayResend ? releasesNotOurs(codes, guards) : undefined;
    if (!lost) throw translateError(error, { ...failureContext(schema, primary, handlers), params });
    const rest: GuardChanges = { ...guards, release: guards.release.filter((g) => !lost.includes(g)) };
    if (rest.reserve.length === 0 && rest.release.length === 0) return sendAlone(conn, schema, primary, handlers);
    return sendTransaction(conn, schema, primary, rest, handlers, false);
  }
}

/**
 * Sends a prepared write alone; then the instance mirrors the stored item and its
 * after-hooks run. On failure the stamped built-in values are put back.
 */
export async function sendPrepared(conn: Connection, write: PreparedWrite): Promise<void> {
  try {
    await sendWrite(conn, write.schema, write.primary, write.guards, write);
  } catch (error) {
    write.restore();
    throw error;
  }
  write.settle();
  const hooks = runHooks(write.schema, write.model, ...write.afterHooks);
  if (hooks) await hooks;
}
