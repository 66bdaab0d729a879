// class-transformer is loaded on first need, not at import: a Lambda cold start should not
// pay for it when no model uses nested classes, fromPlain or toJSON.

interface ClassTransformerApi {
  plainToInstance(cls: Function, plain: unknown, options?: object): unknown;
  instanceToPlain(object: unknown, options?: object): Record<string, unknown>;
}

let api: ClassTransformerApi | undefined;

/** class-transformer, required on first use. */
export function classTransformer(): ClassTransformerApi {
  if (!api) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require('class-transformer') as ClassTransformerApi;
    } catch (cause) {
      throw new Error('dynamorm needs the peer dependency class-transformer: npm install class-transformer', { cause });
    }
  }
  return api;
}

/**
 * class-transformer if the application has loaded it. A class can only carry `@Type` if
 * the application imported class-transformer to declare it, so when it is not in the module
 * cache there is nothing to find, and loading it just to look would cost every cold start.
 */
function loadedClassTransformer(): ClassTransformerApi | undefined {
  if (api) return api;
  const cache = typeof require === 'function' ? require.cache : undefined;
  if (!cache || !Object.keys(cache).some((path) => /[\\/]class-transformer[\\/]cjs[\\/]index\.js$/.test(path))) return undefined;
  return classTransformer();
}

const nestedTypes = new WeakMap<Function, Map<string, Function | null>>();

/**
 * The class that `@Type(() => C)` declares on a model property, found once per property by
 * letting class-transformer hydrate an empty object there (its public API, so its own
 * ancestor and option handling apply).
 */
export function nestedTypeOf(ctor: Function, property: string): Function | undefined {
  let known = nestedTypes.get(ctor);
  if (!known) nestedTypes.set(ctor, (known = new Map()));
  let cls = known.get(property);
  if (cls === undefined) {
    const transformer = loadedClassTransformer();
    const probe = transformer?.plainToInstance(ctor, { [property]: {} }) as Record<string, unknown> | undefined;
    const made = probe?.[property];
    const madeBy = typeof made === 'object' && made !== null ? (made as object).constructor : undefined;
    cls = madeBy && madeBy !== Object ? madeBy : null;
    known.set(property, cls);
  }
  return cls ?? undefined;
}
