import type { HookEvent } from '../metadata/options';
import type { ModelSchema } from '../metadata/model-schema';

async function runEach(model: object, methods: readonly string[]): Promise<void> {
  for (const method of methods) await (model as Record<string, () => unknown>)[method]();
}

/**
 * Runs the model's hooks for `event`, in declaration order, superclass first. Returns
 * nothing (no promise to await) when there are none: most models have few hooks, and this
 * sits on every write.
 */
export function runHooks(schema: ModelSchema, model: object, event: HookEvent): Promise<void> | undefined {
  const methods = schema.hooks[event];
  return methods.length === 0 ? undefined : runEach(model, methods);
}

/** True when the model has a hook for any of the events (lets hot paths skip awaiting). */
export function hasHooks(schema: ModelSchema, ...events: HookEvent[]): boolean {
  for (const event of events) if (schema.hooks[event].length > 0) return true;
  return false;
}
