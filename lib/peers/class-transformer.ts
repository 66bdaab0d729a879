// class-transformer is found on first need, not at import: a Lambda cold start should not
// pay for it when no model uses nested classes, fromPlain or toJSON.

import { DynamormError } from '../errors/dynamorm-error';
import { processState, type Integrations } from '../process-state';
import { loadPeer, peerInCache } from './load-peer';

/** What dynamorm uses of class-transformer. */
export type ClassTransformerApi = NonNullable<Integrations['classTransformer']>;

/**
 * Registers the application's class-transformer: what `import 'dynamorm/class-transformer'`
 * does. Unbundled Node apps need not: dynamorm finds an installed class-transformer itself.
 * It must be the app's own copy: class-transformer keeps `@Type` metadata per copy.
 */
export function useClassTransformer(api: ClassTransformerApi): void {
  processState.integrations.classTransformer = api;
}

let notInstalled = false;

/** class-transformer as registered or installed, or undefined. */
export function optionalClassTransformer(): ClassTransformerApi | undefined {
  const { integrations } = processState;
  if (integrations.classTransformer || notInstalled) return integrations.classTransformer;
  integrations.classTransformer = loadPeer<ClassTransformerApi>('class-transformer');
  notInstalled = integrations.classTransformer === undefined;
  return integrations.classTransformer;
}

/** class-transformer, or a DynamormError saying what `what` needs and what to import. */
export function classTransformer(what: string): ClassTransformerApi {
  const api = optionalClassTransformer();
  if (!api) {
    throw new DynamormError(
      `${what} needs class-transformer, which dynamorm cannot reach: install it (npm install class-transformer) and, ` +
        "in a bundled app, add `import 'dynamorm/class-transformer';` once.",
    );
  }
  return api;
}

/**
 * class-transformer if the application uses it. A class can only carry `@Type` if the
 * application imported class-transformer to declare it: when it is neither registered nor
 * in the module cache, there is nothing to find, and loading it to look would cost every
 * cold start.
 */
function usedClassTransformer(): ClassTransformerApi | undefined {
  return processState.integrations.classTransformer ?? (peerInCache('class-transformer') ? optionalClassTransformer() : undefined);
}

const nestedTypes = new WeakMap<Function, Map<string, Function | null>>();

/**
 * The class that `@Type(() => C)` declares on a model property, found once per property by
 * letting class-transformer hydrate an empty object there (its public API, so its own
 * ancestor and option handling apply).
 */
export function nestedTypeOf(ctor: Function, property: string): Function | undefined {
  let known = nestedTypes.get(ctor);
  if (!known) nestedTypes.set(ctor, (known = new Map<string, Function | null>()));
  let cls = known.get(property);
  if (cls === undefined) {
    const probe = usedClassTransformer()?.plainToInstance(ctor, { [property]: {} }) as Record<string, unknown> | undefined;
    const made = probe?.[property];
    const madeBy = typeof made === 'object' && made !== null ? made.constructor : undefined;
    cls = madeBy && madeBy !== Object ? madeBy : null;
    known.set(property, cls);
  }
  return cls ?? undefined;
}
