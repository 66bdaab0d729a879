import { ItemExistsError } from '../errors/dynamorm-error';
import { cond, conditionParams, type Condition, type ConditionParams } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import { epochSeconds } from '../marshal/attribute-codec';
import { checkItemSize, toItem } from '../marshal/item-codec';
import { formatKey, keyOfItem } from '../marshal/key-codec';
import { markStored } from './dirty-tracking';
import type { PreparedWrite } from './prepared-write';
import { guardChanges } from './unique-guards';
import type { WriteContext } from './write-context';
import { itemExists, stampWrite } from './write-pipeline';

// The create condition is compiled once per model; with @TTL only its one value, the current
// time, changes per write.
const compiled = new WeakMap<ModelSchema, ConditionParams>();

/** The create condition: no item under the key, or (with @TTL) only an expired one. */
function createCondition(schema: ModelSchema, now: Date): ConditionParams {
  let fixed = compiled.get(schema);
  if (!fixed) {
    const absent = itemExists(schema, false);
    const condition: Condition = schema.ttl ? cond.or(absent, cond.compare([schema.ttl.attributeName], '<', 0))! : absent;
    fixed = Object.freeze(conditionParams(condition));
    compiled.set(schema, fixed);
  }
  if (!schema.ttl) return fixed;
  // Epoch seconds, floored: the same clock reading as reads and unique guards use.
  const [placeholder] = Object.keys(fixed.ExpressionAttributeValues!);
  return { ...fixed, ExpressionAttributeValues: { [placeholder]: epochSeconds(now.getTime()) } };
}

/**
 * The conditional Put of a create, with the model's guards: stamps @CreatedAt, @UpdatedAt and
 * @Version (put back if building fails). Run after `beforeWrite`.
 */
export function buildCreate(ctx: WriteContext): PreparedWrite {
  const { schema, state } = ctx;
  const now = new Date();
  const restore = stampWrite(ctx, now);
  try {
    const item = toItem(schema, ctx.model);
    checkItemSize(schema, item);
    const params = { TableName: ctx.conn.tableName(schema.table), Item: item, ...createCondition(schema, now) };
    const key = keyOfItem(item, schema.tableKey);
    return {
      ctx,
      primary: { kind: 'Put', params },
      guards: guardChanges(schema, undefined, item),
      key,
      onConditionFailed: (error) =>
        new ItemExistsError(
          `${schema.className}.create: an item with ${formatKey(key)} exists already; nothing was written. Use save() on the loaded item to change it, or choose another key.`,
          {
            cause: error,
            params,
          },
        ),
      settle: () => {
        markStored(state, item);
        state.decodeIssues = undefined; // every attribute was just written
      },
      restore,
    };
  } catch (error) {
    restore();
    throw error;
  }
}
