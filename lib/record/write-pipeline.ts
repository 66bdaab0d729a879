import { cond, type Condition } from '../expressions/condition';
import { QueryError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';
import type { HookEvent } from '../metadata/options';
import { checkAttributeTypes, encodeAttribute, planOfAttribute } from '../marshal/item-codec';
import { applyDefaults, applyTemplates, checkConstructorAttributes } from './derived-values';
import type { InstanceState } from './instance-state';
import { hasHooks, runHooks } from './run-hooks';
import { validatorFor } from '../peers/class-validator';
import { validateModel } from './validate-model';
import type { WriteAction, WriteContext } from './write-context';

/**
 * A partial instance (read with select(), so from the table or an index without every
 * attribute) is read-only: a write of it would lose what it lacks, its
 * version check would fail, and a delete would leave its unique guards behind.
 */
export function refusePartial(schema: ModelSchema, state: InstanceState, action: string): void {
  if (state.projected) {
    throw new QueryError(
      `${schema.className}: cannot ${action} an instance read with select(...): it holds only some attributes, so it is read-only; call reload() first to load it whole.`,
    );
  }
}

/**
 * The part of the write pipeline that runs before any built-in value is set (create and save):
 * defaults and key templates, @BeforeValidate, validation, @BeforeCreate/@BeforeUpdate,
 * @BeforeSave. Returns undefined (nothing to await) for a model with neither hooks nor
 * constraints, the common case on the hot path.
 */
export function beforeWrite(ctx: WriteContext): Promise<void> | undefined {
  const { schema, model } = ctx;
  const create = ctx.action === 'create';
  checkConstructorAttributes(ctx);
  refusePartial(schema, ctx.state, ctx.action);
  if (create) applyDefaults(schema, model);
  applyTemplates(schema, model);
  const validate = ctx.options.validate !== false && validatorFor(schema.ctor) !== undefined;
  const event = create ? 'beforeCreate' : 'beforeUpdate';
  if (!validate && !hasHooks(schema, 'beforeValidate', event, 'beforeSave')) return undefined;
  return hooksAndValidation(ctx, event, validate);
}

/** The hooks that run once a write is done, by its action: a save of a new instance runs the create's. */
export const AFTER_HOOKS: Readonly<Record<WriteAction, readonly HookEvent[]>> = Object.freeze({
  create: ['afterCreate', 'afterSave'],
  save: ['afterUpdate', 'afterSave'],
  delete: ['afterDelete'],
});

/**
 * The last stage of the write pipeline, once the item is written and the instance settled: the
 * action's after-hooks. Undefined (nothing to await) when the model has none.
 */
export function afterWrite({ schema, model, action }: WriteContext): Promise<void> | undefined {
  return runHooks(schema, model, ...AFTER_HOOKS[action]);
}

async function hooksAndValidation(ctx: WriteContext, event: 'beforeCreate' | 'beforeUpdate', validate: boolean): Promise<void> {
  const { schema, model } = ctx;
  await runHooks(schema, model, 'beforeValidate');
  if (validate) {
    // A value of the wrong type gets dynamorm's message, not a class-validator range message about it.
    checkAttributeTypes(schema, model);
    await validateModel(ctx);
  }
  await runHooks(schema, model, event, 'beforeSave');
  applyTemplates(schema, model); // hooks may have changed template sources
}

/**
 * The version a write of a loaded instance expects to find stored: the instance's own
 * (undefined: an item stored without one). Not a number: ValidationError, before sending.
 */
export function expectedVersionOf({ schema, model }: WriteContext): number | undefined {
  const version = schema.version!;
  const value = (model as Record<string, unknown>)[version.property];
  if (value === undefined || value === null) return undefined;
  encodeAttribute(planOfAttribute(schema, version), model as Record<string, unknown>); // throws for a non-number
  return value as number;
}

/** The item is stored (its partition key attribute exists), or with `false`, it is not. */
export function itemExists(schema: ModelSchema, exists = true): Condition {
  return (exists ? cond.exists : cond.notExists)([schema.tableKey.partitionKey.attributeName]);
}

/** The @Version check of a write of a loaded instance: the stored version is the instance's (or there is none). */
export function versionCondition(schema: ModelSchema, expectedVersion: number | undefined): Condition | undefined {
  if (!schema.version) return undefined;
  return expectedVersion === undefined ? cond.notExists([schema.version.attributeName]) : cond.eq([schema.version.attributeName], expectedVersion);
}

/**
 * Sets the built-in values of a write (@CreatedAt once, @UpdatedAt, @Version) on the model
 * and returns a function that puts the old values back if the request fails.
 */
export function stampWrite({ schema, model, action }: WriteContext, now: Date): () => void {
  const target = model as Record<string, unknown>;
  const previous: Array<[string, unknown]> = [];
  const set = (property: string, value: unknown) => {
    previous.push([property, target[property]]);
    target[property] = value;
  };
  if (schema.createdAt && action === 'create' && !(target[schema.createdAt.property] instanceof Date)) set(schema.createdAt.property, now);
  if (schema.updatedAt) set(schema.updatedAt.property, now);
  if (schema.version) {
    const current = target[schema.version.property];
    set(schema.version.property, action === 'create' || typeof current !== 'number' ? 1 : current + 1);
  }
  return () => {
    for (const [property, value] of previous.reverse()) target[property] = value;
  };
}
