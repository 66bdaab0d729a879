import type { DynamormError } from '../errors/dynamorm-error';
import type { StoredItem } from '../marshal/stored-item';
import type { GuardChanges } from './unique-guards';
import type { WriteContext } from './write-context';

/** One write request, as sent alone or as the first action of a transaction. */
export type PrimaryWrite =
  | { kind: 'Put'; params: Record<string, unknown> & { TableName: string; Item: StoredItem } }
  | { kind: 'Update'; params: Record<string, unknown> & { TableName: string; Key: StoredItem } }
  | { kind: 'Delete'; params: Record<string, unknown> & { TableName: string; Key: StoredItem } };

/**
 * A write of one model, built and ready to send: alone (create/save/delete) or as one
 * operation of a transaction. Building ran the before-hooks, validated and stamped the
 * built-in values; what is left is sending, then `settle()` (or `restore()` on failure), then
 * the after-hooks (`afterWrite(ctx)`). It carries the context the write started with, so
 * sending needs nothing else: not the model, not the connection.
 */
export interface PreparedWrite {
  /** The write this request is the end of: schema, model, state, connection, action. */
  readonly ctx: WriteContext;
  readonly primary: PrimaryWrite;
  readonly guards: GuardChanges;
  /** The item's table key, as stored. */
  readonly key: StoredItem;
  /** The version the write expects to find stored (@Version models, save/delete). */
  readonly expectedVersion?: number;
  /** Turns a ConditionalCheckFailed of the primary write into the error that explains it. */
  onConditionFailed(error: unknown): Promise<DynamormError> | DynamormError;
  /** The write succeeded: the instance now mirrors what is stored. */
  settle(): void;
  /** The write failed: the built-in values it stamped are put back. */
  restore(): void;
}
