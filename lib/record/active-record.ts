import { ItemNotFoundError } from '../errors/dynamorm-error';
import { schemaOf } from '../metadata/registry';
import { assignFromItem, type DecodeIssue } from '../marshal/item-codec';
import { formatKey, keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { optionalClassTransformer } from '../peers/class-transformer';
import { traced, tracing } from '../connection/traced';
import { checkKnownProperties } from './derived-values';
import { reportDecodeIssues } from './decode-report';
import { changedProperties, markStored } from './dirty-tracking';
import { INSTANCE_STATE, stateOf, type InstanceState } from './instance-state';
import type { SaveOptions } from './operation-options';
import { getStoredItem } from './read-item';
import { runHooks } from './run-hooks';
import { writeInstance } from './write-instance';

/** A model class whose instances are `M`. Static methods are typed through it. */
export interface ModelClass<M extends ActiveRecord> {
  new (...args: never[]): M;
  readonly prototype: M;
}

type DataKeys<M> = {
  [K in keyof M]-?: K extends keyof ActiveRecord ? never : M[K] extends (...args: never[]) => unknown ? never : K;
}[keyof M];

/** The data properties of a model (methods and ActiveRecord members left out). */
export type ModelAttributes<M> = Pick<M, DataKeys<M>>;

/** Attributes accepted by `build`, `create` and `update`. */
export type ModelInput<M> = Partial<ModelAttributes<M>>;

/** The name of a data property of the model. */
export type ModelProperty<M> = DataKeys<M> & string;

/** A key: the partition key value alone, or an object of key properties (or template sources). */
export type ModelKey<M> = string | number | bigint | Uint8Array | Date | ModelInput<M>;

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
 * One item as a model instance: what dynamorm tracks about it, and the methods that read and
 * write it. `BaseModel` (the class models extend) adds the statics that work on the table.
 *
 * It lives here, beneath every capability, so that transactions, streams and the rest can
 * name "a model instance" without importing the facade above them; a BaseModel instance is
 * exactly an ActiveRecord (BaseModel adds no instance member), so either type can stand for
 * the other.
 *
 * @example
 * const u = await User.find('1'); // User extends BaseModel extends ActiveRecord
 * u.name = 'Anna'; await u.save();
 */
export class ActiveRecord {
  // What dynamorm tracks about this instance (./instance-state.ts).
  #state: InstanceState = { persisted: false };

  static {
    Object.defineProperty(ActiveRecord.prototype, INSTANCE_STATE, {
      // An object made without the constructor (Object.create) has no field: stateOf gives it one.
      get(this: ActiveRecord) {
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
    if (tracing()) return traced('create', schemaOf(this.constructor), ActiveRecord.prototype.create, this, options) as Promise<this>;
    await writeInstance(schemaOf(this.constructor), this, 'create', options);
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
    if (tracing()) return traced('save', schemaOf(this.constructor), ActiveRecord.prototype.save, this, options) as Promise<this>;
    await writeInstance(schemaOf(this.constructor), this, 'save', options);
    return this;
  }

  /**
   * Assigns `attrs` and saves.
   *
   * @example
   * await u.update({ status: 'gone' });
   */
  async update(attrs: ModelInput<this>, options?: SaveOptions): Promise<this> {
    if (tracing()) return traced('update', schemaOf(this.constructor), ActiveRecord.prototype.update, this, attrs, options) as Promise<this>;
    const schema = schemaOf(this.constructor);
    checkKnownProperties(schema, this, attrs, 'update');
    Object.assign(this, attrs);
    await writeInstance(schema, this, 'save', options);
    return this;
  }

  /**
   * Deletes the item (version-checked when the model has @Version).
   *
   * @example
   * await u.delete();
   */
  async delete(): Promise<void> {
    if (tracing()) return traced('delete', schemaOf(this.constructor), ActiveRecord.prototype.delete, this) as Promise<void>;
    await writeInstance(schemaOf(this.constructor), this, 'delete');
  }

  /**
   * Reads the item again (consistently) and replaces every attribute.
   *
   * @example
   * await u.reload();
   */
  async reload(): Promise<this> {
    if (tracing()) return traced('reload', schemaOf(this.constructor), ActiveRecord.prototype.reload, this) as Promise<this>;
    const schema = schemaOf(this.constructor);
    const state = stateOf(this);
    const key = state.loaded ? keyOfItem(state.loaded, schema.tableKey) : keyFromInput(schema, this as KeyInput);
    const item = await getStoredItem(schema, key, { consistent: true }, 'reload');
    if (!item) throw new ItemNotFoundError(`${schema.className}.reload: no item with ${formatKey(key)} (deleted, or never created).`);
    const issues = assignFromItem(schema, item, this);
    markStored(state, item);
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
