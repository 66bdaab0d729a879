import { resolveModel } from './resolve';
import type { ModelSchema } from './model-schema';
import { processState } from '../process-state';

const byTable = processState.registry as Map<string, ModelSchema>;

/**
 * Resolves and caches the metadata of each model now, instead of on first use: call it
 * during Lambda init so the first invocation does not pay for it. Throws
 * ModelDefinitionError for a wrongly declared model.
 *
 * @example
 * preRegister(User, Order);
 */
export function preRegister(...models: Function[]): void {
  for (const model of models) schemaOf(model);
}

/** The schema of a model class, registered under its `@Model` table name. */
export function schemaOf(model: Function): ModelSchema {
  const schema = resolveModel(model);
  if (!byTable.has(schema.table)) byTable.set(schema.table, schema);
  return schema;
}

/** The model registered for a table name (not a class name: minifiers rename classes). */
export function schemaForTable(table: string): ModelSchema | undefined {
  return byTable.get(table);
}
