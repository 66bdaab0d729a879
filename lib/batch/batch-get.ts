import { getConnection } from '../connection/connection-context';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import { epochSeconds } from '../marshal/attribute-codec';
import { keyFromInput, type KeyInput } from '../marshal/key-codec';
import { readInBatches } from './batch-read';
import { stoppedError, undoneOf } from './batch-stop';
import { keyIdentity } from './key-identity';
import { hydrate, isHidden } from '../record/read-item';
import type { ReadOptions } from '../record/operation-options';

/**
 * `Model.batchGet(keys)`: every key is encoded (and checked) before anything is sent, so a
 * key missing a part is a ValidationError with no request made. Duplicates are read once;
 * the models come back in first-seen order, one per distinct key found. Missing items,
 * expired ones (unless `withExpired`) and unique guards are skipped. A BatchError (keys left
 * unread) carries in `.completed` the models of the items read before it stopped, and in
 * `.unprocessed` the keys not read, as the caller passed them.
 */
export async function batchGetModels<M>(schema: ModelSchema, inputs: readonly KeyInput[], options: ReadOptions = {}): Promise<M[]> {
  const keys = new Map<string, StoredItem>(); // first-seen order
  const given = new Map<string, KeyInput[]>(); // the caller's inputs of each key, for `.unprocessed`
  for (const input of inputs) {
    const key = keyFromInput(schema, input);
    const id = keyIdentity(key, schema.tableKey);
    if (!keys.has(id)) keys.set(id, key);
    const same = given.get(id);
    if (same) same.push(input);
    else given.set(id, [input]);
  }
  const conn = getConnection();
  let items: readonly StoredItem[];
  let stop: Error | undefined;
  let unprocessed: readonly unknown[] = [];
  try {
    items = await readInBatches(conn, conn.tableName(schema.table), [...keys.values()], `${schema.className}.batchGet`, options);
  } catch (error) {
    const undone = undoneOf(error);
    if (!undone) throw error;
    stop = error as Error;
    // As the caller passed them: a key given twice is listed twice, as batchDelete does.
    unprocessed = undone.unprocessed.flatMap((key) => given.get(keyIdentity(key as StoredItem, schema.tableKey)) ?? [key]);
    items = undone.completed as StoredItem[];
  }
  const byKey = new Map<string, StoredItem>();
  const now = epochSeconds();
  for (const item of items) {
    if (isHidden(schema, item, options.withExpired, now)) continue;
    byKey.set(keyIdentity(item, schema.tableKey), item);
  }
  const models: M[] = [];
  for (const id of keys.keys()) {
    const item = byKey.get(id);
    if (item) models.push(await hydrate<M>(schema, item));
  }
  // The same error, now listing models (the read layer only knows stored items).
  if (stop) throw stoppedError(stop.message, unprocessed, models, stop.cause);
  return models;
}
