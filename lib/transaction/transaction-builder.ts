import { TransactionError } from '../errors/dynamorm-error';
import type { Condition } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import { schemaOf } from '../metadata/registry';
import type { StoredItem } from '../marshal/stored-item';
import { keyFromInput } from '../marshal/key-codec';
import type { ActiveRecord } from '../record/active-record';
import type { ModelClass, ModelKey } from '../record/active-record';
import type { SaveOptions } from '../record/operation-options';
import { updateCondition } from '../update/update-condition';
import { UpdateBuilder } from '../update/update-builder';

/** One operation the callback asked for, in call order. */
export type TransactionOperation =
  | { readonly kind: 'create' | 'save'; readonly schema: ModelSchema; readonly model: ActiveRecord; readonly options: SaveOptions }
  | { readonly kind: 'delete'; readonly schema: ModelSchema; readonly model: ActiveRecord }
  | { readonly kind: 'update'; readonly schema: ModelSchema; readonly slot: { current: unknown; readonly transaction: string } }
  | { readonly kind: 'check'; readonly schema: ModelSchema; readonly key: StoredItem; readonly condition: Condition; readonly expression: string };

// What each transaction recorded, kept off the class: a static block (to reach private fields)
// would count as a side effect to bundlers, which then keep this file in every app.
const recorded = new WeakMap<Transaction, { operations: TransactionOperation[]; closed: boolean }>();

/**
 * The `tx` of `transaction(async (tx) => ...)`: it only records operations. Nothing is
 * built, hooked or sent until the callback returns; if it throws, nothing is sent at all.
 *
 * @example
 * await transaction(async (tx) => {
 *   tx.create(order);
 *   tx.update(Inventory, { productId }).decrement('stock', 2).if('stock >= :q', { q: 2 });
 * });
 */
export class Transaction {
  /** @internal Use `transaction(fn)`. */
  constructor() {
    recorded.set(this, { operations: [], closed: false });
  }

  #add(operation: TransactionOperation): void {
    const state = recorded.get(this)!;
    if (state.closed) {
      throw new TransactionError('This transaction was already sent (or abandoned): add operations inside its callback, before it returns.');
    }
    state.operations.push(operation);
  }

  #schemaOfInstance(model: ActiveRecord, call: string) {
    const ctor = (model as object | null)?.constructor;
    if (typeof ctor !== 'function' || ctor === Object) {
      throw new TransactionError(
        `tx.${call}(...) takes a model instance (built with Model.build(...) or loaded); got ${model === null ? 'null' : typeof model}.`,
      );
    }
    return schemaOf(ctor);
  }

  /**
   * Creates `model` (a conditional Put: the key must be free), with its hooks and validation.
   * Resolves, with the others, to the model as written.
   */
  create<M extends ActiveRecord>(model: M, options: SaveOptions = {}): M {
    this.#add({ kind: 'create', schema: this.#schemaOfInstance(model, 'create'), model, options });
    return model;
  }

  /**
   * Saves `model`: a new one is created, a loaded one updated by its changes and
   * version-checked (a stale copy cancels the transaction). A loaded model with no changes
   * still checks that it is stored at its version, as a ConditionCheck.
   */
  save<M extends ActiveRecord>(model: M, options: SaveOptions = {}): M {
    this.#add({ kind: 'save', schema: this.#schemaOfInstance(model, 'save'), model, options });
    return model;
  }

  /**
   * An atomic update of the item under `key` (the builder of `Model.update(key)`); chain its
   * operations in one expression: the transaction sends the last builder of the chain.
   */
  update<M extends ActiveRecord>(model: ModelClass<M>, key: ModelKey<M>): UpdateBuilder<M> {
    const schema = schemaOf(model);
    const slot = { current: undefined as unknown, transaction: 'a transaction' };
    this.#add({ kind: 'update', schema, slot });
    return new UpdateBuilder<M>({
      schema,
      key: keyFromInput(schema, key),
      keyInput: key,
      entries: [],
      conditions: [],
      upsert: false,
      slot,
    });
  }

  /** Deletes `model` (version-checked when loaded), with its hooks; its unique values are freed. */
  delete<M extends ActiveRecord>(model: M): void {
    this.#add({ kind: 'delete', schema: this.#schemaOfInstance(model, 'delete'), model });
  }

  /**
   * A condition another item must meet for the transaction to go through (nothing written to
   * it): DynamoDB's grammar with property names and `:name` params, as `if(...)` takes.
   *
   * @example
   * tx.conditionCheck(User, '123', 'status = :s', { s: 'active' });
   */
  conditionCheck<M extends ActiveRecord>(model: ModelClass<M>, key: ModelKey<M>, expression: string, params: Readonly<Record<string, unknown>> = {}): void {
    const schema = schemaOf(model);
    const condition = updateCondition(schema, expression, params);
    this.#add({ kind: 'check', schema, key: keyFromInput(schema, key), condition, expression });
  }
}

/** The operations the callback recorded; the transaction takes no more. */
export function closeTransaction(tx: Transaction): readonly TransactionOperation[] {
  const state = recorded.get(tx)!;
  state.closed = true;
  return state.operations;
}
