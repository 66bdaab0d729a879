import type { HookEvent } from '../metadata/options';
import type { ModelSchema } from '../metadata/model-schema';

async function runEach(schema: ModelSchema, model: object, events: readonly HookEvent[]): Promise<void> {
  for (const event of events) {
    for (const method of schema.hooks[event]) await (model as Record<string, () => unknown>)[method]();
  }
}

/** True when the model has a hook for any of the events (lets hot paths skip awaiting). */
export function hasHooks(schema: ModelSchema, ...events: HookEvent[]): boolean {
  for (const event of events) if (schema.hooks[event].length > 0) return true;
  return false;
}

/**
 * Runs the model's hooks for each event in turn, each event's in declaration order,
 * superclass first. Returns nothing (no promise to build) when there are none: most models
 * have few hooks, and this sits on every write.
 */
export function runHooks(schema: ModelSchema, model: object, ...events: HookEvent[]): Promise<void> | undefined {
  return hasHooks(schema, ...events) ? runEach(schema, model, events) : undefined;
}
