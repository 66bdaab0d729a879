import { ItemNotFoundError } from '../errors/dynamorm-error';
import { schemaOf } from '../metadata/registry';
import { formatKey, keyFromInput, type KeyInput } from '../marshal/key-codec';
import { classTransformer } from '../peers/class-transformer';
import { traced, tracing } from '../connection/traced';
import { ActiveRecord } from '../record/active-record';
import { applyDefaults, checkKnownProperties } from '../record/derived-values';
import type { ModelClass, ModelInput, ModelKey, ModelProperty } from '../record/active-record';
import type { ReadOptions, SaveOptions } from '../record/operation-options';
import { getModel } from '../record/read-item';
import type { BatchCreateOptions } from '../batch/batch-create';
import type { Query } from '../query/query';
import type { StreamImage } from '../streams/stream-types';
import type { ModelKeyRef } from '../transaction/transact-get';
import type { UpdateBuilder } from '../update/update-builder';
import { lazy } from '../lazy';

// Features loaded on their first use, not with dynamorm: in the CommonJS build each is a file
// of its own (dist/chunks/*.js) that an app never compiles unless it calls them, which keeps
// dynamorm's import time down (a Lambda that only finds and creates loads none of them). See
// lib/lazy.ts and scripts/build.mjs.
const queries = lazy(() => require('../query/query-source') as typeof import('../query/query-source'));
const updates = lazy(() => require('../update/start-update') as typeof import('../update/start-update'));
const batchGet = lazy(() => require('../batch/batch-get') as typeof import('../batch/batch-get'));
const batchCreate = lazy(() => require('../batch/batch-create') as typeof import('../batch/batch-create'));
const batchDelete = lazy(() => require('../batch/batch-delete') as typeof import('../batch/batch-delete'));
const streamImages = lazy(() => require('../streams/model-from-image') as typeof import('../streams/model-from-image'));

/**
 * The base class of every model: its static methods work on the table; the instance
 * methods, on one item, come from ActiveRecord (lib/record/active-record.ts).
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
export class BaseModel extends ActiveRecord {
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
    const found = await getModel<M>(schema, key, options, 'find');
    if (!found) {
      throw new ItemNotFoundError(`${schema.className}.find: no item with ${formatKey(keyFromInput(schema, key))}. Use get() to receive undefined instead.`);
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
      return getModel<M>(schemaOf(this), key, options, 'get');
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
    return batchGet().batchGetModels<M>(schemaOf(this), keys, options);
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
    return batchDelete().batchDeleteModels(schemaOf(this), keysOrInstances);
  }

  /**
   * A query on the model: `where` conditions on key attributes become the key condition of
   * the table or of the index the planner chooses, others filters.
   *
   * @example
   * const active = await User.where('status', '=', 'active').limit(10).all();
   * const week = await Metric.where('deviceId', '=', d).where('at', 'between', from, to).all();
   */
  static where<M extends BaseModel, P extends ModelProperty<M>>(
    this: ModelClass<M>,
    property: P,
    op: '=' | '<' | '<=' | '>' | '>=' | 'begins_with',
    value: NonNullable<M[P]>,
  ): Query<M>;
  static where<M extends BaseModel, P extends ModelProperty<M>>(
    this: ModelClass<M>,
    property: P,
    op: 'between',
    low: NonNullable<M[P]>,
    high: NonNullable<M[P]>,
  ): Query<M>;
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
   * An atomic update of the item under `key`, sent by `execute()`: only the
   * operations given are written, with @UpdatedAt and @Version; no instance hooks run.
   *
   * @example
   * await Counter.update({ id: 'page-views' }).increment('count').execute();
   * const u = await User.update('123').set('status', 'premium').executeWithResult();
   */
  static update<M extends BaseModel>(this: ModelClass<M>, key: ModelKey<M>): UpdateBuilder<M> {
    return updates().startUpdate<M>(schemaOf(this), key);
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
}
