import { compileCondition, cond, type Condition } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { compileUpdate, type UpdateAction } from '../expressions/update';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import { epochSeconds } from '../marshal/attribute-codec';
import { planOfAttribute } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import type { UpdateState } from './update-state';
import { itemExists } from '../record/write-pipeline';
import { upsertValues } from './upsert-values';

/** The UpdateItem input of an update builder (DocumentClient shapes). */
export interface UpdateParams {
  TableName: string;
  Key: StoredItem;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD';
  ReturnValues?: 'ALL_NEW';
}

function stored(schema: ModelSchema, attr: AttributeSchema, value: unknown): unknown {
  const plan = planOfAttribute(schema, attr);
  return plan.encode(value, plan.where);
}

/**
 * What every update writes besides the user's operations: @UpdatedAt = now, @Version =
 * if_not_exists(version, 0) + 1, and on an upsert the values create() would store (see
 * upsertValues) and @CreatedAt = if_not_exists(createdAt, now) (unless the builder sets
 * it), so a created item looks like one `create()` made.
 */
function managedActions(state: UpdateState, now: Date): UpdateAction[] {
  const { schema } = state;
  const actions: UpdateAction[] = state.upsert ? upsertValues(state) : [];
  const created = schema.createdAt;
  if (state.upsert && created && !state.entries.some((e) => e.property === created.property)) {
    actions.push({ kind: 'setIfNotExists', path: [created.attributeName], value: stored(schema, created, now) });
  }
  if (schema.updatedAt) actions.push({ kind: 'set', path: [schema.updatedAt.attributeName], value: stored(schema, schema.updatedAt, now) });
  if (schema.version) actions.push({ kind: 'increment', path: [schema.version.attributeName], by: 1, start: 0 });
  return actions;
}

/**
 * The condition the stored item must meet before the `if`s: it exists (unless upserting)
 * and, with a @TTL, has not expired — `NOT ttl < now` also holds for a missing item or one
 * without a TTL. An expired item is missing to the builder, as to every read.
 */
function existenceCondition(state: UpdateState, now: Date): Condition | undefined {
  const { schema } = state;
  const live = schema.ttl && cond.not(cond.compare([schema.ttl.attributeName], '<', epochSeconds(now.getTime())));
  return cond.and(state.upsert ? undefined : itemExists(schema), live);
}

/**
 * The UpdateItem an update builder sends, with no I/O: the operations in call order, then
 * the managed attributes; `attribute_exists(<pk>)` unless upserting and `NOT ttl < now` with a
 * @TTL, ANDed with the `if` conditions; ALL_OLD on a failed condition, so a failure can tell
 * a missing (or expired) item from a false `if`.
 *
 * @example
 * compileUpdateRequest(state, 'counters', now);
 * // { TableName: 'counters', Key: { id: 'a' }, UpdateExpression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
 * //   ConditionExpression: 'attribute_exists(#n2)', ... }
 */
export function compileUpdateRequest(state: UpdateState, tableName: string, now: Date, returnNew = false): UpdateParams {
  const p = new Placeholders();
  const UpdateExpression = compileUpdate([...state.entries.map((e) => e.action), ...managedActions(state, now)], p);
  const condition = cond.and(existenceCondition(state, now), ...state.conditions);
  const ConditionExpression = condition && compileCondition(condition, p);
  return {
    TableName: tableName,
    Key: state.key,
    UpdateExpression,
    ...(ConditionExpression ? { ConditionExpression } : {}),
    ...p.toParams(),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    ...(returnNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
  };
}
