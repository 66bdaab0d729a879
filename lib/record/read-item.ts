import { translateError } from '../errors/translate-error';
import { getConnection } from '../connection/connection-context';
import { invoke } from '../connection/invoke';
import type { ModelSchema } from '../metadata/model-schema';
import { epochSeconds } from '../marshal/attribute-codec';
import { assignFromItem } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey, keyFromInput, type KeyInput } from '../marshal/key-codec';
import { numberText, parseNumberText } from '../marshal/numbers';
import { reportDecodeIssues } from './decode-report';
import { markStored } from './dirty-tracking';
import { stateOf } from './instance-state';
import { runHooks } from './run-hooks';
import { GUARD_MARKER } from './unique-guards';
import type { ReadOptions } from './operation-options';

/**
 * True when the item's @TTL time has passed (DynamoDB deletes such items only eventually).
 * Whole seconds, the same clock reading as create's condition and the guards', so an item is
 * never hidden from reads while its key or unique values still block writes.
 */
export function isExpired(schema: ModelSchema, item: StoredItem, nowSeconds = epochSeconds()): boolean {
  const ttl = schema.ttl;
  if (!ttl) return false;
  const stored = item[ttl.attributeName];
  if (stored === undefined || stored === null) return false;
  // Malformed text ('' would be 0, the epoch) hides nothing: the read reports it instead.
  const seconds = parseNumberText(numberText(stored));
  return seconds < nowSeconds;
}

/**
 * True for a stored item no read path returns as a model: a unique guard (whatever key
 * reached it), or an item whose @TTL has passed, unless expired items were asked for.
 */
export function isHidden(schema: ModelSchema, item: StoredItem, withExpired: boolean | undefined, nowSeconds?: number): boolean {
  return item[GUARD_MARKER] !== undefined || (!withExpired && isExpired(schema, item, nowSeconds));
}

/** A model instance built from a stored item; runs @AfterLoad hooks. `projected`: read with select(), read-only. */
export function hydrate<M>(schema: ModelSchema, item: StoredItem, projected = false): M | Promise<M> {
  const model = new (schema.ctor as new () => object)();
  const issues = assignFromItem(schema, item, model);
  const state = stateOf(model);
  markStored(state, item);
  if (projected) state.projected = true;
  if (issues) reportDecodeIssues(schema, item, model, issues);
  // No promise per item unless there are @AfterLoad hooks: a query hydrates many.
  const hooks = runHooks(schema, model, 'afterLoad');
  return hooks ? hooks.then(() => model as M) : (model as M);
}

/** GetItem by key: the stored item, or undefined when missing (or expired, unless asked for). */
export async function getStoredItem(schema: ModelSchema, key: StoredItem, options: ReadOptions, action: string): Promise<StoredItem | undefined> {
  const conn = getConnection();
  const params = { TableName: conn.tableName(schema.table), Key: key, ...(options.consistent ? { ConsistentRead: true } : {}) };
  let item: StoredItem | undefined;
  try {
    item = (await invoke(conn, 'get', params, options.abortSignal ? { abortSignal: options.abortSignal } : undefined))?.Item;
  } catch (error) {
    throw translateError(error, { action: `${schema.className}.${action}`, table: params.TableName, key: formatKey(key), params });
  }
  if (!item || isHidden(schema, item, options.withExpired)) return undefined;
  return item;
}

/** `Model.get(key)`: the model, or undefined. */
export async function getModel<M>(schema: ModelSchema, input: KeyInput, options: ReadOptions = {}, action = 'get'): Promise<M | undefined> {
  const item = await getStoredItem(schema, keyFromInput(schema, input), options, action);
  return item ? await hydrate<M>(schema, item) : undefined;
}
