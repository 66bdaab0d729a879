import { QueryError } from '../errors/dynamorm-error';
import { getConnection } from '../connection/connection-context';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import type { ModelSchema } from '../metadata/model-schema';
import { keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { stateOf } from './instance-state';
import { runHooks } from './run-hooks';
import { sendWrite } from './send-write';
import { getStoredItem } from './read-item';
import { guardChanges, storedUniquesCondition } from './unique-guards';
import { applyTemplates } from './derived-values';
import { expectedVersionOf } from './write-pipeline';

/**
 * `model.delete()`: DeleteItem by the model's key, which is all it encodes (other values,
 * even ones that could not be read, play no part). A loaded item of a model with @Version
 * is deleted only at the instance's version (VersionConflictError otherwise), and its
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
  let stored = state.persisted ? state.loaded : undefined;
  const key = stored ? keyOfItem(stored, schema.tableKey) : keyFromInput(schema, model as KeyInput);
  // The guards of an item never loaded are unknown: read it, so its unique values are freed too.
  if (!stored && schema.uniques.length > 0) stored = await getStoredItem(schema, key, { consistent: true, withExpired: true }, 'delete');
  const version = schema.version ? expectedVersionOf(schema, model) : undefined;
  const versionCheck = !schema.version || (!state.persisted && version === undefined)
    ? undefined
    : version === undefined ? cond.notExists([schema.version.attributeName]) : cond.eq([schema.version.attributeName], version);
  const guards = guardChanges(schema, stored, undefined);
  const condition = cond.and(versionCheck, storedUniquesCondition(stored, guards));
  const p = new Placeholders();
  const params = {
    TableName: conn.tableName(schema.table),
    Key: key,
    ...(condition ? { ConditionExpression: compileCondition(condition, p), ...p.toParams(), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  await sendWrite(conn, schema, { kind: 'Delete', params }, guards, {
    action: 'delete',
    key,
    onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'delete', version, params),
  });
  state.persisted = false;
  state.loaded = undefined;
  state.baseline = undefined;
  state.decodeIssues = undefined;
  await runHooks(schema, model, 'afterDelete');
}
