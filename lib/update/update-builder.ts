import { getConnection } from '../connection/connection-context';
import { DynamormError, QueryError, TransactionError } from '../errors/dynamorm-error';
import type { UpdateAction } from '../expressions/update';
import { formatKey } from '../marshal/key-codec';
import type { ModelProperty } from '../record/active-record';
import { hydrate } from '../record/read-item';
import { compileUpdateRequest, type UpdateParams } from './compile-update';
import { sendUpdate } from './send-update';
import { traced, tracing } from '../connection/traced';
import { updateCondition } from './update-condition';
import type { UpdateState } from './update-state';
import { checkUpsert } from './upsert-values';
import { checkOverlap, updateTarget, type AttributePlan } from './update-target';
import type { ListElement, ListProperty, NumberProperty, SetMember, SetProperty } from './update-types';
import { checkListIndex, encodeElement, encodeForSet, encodeIncrement, encodeListValues, encodeRequired, encodeSetOperand } from './update-values';

let readState: (builder: UpdateBuilder<unknown>) => UpdateState;

/** What a builder has been told (for transactions, which send builders themselves). */
export function updateStateOf(builder: UpdateBuilder<unknown>): UpdateState {
  return readState(builder);
}

/**
 * An immutable atomic update of one item (`Model.update(key)`): every call returns a new
 * builder, so a base update can be shared and branched. Nothing is sent until `execute()` or
 * `executeWithResult()`. Every update also sets @UpdatedAt and bumps @Version, and requires
 * the item to exist (ItemNotFoundError) unless `upsert()`; no instance hooks run. A wrong
 * request shape is a QueryError and a wrong value a ValidationError, both thrown by the call
 * that made them, before anything is sent.
 *
 * @example
 * await Counter.update({ id: 'page-views' }).increment('count').execute();
 * const user = await User.update('123').set('status', 'premium').add('tags', new Set(['vip']))
 *   .if('version = :v', { v: 3 }).executeWithResult();
 */
export class UpdateBuilder<M> {
  readonly #state: UpdateState;

  /** @internal Use `Model.update(key)`. */
  constructor(state: UpdateState) {
    this.#state = Object.freeze(state);
    if (state.slot) state.slot.current = this;
  }

  static {
    readState = (builder) => builder.#state;
  }

  #target(property: string, call: string): AttributePlan {
    return updateTarget(this.#state.schema, property, call);
  }

