import { ValidationError } from '../errors/validation-error';
import { getConnection } from '../connection/connection-context';
import type { Connection } from '../connection/connection';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { compileUpdate, type UpdateAction } from '../expressions/update';
import type { ModelSchema } from '../metadata/model-schema';
import { checkItemSize, encodeAttribute, planOf, planOfAttribute } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { keyOfItem } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { createModel } from './create-item';
import { baselineOf, isChanged, markStored } from './dirty-tracking';
import { stateOf } from './instance-state';
import type { PreparedWrite } from './prepared-write';
import { sendPrepared } from './send-write';
import { guardChanges, storedUniquesCondition } from './unique-guards';
import { beforeWrite, expectedVersionOf, itemExists, stampWrite, versionCondition } from './write-pipeline';
import type { SaveOptions } from './operation-options';

function keyChanged(schema: ModelSchema, property: string, before: unknown, after: unknown): ValidationError {
  return new ValidationError(
    `${schema.className}.${property} is part of the table key and changed from ${JSON.stringify(String(before))} to ${JSON.stringify(String(after))} on a loaded item; ` +
      'a key cannot be updated in place. Delete the item and create a new one instead.',
    [{ property, value: after, constraints: { keyChanged: `${property} cannot change` } }],
  );
}

const AFTER_UPDATE = Object.freeze(['afterUpdate', 'afterSave'] as const);

/**
 * The UpdateItem of a save of a loaded instance: the attributes that changed since it was
 * loaded, guarded by `attribute_exists(<pk>)` and, with @Version, the instance's version.
 * Undefined when nothing changed (nothing to send, nothing stamped). Run after `beforeWrite`.
 */
export function buildSave(schema: ModelSchema, model: object, conn: Connection): PreparedWrite | undefined {
  const state = stateOf(model);
  const loaded = state.loaded!;
  const baseline = baselineOf(schema, model)!;
  const source = model as Record<string, unknown>;
  const changes: Array<{ name: string; value: unknown }> = [];
  for (const plan of planOf(schema)) {
    const { attr } = plan;
    if (attr === schema.updatedAt || attr === schema.version) continue;
    const current = source[attr.property];
    // A value that could not be read stays as stored until the property is assigned.
    if (current === undefined && state.decodeIssues?.some((issue) => issue.property === attr.property)) continue;
    if (!isChanged(plan, current, baseline, loaded)) continue;
    if (attr.tableKey) throw keyChanged(schema, attr.property, baseline[attr.property], current);
    changes.push({ name: attr.attributeName, value: encodeAttribute(plan, source) });
  }
  if (changes.length === 0) return undefined;

  // The expected version and the one written come from one value, the instance's own, so a
  // stored version can only go up by one; a client that sends back the version it read (like
  // Rails' lock_version) gets a VersionConflictError when someone wrote in between.
  const expectedVersion = schema.version ? expectedVersionOf(schema, model) : undefined;
  const restore = stampWrite(schema, model, 'update', new Date());
  try {
    for (const managed of [schema.updatedAt, schema.version]) {
      if (managed) changes.push({ name: managed.attributeName, value: encodeAttribute(planOfAttribute(schema, managed), source) });
    }
    const next: StoredItem = { ...loaded };
    const actions: UpdateAction[] = [];
    for (const { name, value } of changes) {
      if (value === undefined) {
        delete next[name];
        if (loaded[name] !== undefined) actions.push({ kind: 'remove', path: [name] });
      } else {
        next[name] = value;
        actions.push({ kind: 'set', path: [name], value });
      }
    }
    checkItemSize(schema, next);
    const key = keyOfItem(loaded, schema.tableKey);
    const p = new Placeholders();
    const guards = guardChanges(schema, loaded, next);
    const ConditionExpression = compileCondition(
      cond.and(itemExists(schema), versionCondition(schema, expectedVersion), storedUniquesCondition(loaded, guards))!,
      p,
    );
    const UpdateExpression = compileUpdate(actions, p);
    const params = {
      TableName: conn.tableName(schema.table),
      Key: key,
      UpdateExpression,
      ConditionExpression,
      ...p.toParams(),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const written = new Set(changes.map((c) => c.name));
    return {
      schema,
      model,
      action: 'save',
      primary: { kind: 'Update', params },
      guards,
      key,
      expectedVersion,
      afterHooks: AFTER_UPDATE,
      onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'save', expectedVersion, params),
      settle: () => {
        markStored(model, next);
        state.decodeIssues = state.decodeIssues?.filter((issue) => !written.has(issue.attribute));
      },
      restore,
    };
  } catch (error) {
    restore();
    throw error;
  }
}

/**
 * `model.save()`: a new instance is created; a loaded one sends one UpdateItem of the
 * attributes that changed since it was loaded (nothing at all when none did). Untouched
 * attributes are never re-encoded or rewritten, whatever form another writer stored them in.
 */
export async function saveModel(schema: ModelSchema, model: object, options: SaveOptions = {}): Promise<void> {
  if (!stateOf(model).persisted) return createModel(schema, model, options);
  const conn = getConnection();
  const preparing = beforeWrite(schema, model, 'update', options, conn.config.validator);
  if (preparing) await preparing;
  const write = buildSave(schema, model, conn);
  if (write) await sendPrepared(conn, write);
}
