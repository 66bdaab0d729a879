import type { HookEvent } from '../metadata/options';
import type { ModelSchema } from '../metadata/model-schema';

/** Runs the model's hooks for `event`, in declaration order, superclass first. */
export async function runHooks(schema: ModelSchema, model: object, event: HookEvent): Promise<void> {
  for (const method of schema.hooks[event]) {
    await (model as Record<string, () => unknown>)[method]();
  }
}

/** True when the model has hooks for the event (lets hot paths skip an await). */
export function hasHooks(schema: ModelSchema, event: HookEvent): boolean {
  return schema.hooks[event].length > 0;
}
