import { ValidationError } from '../errors/validation-error';
import { getConnection } from '../connection/connection-context';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { compileUpdate, type UpdateAction } from '../expressions/update';
import type { ModelSchema } from '../metadata/model-schema';
import { checkItemSize, encodeAttribute, planOf, type StoredItem } from '../marshal/item-codec';
import { keyOfItem } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { createModel } from './create-item';
import { markPersisted, sameStored, snapshotOf } from './dirty-tracking';
import { stateOf } from './instance-state';
import { runHooks } from './run-hooks';
import { sendWrite } from './send-write';
import { guardChanges } from './unique-guards';
import { beforeWrite, stampWrite } from './write-pipeline';
import type { SaveOptions } from './model-types';

function keyChanged(schema: ModelSchema, property: string, before: unknown, after: unknown): ValidationError {
  return new ValidationError(
    `${schema.className}.${property} is part of the table key and changed from ${JSON.stringify(String(before))} to ${JSON.stringify(String(after))} on a loaded item; ` +
      'a key cannot be updated in place. Delete the item and create a new one instead.',
    [{ property, value: after, constraints: { keyChanged: `${property} cannot change` } }],
  );
}

/**
 * `model.save()`: a new instance is created; a loaded one sends one UpdateItem of the
 * attributes that changed since it was loaded (nothing at all when none did), guarded by
 * `attribute_exists(<pk>)` and, with @Version, the version it was loaded at.
 */
export async function saveModel(schema: ModelSchema, model: object, options: SaveOptions = {}): Promise<void> {
  if (!stateOf(model).persisted) return createModel(schema, model, options);
  const conn = getConnection();
  const preparing = beforeWrite(schema, model, 'update', options, conn.config.validator);
  if (preparing) await preparing;
  const snapshot = snapshotOf(schema, model)!;
  const source = model as Record<string, unknown>;
  const changes: Array<{ name: string; value: unknown }> = [];
  for (const plan of planOf(schema)) {
    const { attr } = plan;
    if (attr === schema.updatedAt || attr === schema.version) continue;
    const value = encodeAttribute(plan, source);
    const before = snapshot[attr.attributeName];
    if (sameStored(value, before)) continue;
    if (attr.tableKey) throw keyChanged(schema, attr.property, before, value);
    changes.push({ name: attr.attributeName, value });
  }
  if (changes.length === 0) return;

  const previousVersion = schema.version ? snapshot[schema.version.attributeName] : undefined;
  const restore = stampWrite(schema, model, 'update', new Date());
  try {
    for (const managed of [schema.updatedAt, schema.version]) {
      if (managed) changes.push({ name: managed.attributeName, value: encodeAttribute(planOf(schema).find((p) => p.attr === managed)!, source) });
    }
    const next: StoredItem = { ...snapshot };
    const actions: UpdateAction[] = [];
    for (const { name, value } of changes) {
      if (value === undefined) {
        delete next[name];
        if (snapshot[name] !== undefined) actions.push({ kind: 'remove', path: [name] });
      } else {
        next[name] = value;
        actions.push({ kind: 'set', path: [name], value });
      }
    }
    checkItemSize(schema, next);
    const key = keyOfItem(snapshot, schema.tableKey);
    const p = new Placeholders();
    const versionCheck = schema.version
      ? previousVersion === undefined
        ? cond.notExists([schema.version.attributeName])
        : cond.eq([schema.version.attributeName], previousVersion)
      : undefined;
    const ConditionExpression = compileCondition(cond.and(cond.exists([schema.tableKey.partitionKey.attributeName]), versionCheck)!, p);
    const UpdateExpression = compileUpdate(actions, p);
    const params = {
      TableName: conn.tableName(schema.table),
      Key: key,
      UpdateExpression,
      ConditionExpression,
      ...p.toParams(),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    await sendWrite(conn, schema, { kind: 'Update', params }, guardChanges(schema, snapshot, next), {
      action: 'save',
      key,
      onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'save', previousVersion, params),
    });
    markPersisted(model, next);
  } catch (error) {
    restore();
    throw error;
  }
  await runHooks(schema, model, 'afterUpdate', 'afterSave');
}
