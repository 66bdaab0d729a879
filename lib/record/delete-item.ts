import { cond, conditionParams } from '../expressions/condition';
import { keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { markDeleted } from './dirty-tracking';
import type { PreparedWrite } from './prepared-write';
import { runHooks } from './run-hooks';
import { getStoredItem } from './read-item';
import { guardChanges, storedUniquesCondition } from './unique-guards';
import { applyTemplates } from './derived-values';
import type { WriteContext } from './write-context';
import { expectedVersionOf, refusePartial, versionCondition } from './write-pipeline';

/**
 * The DeleteItem of `model.delete()`, after its @BeforeDelete hooks: by the model's key,
 * which is all it encodes (other values, even ones that could not be read, play no part). A
 * loaded item of a model with @Version is deleted only at the instance's version, and its
 * unique guards go with it; an item never loaded is read first, so its unique values are
 * freed too.
 */
export async function prepareDelete(ctx: WriteContext): Promise<PreparedWrite> {
  const { schema, model, state } = ctx;
  refusePartial(schema, state, 'delete');
  const hooks = runHooks(schema, model, 'beforeDelete');
  if (hooks) await hooks;
  applyTemplates(schema, model);
  let stored = state.persisted ? state.loaded : undefined;
  const key = stored ? keyOfItem(stored, schema.tableKey) : keyFromInput(schema, model as KeyInput);
  if (!stored && schema.uniques.length > 0) stored = await getStoredItem(schema, key, { consistent: true, withExpired: true }, 'delete');
  const version = schema.version ? expectedVersionOf(ctx) : undefined;
  const versionCheck = !state.persisted && version === undefined ? undefined : versionCondition(schema, version);
  const guards = guardChanges(schema, stored, undefined);
  const condition = cond.and(versionCheck, storedUniquesCondition(stored, guards));
  const params = {
    TableName: ctx.conn.tableName(schema.table),
    Key: key,
    ...(condition ? { ...conditionParams(condition), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  return {
    ctx,
    primary: { kind: 'Delete', params },
    guards,
    key,
    expectedVersion: version,
    onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'delete', version, params),
    settle: () => markDeleted(state),
    restore: () => undefined, // a delete stamps nothing
  };
}
