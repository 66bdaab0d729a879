import { ValidationError } from '../errors/validation-error';
import { compileCondition, cond } from '../expressions/condition';
import { Placeholders } from '../expressions/placeholders';
import { compileUpdate, type UpdateAction } from '../expressions/update';
import type { ModelSchema } from '../metadata/model-schema';
import { checkItemSize, encodeAttribute, planOf, planOfAttribute } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { keyOfItem } from '../marshal/key-codec';
import { explainConditionFailure } from './condition-failure';
import { baselineOf, isChanged, markStored } from './dirty-tracking';
import type { PreparedWrite } from './prepared-write';
import { guardChanges, storedUniquesCondition } from './unique-guards';
import type { WriteContext } from './write-context';
import { expectedVersionOf, itemExists, stampWrite, versionCondition } from './write-pipeline';

function keyChanged(schema: ModelSchema, property: string, before: unknown, after: unknown): ValidationError {
  return new ValidationError(
    `${schema.className}.${property} is part of the table key and changed from ${JSON.stringify(String(before))} to ${JSON.stringify(String(after))} on a loaded item; ` +
      'a key cannot be updated in place. Delete the item and create a new one instead.',
    [{ property, value: after, constraints: { keyChanged: `${property} cannot change` } }],
  );
}

/**
 * The UpdateItem of a save of a loaded instance: the attributes that changed since it was
 * loaded, guarded by `attribute_exists(<pk>)` and, with @Version, the instance's version.
 * Undefined when nothing changed (nothing to send, nothing stamped). Untouched attributes are
 * never re-encoded or rewritten, whatever form another writer stored them in. Run after
 * `beforeWrite`.
 */
export function buildSave(ctx: WriteContext): PreparedWrite | undefined {
  const { schema, model, state } = ctx;
  const loaded = state.loaded!;
  const baseline = baselineOf(schema, state)!;
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
  const expectedVersion = schema.version ? expectedVersionOf(ctx) : undefined;
  const restore = stampWrite(ctx, new Date());
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
      TableName: ctx.conn.tableName(schema.table),
      Key: key,
      UpdateExpression,
      ConditionExpression,
      ...p.toParams(),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const written = new Set(changes.map((c) => c.name));
    return {
      ctx,
      primary: { kind: 'Update', params },
      guards,
      key,
      expectedVersion,
      onConditionFailed: (error) => explainConditionFailure(schema, key, error, 'save', expectedVersion, params),
      settle: () => {
        markStored(state, next);
        state.decodeIssues = state.decodeIssues?.filter((issue) => !written.has(issue.attribute));
      },
      restore,
    };
  } catch (error) {
    restore();
    throw error;
  }
}
