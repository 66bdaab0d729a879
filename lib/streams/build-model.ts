import { ModelDefinitionError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';
import { assignFromItem, type DecodeIssue } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { RESERVED_KEY_PREFIX } from '../marshal/key-limits';
import { markStored } from '../record/dirty-tracking';
import { stateOf } from '../record/instance-state';

/** A model instance read from an item, its @AfterLoad hooks not run yet. */
export interface BuiltModel {
  model: object;
  issues?: DecodeIssue[];
}

/**
 * The instance an item decodes to, built exactly as a read builds it (persisted, dirty
 * tracking against the item), but with hooks left to the caller: a stream batch is checked as
 * a whole before any hook runs.
 */
export function buildModel(schema: ModelSchema, item: StoredItem): BuiltModel {
  const model = new (schema.ctor as new () => object)();
  const issues = assignFromItem(schema, item, model);
  markStored(stateOf(model), item);
  return issues ? { model, issues } : { model };
}

/** True when the item's key is a unique guard's (dynamorm's own item, never a model). */
export function isGuardKey(schema: ModelSchema, item: StoredItem): boolean {
  const value = item[schema.tableKey.partitionKey.attributeName];
  return typeof value === 'string' && value.startsWith(RESERVED_KEY_PREFIX);
}

/** What is missing from the item's table key (undefined: nothing). */
export function missingKeyPart(schema: ModelSchema, item: StoredItem): string | undefined {
  const { partitionKey, sortKey } = schema.tableKey;
  for (const attr of sortKey ? [partitionKey, sortKey] : [partitionKey]) {
    const value = item[attr.attributeName];
    if (value === undefined || value === null) {
      return `it has no '${attr.attributeName}', the ${attr.tableKey} key of ${schema.className}`;
    }
  }
  return undefined;
}

/**
 * Runs the model's @AfterLoad hooks now, in order. Stream parsing and `fromImage` are
 * synchronous (a handler loops over their result), so an async hook cannot be waited for: it
 * is a ModelDefinitionError rather than a hook that silently finishes later.
 */
export function runLoadHooksNow(schema: ModelSchema, model: object, action: string): void {
  for (const method of schema.hooks.afterLoad) {
    const result = (model as Record<string, () => unknown>)[method]();
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      // Nobody can await it now; keep its failure from becoming an unhandled rejection.
      (result as Promise<unknown>).then(undefined, () => undefined);
      throw new ModelDefinitionError(
        `${schema.className}.${method} is an async @AfterLoad hook, and ${action} builds models synchronously, so it cannot wait for it. ` +
          `Make the hook synchronous, or do the asynchronous work in your handler after ${action}.`,
      );
    }
  }
}
