import { BaseModel } from '../model/base-model';
import type { ModelClass, ModelInput } from '../record/active-record';
import type { SaveOptions } from '../record/operation-options';
import { schemaOf } from '../metadata/registry';
import { transaction } from '../transaction/transaction';

/** DynamoDB's limit of actions in one TransactWriteItems. */
const MAX_TRANSACTION_ACTIONS = 100;

/**
 * `never` for each property of `A` the model does not have: a misspelt attribute returned by the
 * attributes function is a compile error (a function's returned object literal is not checked
 * for excess properties).
 */
type NotIn<A, T> = Record<Exclude<keyof A, keyof T>, never>;

/** Test data for one model, from {@link factory}. */
export interface Factory<M extends BaseModel> {
  /**
   * A new, unsaved instance (`Model.build`) of the next `n`'s attributes, `overrides` on top.
   * Nothing is sent; hooks and validation run when it is saved.
   */
  build(overrides?: ModelInput<M>): M;
  /** Built as `build` does, then created through the model's own `create()`: hooks, validation, unique guards, ItemExistsError. */
  create(overrides?: ModelInput<M>, options?: SaveOptions): Promise<M>;
  /**
   * `count` instances built as `build` does (`overrides` on each), created in transactions —
   * each item exactly as `create()` writes it, its unique guards in the same request — of as
   * many items as DynamoDB's 100 actions allow (100, or fewer when each item moves unique
   * guards). Resolves to the instances in order, persisted. Transactions, not BatchWriteItem:
   * a batch overwrites an existing item instead of refusing it, restarts `@Version` and cannot
   * keep unique guards (batchCreate refuses such models), where test data should be what
   * `create()` makes. A chunk is all or nothing; chunks before a failed one stay written.
   */
  createMany(count: number, overrides?: ModelInput<M>, options?: SaveOptions): Promise<M[]>;
  /** The last `n` handed to the attributes function (0 before the first). */
  readonly sequence: number;
}

/**
 * A factory of test data for `model`: `attributes(n)` gives the attributes of the n-th
 * instance (n = 1, 2, ... for this factory, never reused, even by a failed create), so values
 * built from `n` — keys, unique emails — never collide between the instances of one factory.
 * Two factories of one model count separately: give their values different prefixes.
 *
 * @example
 * const users = factory(User, (n) => ({ id: `user-${n}`, email: `user${n}@example.com`, age: 20 + n }));
 * const draft = users.build({ name: 'Ann' });          // unsaved User, id 'user-1'
 * const ann = await users.create({ age: 30 });         // saved through User.create: hooks, validation, guards
 * const many = await users.createMany(3);              // User[3]: ids user-3, user-4, user-5
 */
export function factory<M extends BaseModel, A extends ModelInput<M>>(
  model: ModelClass<M>,
  attributes: (n: number) => A & NotIn<A, ModelInput<M>>,
): Factory<M> {
  let sequence = 0;
  const build = (overrides?: ModelInput<M>): M => {
    const attrs = { ...attributes(++sequence), ...overrides };
    return (model as unknown as typeof BaseModel).build(attrs) as M;
  };
  return {
    build,
    async create(overrides, options) {
      const instance = build(overrides);
      await instance.create(options);
      return instance;
    },
    async createMany(count, overrides, options) {
      if (!Number.isInteger(count) || count < 0)
        throw new RangeError(`factory(${model.name}).createMany: count must be a whole number ≥ 0; got ${String(count)}.`);
      const perItem = 1 + schemaOf(model).uniques.length;
      const chunkSize = Math.max(1, Math.floor(MAX_TRANSACTION_ACTIONS / perItem));
      const created: M[] = [];
      while (created.length < count) {
        const chunk = Array.from({ length: Math.min(chunkSize, count - created.length) }, () => build(overrides));
        await transaction((tx) => {
          for (const instance of chunk) tx.create(instance, options);
        });
        created.push(...chunk);
      }
      return created;
    },
    get sequence() {
      return sequence;
    },
  };
}
