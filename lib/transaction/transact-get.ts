import { getConnection } from '../connection/connection-context';
import { invoke } from '../connection/invoke';
import { TransactionError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import { keyIdentity } from '../batch/key-identity';
import { schemaOf } from '../metadata/registry';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey } from '../marshal/key-codec';
import type { ActiveRecord } from '../record/active-record';
import type { ModelClass } from '../record/active-record';
import { hydrate, isHidden } from '../record/read-item';
import { TransactionCanceledError } from '../errors/dynamorm-error';
import { MAX_TRANSACTION_ACTIONS } from './compose';
import { traced, tracing } from '../connection/traced';

/** A key of one model class, made by `Model.key(...)`: what `transactGet` reads. */
export interface ModelKeyRef<M extends ActiveRecord> {
  readonly model: ModelClass<M>;
  /** The table key, encoded as stored. */
  readonly key: Readonly<StoredItem>;
}

/** The result of `transactGet(keys)`: per key, its model or undefined, in key order. */
export type TransactGetResult<T extends ReadonlyArray<ModelKeyRef<ActiveRecord>>> = {
  -readonly [I in keyof T]: T[I] extends ModelKeyRef<infer M> ? M | undefined : never;
};

/**
 * Reads items of any models in one TransactGetItems: a consistent snapshot (no write lands
 * in between). Resolves in key order to instances of the right classes, `undefined` for a
 * missing or expired item; a key given twice is read once. At most 100 distinct keys.
 *
 * @example
 * const [user, order] = await transactGet([User.key('1'), Order.key({ customerId: 'c1', orderId: 'o1' })]);
 */
export async function transactGet<const T extends ReadonlyArray<ModelKeyRef<ActiveRecord>>>(keys: T): Promise<TransactGetResult<T>> {
  if (tracing()) return traced('transactGet', undefined, () => transactGet(keys));
  const conn = getConnection();
  const distinct = new Map<string, number>();
  const gets: Array<{ ref: ModelKeyRef<ActiveRecord>; table: string }> = [];
  const slots = keys.map((ref) => {
    if (!ref || typeof ref.model !== 'function' || typeof ref.key !== 'object') {
      throw new TransactionError("transactGet takes keys made by Model.key(...), e.g. transactGet([User.key('1')]).");
    }
    const schema = schemaOf(ref.model);
    const table = conn.tableName(schema.table);
    const identity = `${table}\u0000${keyIdentity(ref.key, schema.tableKey)}`;
    let slot = distinct.get(identity);
    if (slot === undefined) {
      slot = gets.push({ ref, table }) - 1;
      distinct.set(identity, slot);
    }
    return slot;
  });
  if (gets.length > MAX_TRANSACTION_ACTIONS) {
    throw new TransactionError(
      `transactGet reads at most ${MAX_TRANSACTION_ACTIONS} items at once; got ${gets.length}. Split the keys, or use batchGet (which is not a snapshot).`,
    );
  }
  if (gets.length === 0) return [] as unknown as TransactGetResult<T>;
  const params = { TransactItems: gets.map(({ ref, table }) => ({ Get: { TableName: table, Key: ref.key } })) };
  let responses: Array<{ Item?: StoredItem } | undefined>;
  try {
    responses = (await invoke(conn, 'transactGet', params)).Responses ?? [];
  } catch (error) {
    if (awsErrorName(error) === 'TransactionCanceledException') {
      const raw = (error as { CancellationReasons?: Array<{ Code?: string; Message?: string }> }).CancellationReasons ?? [];
      const reasons = gets.map(({ ref }, index) => ({
        index,
        model: schemaOf(ref.model).className,
        key: ref.key,
        code: raw[index]?.Code ?? 'None',
        message: raw[index]?.Message,
      }));
      const blamed = reasons.filter((r) => r.code !== 'None').map((r) => `${r.model} (${formatKey(r.key)}): ${r.code}`);
      throw new TransactionCanceledError(`transactGet cancelled: ${blamed.join('; ') || 'no reason given'}. Retry it.`, reasons, { cause: error, params });
    }
    throw translateError(error, { action: 'transactGet', params });
  }
  const models = await Promise.all(
    gets.map(async ({ ref }, i) => {
      const item = responses[i]?.Item;
      const schema = schemaOf(ref.model);
      if (!item || isHidden(schema, item, false)) return undefined;
      return hydrate<ActiveRecord>(schema, item);
    }),
  );
  return slots.map((slot) => models[slot]) as unknown as TransactGetResult<T>;
}
