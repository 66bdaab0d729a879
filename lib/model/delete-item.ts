import { QueryError } from '../errors/dynamorm-error';
import { getConnection } from '../connection/connection-context';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import type { ModelSchema } from '../metadata/model-schema';
import { toItem } from '../marshal/item-codec';
import { keyOfItem } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { snapshotOf } from './dirty-tracking';
import { stateOf } from './instance-state';
import { runHooks } from './run-hooks';
import { sendWrite } from './send-write';
import { guardChanges } from './unique-guards';
import { applyTemplates } from './derived-values';

/**
 * `model.delete()`: DeleteItem by the model's key. A loaded item of a model with @Version
 * is deleted only at the version it was loaded at (VersionConflictError otherwise), and its
 * unique guards go with it in the same transaction.
 */
export async function deleteModel(schema: ModelSchema, model: object): Promise<void> {
  const state = stateOf(model);
  if (state.projected) {
    throw new QueryError(`${schema.className}: this instance was read with select(...) and is read-only; load it whole to delete it.`);
  }
  const conn = getConnection();
  await runHooks(schema, model, 'beforeDelete');
  applyTemplates(schema, model);
  const snapshot = state.persisted ? snapshotOf(schema, model) : undefined;
  const key = keyOfItem(snapshot ?? toItem(schema, model), schema.tableKey);
  const version = schema.version && snapshot ? snapshot[schema.version.attributeName] : undefined;
  const p = new Placeholders();
  const condition = version === undefined ? undefined : cond.eq([schema.version!.attributeName], version);
  const params = {
    TableName: conn.tableName(schema.table),
    Key: key,
    ...(condition ? { ConditionExpression: compileCondition(condition, p), ...p.toParams(), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  await sendWrite(conn, schema, { kind: 'Delete', params }, guardChanges(schema, snapshot, undefined), {
    action: 'delete',
    key,
    onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'delete', version, params),
  });
  state.persisted = false;
  state.snapshot = undefined;
  state.loaded = undefined;
  await runHooks(schema, model, 'afterDelete');
}
