import { getConnection } from '../connection/connection-context';
import type { Connection } from '../connection/connection';
import { cond, conditionParams } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import { keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { markDeleted } from './dirty-tracking';
import { stateOf } from './instance-state';
import type { PreparedWrite } from './prepared-write';
import { runHooks } from './run-hooks';
import { sendPrepared } from './send-write';
import { getStoredItem } from './read-item';
import { guardChanges, storedUniquesCondition } from './unique-guards';
import { applyTemplates } from './derived-values';
import { expectedVersionOf, refusePartial, versionCondition } from './write-pipeline';

const AFTER_DELETE = Object.freeze(['afterDelete'] as const);

/**
 * The DeleteItem of `model.delete()`, after its @BeforeDelete hooks: by the model's key,
 * which is all it encodes (other values, even ones that could not be read, play no part). A
 * loaded item of a model with @Version is deleted only at the instance's version, and its
 * unique guards go with it; an item never loaded is read first, so its unique values are
 * freed too.
 */
export async function prepareDelete(schema: ModelSchema, model: object, conn: Connection): Promise<PreparedWrite> {
  const state = stateOf(model);
  refusePartial(schema, model, 'delete');
  const hooks = runHooks(schema, model, 'beforeDelete');
  if (hooks) await hooks;
  applyTemplates(schema, model);
  let stored = state.persisted ? state.loaded : undefined;
  const key = stored ? keyOfItem(stored, schema.tableKey) : keyFromInput(schema, model as KeyInput);
  if (!stored && schema.uniques.length > 0) stored = await getStoredItem(schema, key, { consistent: true, withExpired: true }, 'delete');
  const version = schema.version ? expectedVersionOf(schema, model) : undefined;
  const versionCheck = !state.persisted && version === undefined ? undefined : versionCondition(schema, version);
  const guards = guardChanges(schema, stored, undefined);
  const condition = cond.and(versionCheck, storedUniquesCondition(stored, guards));
  const params = {
    TableName: conn.tableName(schema.table),
    Key: key,
    ...(condition ? { ...conditionParams(condition), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  return {
    schema,
    model,
    action: 'delete',
    primary: { kind: 'Delete', params },
    guards,
    key,
    expectedVersion: version,
    afterHooks: AFTER_DELETE,
    onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'delete', version, params),
    settle: () => markDeleted(model),
    restore: () => undefined, // a delete stamps nothing
  };
}

/** `model.delete()`: DeleteItem by the model's key (see prepareDelete). */
export async function deleteModel(schema: ModelSchema, model: object): Promise<void> {
  const conn = getConnection();
  await sendPrepared(conn, await prepareDelete(schema, model, conn));
}
