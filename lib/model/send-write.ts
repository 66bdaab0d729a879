import { UniqueConstraintError, type DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { Connection } from '../connection/connection';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import type { ModelSchema } from '../metadata/model-schema';
import { formatKey } from '../marshal/key-codec';
import type { StoredItem } from '../marshal/item-codec';
import { guardItem, guardKey, type GuardChanges } from './unique-guards';

/** One write request, as sent alone or as the first action of a transaction. */
export type PrimaryWrite =
  | { kind: 'Put'; params: Record<string, unknown> & { TableName: string; Item: StoredItem } }
  | { kind: 'Update'; params: Record<string, unknown> & { TableName: string; Key: StoredItem } }
  | { kind: 'Delete'; params: Record<string, unknown> & { TableName: string; Key: StoredItem } };

export interface WriteFailureHandlers {
  /** Turns a ConditionalCheckFailed of the primary write into the right error. */
  onConditionFailed(error: unknown): Promise<DynamormError> | DynamormError;
  action: string;
  key: StoredItem;
}

function transactionItems(schema: ModelSchema, table: string, primary: PrimaryWrite, guards: GuardChanges, owner: StoredItem) {
  const { ReturnValues: _rv, ...primaryParams } = primary.params;
  const items: Array<Record<string, unknown>> = [{ [primary.kind]: primaryParams }];
  for (const { attr, value } of guards.reserve) {
    const p = new Placeholders();
    const ConditionExpression = compileCondition(cond.notExists([schema.tableKey.partitionKey.attributeName]), p);
    items.push({ Put: { TableName: table, Item: guardItem(schema, attr, value, owner), ConditionExpression, ...p.toParams() } });
  }
  for (const { attr, value } of guards.release) items.push({ Delete: { TableName: table, Key: guardKey(schema, attr, value) } });
  return items;
}

/**
 * Sends a write: alone when no unique guard moves, else in one TransactWriteItems with the
 * guard puts and deletes, so the item and its guards change together or not at all.
 */
export async function sendWrite(conn: Connection, schema: ModelSchema, primary: PrimaryWrite, guards: GuardChanges, handlers: WriteFailureHandlers): Promise<void> {
  // Built only on failure: formatting the key costs time every successful write would pay.
  const context = () => ({ action: `${schema.className}.${handlers.action}`, table: primary.params.TableName, key: formatKey(handlers.key) });
  if (guards.reserve.length === 0 && guards.release.length === 0) {
    try {
      if (primary.kind === 'Put') await conn.put(primary.params);
      else if (primary.kind === 'Update') await conn.update(primary.params as Parameters<Connection['update']>[0]);
      else await conn.delete(primary.params);
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') throw await handlers.onConditionFailed(error);
      throw translateError(error, { ...context(), params: primary.params });
    }
    return;
  }
  const params = { TransactItems: transactionItems(schema, primary.params.TableName, primary, guards, handlers.key) };
  try {
    await conn.transactWrite(params as Parameters<Connection['transactWrite']>[0]);
  } catch (error) {
    if (awsErrorName(error) !== 'TransactionCanceledException') throw translateError(error, { ...context(), params });
    const reasons = ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((r) => r?.Code);
    if (reasons[0] === 'ConditionalCheckFailed') throw await handlers.onConditionFailed(error);
    const taken = reasons.findIndex((code, i) => i > 0 && code === 'ConditionalCheckFailed');
    if (taken > 0 && taken <= guards.reserve.length) {
      const { attr, value } = guards.reserve[taken - 1];
      throw new UniqueConstraintError(
        `${schema.className}.${attr.property} must be unique: ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)} is taken by another ${schema.className}; nothing was written.`,
        attr.property,
        { cause: error, params },
      );
    }
    throw translateError(error, { ...context(), params });
  }
}