  #with(property: string, call: string, action: UpdateAction): UpdateBuilder<M> {
    checkOverlap(this.#state.schema, this.#state.entries, action.path, call);
    return new UpdateBuilder<M>({ ...this.#state, entries: [...this.#state.entries, { action, call, property }] });
  }

  /**
   * Sets a property, stored as its declared type. `undefined` removes it, and so do '' and
   * null in an index key (the item leaves the sparse index).
   *
   * @example
   * User.update('1').set('status', 'premium').toParams().UpdateExpression;
   * // 'SET #n1 = :v1, #n2 = :v2, #n3 = if_not_exists(#n3, :v3) + :v4' (status, then @UpdatedAt and @Version)
   */
  set<P extends ModelProperty<M>>(property: P, value: M[P] | null): UpdateBuilder<M> {
    const call = `set('${property}')`;
    const plan = this.#target(property, call);
    const encoded = encodeForSet(plan, value);
    const path = [plan.attr.attributeName];
    return this.#with(property, call, encoded === undefined ? { kind: 'remove', path } : { kind: 'set', path, value: encoded });
  }

  /**
   * Removes a property from the item.
   *
   * @example
   * User.update('1').remove('nickname'); // ... REMOVE #n1
   */
  remove<P extends ModelProperty<M>>(property: P): UpdateBuilder<M> {
    const call = `remove('${property}')`;
    return this.#with(property, call, { kind: 'remove', path: [this.#target(property, call).attr.attributeName] });
  }

  /**
   * Adds `by` (default 1) to a number, atomically; a missing attribute counts from 0.
   *
   * @example
   * Counter.update({ id: 'a' }).increment('count').toParams().UpdateExpression;
   * // 'SET #n1 = if_not_exists(#n1, :v1) + :v2' with :v1 = 0, :v2 = 1
   */
  increment<P extends NumberProperty<M>>(property: P, by?: NonNullable<M[P]>): UpdateBuilder<M> {
    return this.#increment(property, by, 1, 'increment');
  }

  /**
   * Subtracts `by` (default 1) from a number, atomically; a missing attribute counts from 0.
   *
   * @example
   * User.update('1').decrement('credits', 5); // SET #n1 = if_not_exists(#n1, :v1) + :v2 with :v2 = -5
   */
  decrement<P extends NumberProperty<M>>(property: P, by?: NonNullable<M[P]>): UpdateBuilder<M> {
    return this.#increment(property, by, -1, 'decrement');
  }

  #increment(property: string, by: unknown, sign: 1 | -1, method: string): UpdateBuilder<M> {
    const call = `${method}('${property}')`;
    const plan = this.#target(property, call);
    const amount = encodeIncrement(plan, by ?? (plan.attr.kind === 'bigint' ? 1n : 1), sign, call);
    return this.#with(property, call, { kind: 'increment', path: [plan.attr.attributeName], ...amount });
  }

  /**
   * Adds members to a Set property (DynamoDB's ADD); a missing attribute becomes the Set.
   *
   * @example
   * User.update('1').add('tags', new Set(['vip'])); // ADD #n1 :v1
   */
  add<P extends SetProperty<M>>(property: P, values: ReadonlySet<SetMember<M, P>>): UpdateBuilder<M> {
    const call = `add('${property}')`;
    const plan = this.#target(property, call);
    return this.#with(property, call, { kind: 'add', path: [plan.attr.attributeName], value: encodeSetOperand(plan, values, call) });
  }

  /**
   * Removes members from a Set property (DynamoDB's DELETE).
   *
   * @example
   * User.update('1').delete('tags', new Set(['trial'])); // DELETE #n1 :v1
   */
  delete<P extends SetProperty<M>>(property: P, values: ReadonlySet<SetMember<M, P>>): UpdateBuilder<M> {
    const call = `delete('${property}')`;
    const plan = this.#target(property, call);
    return this.#with(property, call, { kind: 'delete', path: [plan.attr.attributeName], value: encodeSetOperand(plan, values, call) });
  }

  /**
   * Adds elements to the end of a list; a missing attribute starts empty.
   *
   * @example
   * User.update('1').append('history', ['x']); // SET #n1 = list_append(if_not_exists(#n1, :v1), :v2)
   */
  append<P extends ListProperty<M>>(property: P, values: ReadonlyArray<ListElement<M, P>>): UpdateBuilder<M> {
    return this.#list(property, values, 'append');
  }

  /**
   * Adds elements to the start of a list; a missing attribute starts empty.
   *
   * @example
   * User.update('1').prepend('history', ['x']); // SET #n1 = list_append(:v1, if_not_exists(#n1, :v2))
   */
  prepend<P extends ListProperty<M>>(property: P, values: ReadonlyArray<ListElement<M, P>>): UpdateBuilder<M> {
    return this.#list(property, values, 'prepend');
  }

  #list(property: string, values: unknown, kind: 'append' | 'prepend'): UpdateBuilder<M> {
    const call = `${kind}('${property}')`;
    const plan = this.#target(property, call);
    return this.#with(property, call, { kind, path: [plan.attr.attributeName], values: encodeListValues(plan, values, call) });
  }

  /**
   * Sets the element at `index` of a list (past the end: appended, as DynamoDB does).
   *
   * @example
   * User.update('1').setElement('history', 2, 'y'); // SET #n1[2] = :v1
   */
  setElement<P extends ListProperty<M>>(property: P, index: number, value: ListElement<M, P>): UpdateBuilder<M> {
    const call = `setElement('${property}', ${String(index)})`;
    const plan = this.#target(property, call);
    const at = checkListIndex(plan, index, call);
    return this.#with(property, call, { kind: 'set', path: [plan.attr.attributeName, at], value: encodeElement(plan, at, value, call) });
  }

  /**
   * Removes the element at `index` of a list (the later ones move down).
   *
   * @example
   * User.update('1').removeElement('history', 0); // REMOVE #n1[0]
   */
  removeElement<P extends ListProperty<M>>(property: P, index: number): UpdateBuilder<M> {
    const call = `removeElement('${property}', ${String(index)})`;
    const plan = this.#target(property, call);
    return this.#with(property, call, { kind: 'remove', path: [plan.attr.attributeName, checkListIndex(plan, index, call)] });
  }

