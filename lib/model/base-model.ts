import { ItemNotFoundError } from '../errors/dynamorm-error';
import { schemaOf } from '../metadata/registry';
import { assignFromItem, type DecodeIssue } from '../marshal/item-codec';
import { formatKey, keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { classTransformer, optionalClassTransformer } from '../peers/class-transformer';
import type { BatchCreateOptions } from './batch-create';
import { createModel } from './create-item';
import { deleteModel } from './delete-item';
import { applyDefaults, checkKnownProperties } from './derived-values';
import { reportDecodeIssues } from './decode-report';
import { changedProperties, markStored } from './dirty-tracking';
import { INSTANCE_STATE, stateOf, type InstanceState } from './instance-state';
import type { Query } from '../query/query';
import type { ModelClass, ModelInput, ModelKey, ModelProperty, ReadOptions, SaveOptions } from './model-types';
import { getModel, getStoredItem } from './read-item';
import { runHooks } from './run-hooks';
import { saveModel } from './save-item';
import type { StreamImage } from '../streams/stream-types';
import { traced, tracing } from '../observability/traced';
import type { UpdateBuilder } from '../update/update-builder';
import type { ModelKeyRef } from '../transaction/transact-get';
import { lazy } from '../lazy';

// Features loaded on their first use, not with dynamorm: in the CommonJS build each is a file
// of its own (dist/chunks/*.js) that an app never compiles unless it calls them, which keeps
// dynamorm's import time down (a Lambda that only finds and creates loads none of them). See
// lib/lazy.ts and scripts/build.mjs.
const queries = lazy(() => require('./query-source') as typeof import('./query-source'));
const updates = lazy(() => require('../update/start-update') as typeof import('../update/start-update'));
const batchGet = lazy(() => require('./batch-get') as typeof import('./batch-get'));
const batchCreate = lazy(() => require('./batch-create') as typeof import('./batch-create'));
const batchDelete = lazy(() => require('./batch-delete') as typeof import('./batch-delete'));
const streamImages = lazy(() => require('../streams/model-from-image') as typeof import('../streams/model-from-image'));

function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Set) return [...value].map(toJsonValue);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/**
 * The base class of every model: static methods work on the table, instance methods on
 * one item. See DESIGN.md §3-§4.
 *
 * @example
 * @Model({ table: 'users' })
 * class User extends BaseModel {
 *   @PartitionKey() id!: string;
 *   @Attribute() name?: string;
 * }
 * const u = await User.create({ id: '1', name: 'Ann' });
 * u.name = 'Anna'; await u.save();
 */
export class BaseModel {
  // What dynamorm tracks about this instance (lib/model/instance-state.ts).
  #state: InstanceState = { persisted: false };

  static {
    Object.defineProperty(BaseModel.prototype, INSTANCE_STATE, {
      // An object made without the constructor (Object.create) has no field: stateOf gives it one.
      get(this: BaseModel) {
        return #state in this ? this.#state : undefined;
      },
    });
  }

  /**
   * Assigns `attrs`. With `useDefineForClassFields` (modern targets) subclass fields are
   * re-initialised after this runs, so prefer `Model.build(attrs)`, which always works.
   */
  constructor(attrs?: object) {
    if (attrs) {
      Object.assign(this, attrs);
      stateOf(this).constructorAttrs = { ...attrs };
    }
  }

  /**
   * A new, unsaved instance with `attrs` assigned and defaults applied. Unknown properties
   * are a ValidationError.
   *
   * @example
   * const u = User.build({ id: '1', email: 'a@b.co' }); await u.save();
   */
  static build<M extends BaseModel>(this: ModelClass<M>, attrs: ModelInput<M> = {}): M {
    const schema = schemaOf(this);
    const model = new this();
    checkKnownProperties(schema, model, attrs, 'build');
    Object.assign(model, attrs);
    applyDefaults(schema, model);
    return model;
  }

  /**
   * Builds and creates an item: a conditional Put that fails with ItemExistsError when the key is taken.
   *
   * @example
   * const u = await User.create({ id: '2', email: 'c@d.co' });
   */
  static async create<M extends BaseModel>(this: ModelClass<M>, attrs: ModelInput<M>, options?: SaveOptions): Promise<M> {
    if (tracing()) return traced('create', schemaOf(this), BaseModel.create, this, attrs, options) as Promise<M>;
    const model = (this as unknown as typeof BaseModel).build.call(this, attrs) as M;
    await model.create(options);
    return model;
  }

