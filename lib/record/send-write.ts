import { UniqueConstraintError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import { numberText } from '../marshal/numbers';
import { guardActions } from './guard-actions';
import type { GuardChanges } from './unique-guards';
import type { PreparedWrite, PrimaryWrite } from './prepared-write';
import { afterWrite } from './write-pipeline';

type TransactInput = Parameters<Connection['transactWrite']>[0];

function transactionInput(schema: ModelSchema, primary: PrimaryWrite, guards: GuardChanges): TransactInput {
  const { ReturnValues: _rv, ...primaryParams } = primary.params;
  const TransactItems = [{ [primary.kind]: primaryParams }, ...guardActions(schema, primary.params.TableName, guards)];
  return { TransactItems };
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
 * Sends a prepared write on its context's connection: alone when no unique guard moves, else
 * in one TransactWriteItems with the guard puts and deletes, so the item and its guards change
 * together or not at all. Settling, restoring and after-hooks are the caller's (sendPrepared).
 */
async function sendWrite(write: PreparedWrite): Promise<void> {
  const { guards } = write;
  if (guards.reserve.length === 0 && guards.release.length === 0) return sendAlone(write);
  return sendTransaction(write, guards, true);
}

// Built only on failure: formatting the key costs time every successful write would pay.
function failureContext({ ctx, primary, key }: PreparedWrite) {
  return { action: `${ctx.schema.className}.${ctx.action}`, table: primary.params.TableName, key: formatKey(key) };
}

async function sendAlone(write: PreparedWrite): Promise<void> {
  const { primary } = write;
  const { conn } = write.ctx;
  try {
    if (primary.kind === 'Put') await invoke(conn, 'put', primary.params);
    else if (primary.kind === 'Update') await invoke(conn, 'update', primary.params as Parameters<Connection['update']>[0]);
    else await invoke(conn, 'delete', primary.params);
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') throw await write.onConditionFailed(error);
    throw translateError(error, { ...failureContext(write), params: primary.params });
  }
}

// `guards`: the write's own, or fewer on the one resend (releases that are no longer ours).
async function sendTransaction(write: PreparedWrite, guards: GuardChanges, mayResend: boolean): Promise<void> {
  const { schema, conn } = write.ctx;
  const params = transactionInput(schema, write.primary, guards);
  try {
    await invoke(conn, 'transactWrite', params);
  } catch (error) {
    if (awsErrorName(error) !== 'TransactionCanceledException') throw translateError(error, { ...failureContext(write), params });
    const codes = cancellationCodes(error);
    if (codes[0] === 'ConditionalCheckFailed') throw await write.onConditionFailed(error);
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
    if (!lost) throw translateError(error, { ...failureContext(write), params });
    const rest: GuardChanges = { ...guards, release: guards.release.filter((g) => !lost.includes(g)) };
    if (rest.reserve.length === 0 && rest.release.length === 0) return sendAlone(write);
    return sendTransaction(write, rest, false);
  }
}

/**
 * Sends a prepared write; then the instance mirrors the stored item, or on failure the
 * built-in values it stamped are put back. After-hooks are the caller's: sendPrepared runs
 * them, query-level writes count the item done before theirs run.
 */
export function sendAndSettle(write: PreparedWrite): Promise<void> {
  return sendWrite(write).then(
    () => write.settle(),
    (error: unknown) => {
      write.restore();
      throw error;
    },
  );
}

/**
 * Sends a prepared write alone (sendAndSettle), then runs its after-hooks.
 *
 * @example
 * await sendPrepared(buildCreate(startWrite(schema, user, 'create'))); // what user.create() sends, once beforeWrite ran
 */
export async function sendPrepared(write: PreparedWrite): Promise<void> {
  await sendAndSettle(write);
  const hooks = afterWrite(write.ctx);
  if (hooks) await hooks;
}