  /**
   * Sets a property only when the item has none yet.
   *
   * @example
   * User.update('1').setIfNotExists('score', 0); // SET #n1 = if_not_exists(#n1, :v1)
   */
  setIfNotExists<P extends ModelProperty<M>>(property: P, value: NonNullable<M[P]>): UpdateBuilder<M> {
    const call = `setIfNotExists('${property}')`;
    const plan = this.#target(property, call);
    return this.#with(property, call, { kind: 'setIfNotExists', path: [plan.attr.attributeName], value: encodeRequired(plan, value, call) });
  }

  /**
   * A condition the item must meet, in DynamoDB's grammar with property names and `:name`
   * params (encoded as the properties store them); several are ANDed. When it does not hold,
   * nothing is written and execute() throws ConditionFailedError.
   *
   * @example
   * Inventory.update({ productId }).decrement('stock', 2).if('stock >= :q', { q: 2 });
   * // ConditionExpression: 'attribute_exists(#n2) AND #n1 >= :v3'
   */
  if(expression: string, params: Readonly<Record<string, unknown>> = {}): UpdateBuilder<M> {
    const condition = updateCondition(this.#state.schema, expression, params);
    return new UpdateBuilder<M>({ ...this.#state, conditions: [...this.#state.conditions, condition] });
  }

  /**
   * Creates the item when it is missing (or expired: its @TTL passed) instead of failing with
   * ItemNotFoundError, storing what create() would: the key template's sources, `default`s,
   * @CreatedAt and @Version 1, each only where the item has none and the builder's own
   * operations do not write. An expired item is deleted first and replaced by a fresh one.
   * A key given as stored values of a templated key is a QueryError here.
   *
   * @example
   * await Counter.update({ id: 'new' }).increment('count').upsert().execute(); // count is 1
   */
  upsert(): UpdateBuilder<M> {
    const state = { ...this.#state, upsert: true };
    checkUpsert(state);
    return new UpdateBuilder<M>(state);
  }

  #notInTransaction(call: string): void {
    const { slot, schema, key } = this.#state;
    if (slot) {
      throw new TransactionError(
        `${schema.className}.update(${formatKey(key)}).${call}(): this update belongs to ${slot.transaction} and is sent with it when the callback returns; do not call ${call}() on it.`,
      );
    }
  }

  #params(returnNew: boolean): UpdateParams {
    const { schema, entries, key } = this.#state;
    if (entries.length === 0) {
      throw new QueryError(`${schema.className}.update(${formatKey(key)}): nothing to update; add an operation such as set(...) or increment(...).`);
    }
    return compileUpdateRequest(this.#state, getConnection().tableName(schema.table), new Date(), returnNew);
  }

  /**
   * The UpdateItem input `execute()` would send, with no I/O.
   *
   * @example
   * Counter.update({ id: 'a' }).increment('count').toParams();
   * // { TableName: 'counters', Key: { id: 'a' }, UpdateExpression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
   * //   ConditionExpression: 'attribute_exists(#n2)', ExpressionAttributeNames: { '#n1': 'count', '#n2': 'id' },
   * //   ExpressionAttributeValues: { ':v1': 0, ':v2': 1 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }
   */
  toParams(): UpdateParams {
    return this.#params(false);
  }

  /**
   * Sends the update. A missing item is ItemNotFoundError (unless upserting), a false `if`
   * ConditionFailedError.
   *
   * @example
   * await Counter.update({ id: 'page-views' }).increment('count').execute();
   */
  async execute(): Promise<void> {
    this.#notInTransaction('execute');
    if (tracing()) return traced('update.execute', this.#state.schema, UpdateBuilder.prototype.execute, this) as Promise<void>;
    const params = this.#params(false);
    await sendUpdate(getConnection(), this.#state.schema, params, this.#state.upsert);
  }

  /**
   * Sends the update and resolves to the item as stored after it (ReturnValues ALL_NEW), as a
   * model instance (@AfterLoad hooks run, as on any read).
   *
   * @example
   * const user = await User.update('123').set('status', 'premium').executeWithResult();
   * user.status; // 'premium'
   */
  async executeWithResult(): Promise<M> {
    this.#notInTransaction('executeWithResult');
    if (tracing()) return traced('update.executeWithResult', this.#state.schema, UpdateBuilder.prototype.executeWithResult, this) as Promise<M>;
    const { schema, upsert } = this.#state;
    const params = this.#params(true);
    const item = await sendUpdate(getConnection(), schema, params, upsert);
    if (!item)
      throw new DynamormError(`${schema.className}.update (${formatKey(params.Key)}): DynamoDB returned no item for ReturnValues ALL_NEW.`, { params });
    return hydrate<M>(schema, item);
  }
}