  /**
   * The item with this key; ItemNotFoundError when there is none (or it has expired).
   *
   * @example
   * const u = await User.find('123');
   * const o = await Order.find({ customerId, orderId });
   */
  static async find<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>, options?: ReadOptions): Promise<M> {
    if (tracing()) return traced('find', schemaOf(this), BaseModel.find, this, key, options) as Promise<M>;
    const schema = schemaOf(this);
    const found = await getModel<M>(schema, key as KeyInput, options, 'find');
    if (!found) {
      throw new ItemNotFoundError(`${schema.className}.find: no item with ${formatKey(keyFromInput(schema, key as KeyInput))}. Use get() to receive undefined instead.`);
    }
    return found;
  }

  /**
   * The item with this key, or undefined.
   *
   * @example
   * const u = await User.get('123'); // User | undefined
   */
  static get<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>, options?: ReadOptions): Promise<M | undefined> {
    // Not async (get is a hot path), so an error before the request (a class that is not a model) becomes a rejection here.
    try {
      if (tracing()) return traced('get', schemaOf(this), BaseModel.get, this, key, options) as Promise<M | undefined>;
      return getModel<M>(schemaOf(this), key as KeyInput, options, 'get');
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The items with these keys, as models in the order of `keys` (first-seen: a key given
   * twice is read once and returned once); missing and expired items are skipped. Sent as
   * BatchGetItem requests of up to 100 keys; keys DynamoDB leaves unprocessed are sent again
   * with the batch retry policy (up to 8 attempts per chunk, full-jitter backoff from 50 ms,
   * doubling), after which a BatchError lists in `.unprocessed` the keys not read. A key
   * missing a part is a ValidationError, before any request.
   *
   * @example
   * const users = await User.batchGet(['1', '2', '3']);            // User[], input order
   * const orders = await Order.batchGet([{ customerId: 'c1', orderId: 7 }], { consistent: true });
   */
  static async batchGet<M extends BaseModel>(this: ModelClass<M>, keys: ReadonlyArray<ModelKey<M>>, options?: ReadOptions): Promise<M[]> {
    if (tracing()) return traced('batchGet', schemaOf(this), BaseModel.batchGet, this, keys, options) as Promise<M[]>;
    return batchGet().batchGetModels<M>(schemaOf(this), keys as readonly KeyInput[], options);
  }

  /**
   * Creates many items (plain attributes, or instances from `build()`) with BatchWriteItem
   * (chunks of 25), each prepared exactly as `create()` prepares it (defaults, hooks,
   * validation, timestamps, version 1, @TTL) before anything is sent: an invalid item is a
   * ValidationError and nothing at all is written. @AfterCreate/@AfterSave run per item once
   * its chunk is written.
   * Unconditional, as BatchWriteItem is: an existing item is overwritten. A model with
   * @Version needs `{ overwrite: true }` and one with unique attributes refuses batches
   * (QueryError; use `transaction()`). Two items with one key: ValidationError. Resolves to
   * the models written, persisted; unprocessed items are retried like `batchGet`'s keys, then
   * a BatchError (`.completed`, `.unprocessed`).
   *
   * @example
   * const users = await User.batchCreate([{ id: '1', email: 'a@b.co' }, { id: '2', email: 'c@d.co' }]);
   * await Account.batchCreate(accounts, { overwrite: true }); // Account has @Version
   */
  static async batchCreate<M extends BaseModel>(this: ModelClass<M>, items: ReadonlyArray<ModelInput<M>>, options?: BatchCreateOptions): Promise<M[]> {
    if (tracing()) return traced('batchCreate', schemaOf(this), BaseModel.batchCreate, this, items, options) as Promise<M[]>;
    return batchCreate().batchCreateModels<M>(schemaOf(this), items, options);
  }

  /**
   * Deletes many items with BatchWriteItem (chunks of 25), unconditionally (no @Version
   * check). Keys run no instance hooks; instances run @BeforeDelete and @AfterDelete. A key
   * given twice is deleted once. A model with unique attributes refuses batches (QueryError;
   * use `transaction()`). Unprocessed items are retried like `batchGet`'s keys, then a
   * BatchError (`.completed`, `.unprocessed`).
   *
   * @example
   * await User.batchDelete(['1', '2']);
   * await Session.batchDelete(await Session.where('userId', '=', 'u1').all()); // with hooks
   */
  static async batchDelete<M extends BaseModel>(this: ModelClass<M>, keysOrInstances: ReadonlyArray<ModelKey<M>>): Promise<void> {
    if (tracing()) return traced('batchDelete', schemaOf(this), BaseModel.batchDelete, this, keysOrInstances) as Promise<void>;
    return batchDelete().batchDeleteModels(schemaOf(this), keysOrInstances as ReadonlyArray<object | KeyInput>);
  }

  /**
   * A query on the model: `where` conditions on key attributes become the key condition of
   * the table or of the index the planner chooses (DESIGN §3), others filters.
   *
   * @example
   * const active = await User.where('status', '=', 'active').limit(10).all();
   * const week = await Metric.where('deviceId', '=', d).where('at', 'between', from, to).all();
   */
  static where<M extends BaseModel, P extends ModelProperty<M>>(this: ModelClass<M>, property: P, op: '=' | '<' | '<=' | '>' | '>=' | 'begins_with', value: NonNullable<M[P]>): Query<M>;
  static where<M extends BaseModel, P extends ModelProperty<M>>(this: ModelClass<M>, property: P, op: 'between', low: NonNullable<M[P]>, high: NonNullable<M[P]>): Query<M>;
  static where(this: ModelClass<BaseModel>, property: string, op: string, ...values: unknown[]): Query<BaseModel> {
    const query = queries().startQuery<BaseModel>(schemaOf(this), 'Query') as unknown as { where(...args: unknown[]): Query<BaseModel> };
    return query.where(property, op, ...values);
  }

  /**
   * An empty query builder, to start with `index()` or `consistent()`.
   *
   * @example
   * const user = await User.query().index('gsi-email').where('email', '=', e).first();
   */
  static query<M extends BaseModel>(this: ModelClass<M>): Query<M> {
    return queries().startQuery<M>(schemaOf(this), 'Query');
  }

  /**
   * A scan of every item of the model (filters apply after reading).
   *
   * @example
   * const adults = await User.scan().filter('age', '>=', 18).all();
   */
  static scan<M extends BaseModel>(this: ModelClass<M>): Query<M> {
    return queries().startQuery<M>(schemaOf(this), 'Scan');
  }

  /**
   * An atomic update of the item under `key`, sent by `execute()` (DESIGN §5): only the
   * operations given are written, with @UpdatedAt and @Version; no instance hooks run.
   *
   * @example
   * await Counter.update({ id: 'page-views' }).increment('count').execute();
   * const u = await User.update('123').set('status', 'premium').executeWithResult();
   */
  static update<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>): UpdateBuilder<M> {
    return updates().startUpdate<M>(schemaOf(this), key as KeyInput);
  }

  /**
   * The key of one item of this model, for `transactGet`. A missing or wrongly typed key part
   * is a ValidationError here.
   *
   * @example
   * const [user, order] = await transactGet([User.key('1'), Order.key({ customerId: 'c1', orderId: 'o1' })]);
   */
  static key<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>): ModelKeyRef<M> {
    return Object.freeze({ model: this, key: keyFromInput(schemaOf(this), key as KeyInput) });
  }

  /**
   * A model from a plain object (class-transformer's plainToInstance), as a new instance.
   *
   * @example
   * const u = User.fromPlain(JSON.parse(body));
   */
  static fromPlain<M extends BaseModel>(this: ModelClass<M>, plain: object): M {
    const schema = schemaOf(this);
    return classTransformer(`${schema.className}.fromPlain`).plainToInstance(this, plain) as M;
  }

  /**
   * The model an AttributeValue map decodes to: a DynamoDB Streams image (binary as base64
   * text, as Lambda delivers it) or client-dynamodb output (binary as bytes). Built like a read:
   * persisted, @AfterLoad hooks run (synchronously: an async one is a ModelDefinitionError),
   * undecodable values left undefined and listed by `decodeErrors()`. An image without the
   * table key, or a malformed one, is a ValidationError.
   *
   * @example
   * const u = User.fromImage(record.dynamodb.NewImage); // { id: { S: '1' }, age: { N: '30' } } -> User
   */
  static fromImage<M extends BaseModel>(this: ModelClass<M>, image: StreamImage): M {
    return streamImages().modelFromImage<M>(schemaOf(this), image);
  }

  /**
   * The model a plain (unmarshalled) item decodes to, e.g. a DocumentClient `Item` or an
   * `unmarshall`ed stream image; otherwise as `fromImage`.
   *
   * @example
   * const u = User.fromItem({ id: '1', age: 30 });
   */
  static fromItem<M extends BaseModel>(this: ModelClass<M>, item: Record<string, unknown>): M {
    return streamImages().modelFromItem<M>(schemaOf(this), item);
  }

  /** True until the instance is loaded from or written to the table. */
  get isNew(): boolean {
    return !stateOf(this).persisted;
  }

  /**
   * Names of the properties changed since the instance was loaded or saved (every set
   * property of a new instance).
   *
   * @example
   * u.name = 'Bo'; u.changedAttributes(); // ['name']
   */
  changedAttributes(): string[] {
    return changedProperties(schemaOf(this.constructor), this);
  }

  /**
   * Creates the item (conditional Put): hooks, validation, timestamps, version 1.
   *
   * @example
   * await User.build({ id: '1', email: 'a@b.co' }).create();
   */
  async create(options?: SaveOptions): Promise<this> {
    if (tracing()) return traced('create', schemaOf(this.constructor), BaseModel.prototype.create, this, options) as Promise<this>;
    await createModel(schemaOf(this.constructor), this, options);
    return this;
  }

  /**
   * Creates a new instance, or sends the changed attributes of a loaded one (nothing when
   * nothing changed). Version-checked with @Version.
   *
   * @example
   * u.name = 'Ann'; await u.save();
   */
  async save(options?: SaveOptions): Promise<this> {
    if (tracing()) return traced('save', schemaOf(this.constructor), BaseModel.prototype.save, this, options) as Promise<this>;
    await saveModel(schemaOf(this.constructor), this, options);
    return this;
  }

  /**
   * Assigns `attrs` and saves.
   *
   * @example
   * await u.update({ status: 'gone' });
   */
  async update(attrs: ModelInput<this>, options?: SaveOptions): Promise<this> {
    if (tracing()) return traced('update', schemaOf(this.constructor), BaseModel.prototype.update, this, attrs, options) as Promise<this>;
    const schema = schemaOf(this.constructor);
    checkKnownProperties(schema, this, attrs, 'update');
    Object.assign(this, attrs);
    await saveModel(schema, this, options);
    return this;
  }

  /**
   * Deletes the item (version-checked when the model has @Version).
   *
   * @example
   * await u.delete();
   */
  async delete(): Promise<void> {
    if (tracing()) return traced('delete', schemaOf(this.constructor), BaseModel.prototype.delete, this) as Promise<void>;
    await deleteModel(schemaOf(this.constructor), this);
  }

  /**
   * Reads the item again (consistently) and replaces every attribute.
   *
   * @example
   * await u.reload();
   */
  async reload(): Promise<this> {
    if (tracing()) return traced('reload', schemaOf(this.constructor), BaseModel.prototype.reload, this) as Promise<this>;
    const schema = schemaOf(this.constructor);
    const state = stateOf(this);
    const key = state.loaded ? keyOfItem(state.loaded, schema.tableKey) : keyFromInput(schema, this as KeyInput);
    const item = await getStoredItem(schema, key, { consistent: true }, 'reload');
    if (!item) throw new ItemNotFoundError(`${schema.className}.reload: no item with ${formatKey(key)} (deleted, or never created).`);
    const issues = assignFromItem(schema, item, this);
    markStored(this, item);
    state.projected = false;
    state.decodeIssues = undefined;
    if (issues) reportDecodeIssues(schema, item, this, issues);
    await runHooks(schema, this, 'afterLoad');
    return this;
  }

  /**
   * The stored values the last read could not decode as their declared types (an Invalid
   * Date, `12.5` in a bigint, broken JSON, a wrong DynamoDB type): their properties are
   * undefined, and `save()` leaves them as stored unless they are assigned.
   *
   * @example
   * const u = await User.find('1');
   * for (const e of u.decodeErrors()) console.warn(e.property, e.raw, e.message);
   */
  decodeErrors(): DecodeIssue[] {
    return [...(stateOf(this).decodeIssues ?? [])];
  }

  /**
   * A plain object for JSON (class-transformer's instanceToPlain, so @Exclude/@Expose apply;
   * without class-transformer, the persisted properties); bigint becomes a string.
   *
   * @example
   * res.json(user); // calls toJSON
   */
  toJSON(): Record<string, unknown> {
    const transformer = optionalClassTransformer();
    if (transformer) return toJsonValue(transformer.instanceToPlain(this)) as Record<string, unknown>;
    // Without class-transformer: the persisted properties, as they would be stored.
    const out: Record<string, unknown> = {};
    for (const { property } of schemaOf(this.constructor).attributes) {
      const value = (this as Record<string, unknown>)[property];
      if (value !== undefined) out[property] = toJsonValue(value);
    }
    return out;
  }
}

