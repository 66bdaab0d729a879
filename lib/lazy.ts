/**
 * A function that loads a module on its first call and returns the same module after.
 *
 * For dynamorm's import time: a feature only some apps use (queries, atomic updates,
 * batches, stream images, ...) is written `lazy(() => require('./file') as typeof import('./file'))`
 * where the model layer calls it. In the CommonJS build, each such feature is a file of its
 * own (dist/chunks/*.js, see scripts/build.mjs) that Node reads and compiles only when
 * `require` runs, so an app that never calls the feature never pays for it. The ESM build
 * is one file: there esbuild turns the `require` into a call that runs the bundled module.
 * The types come from the module itself (`typeof import`), so nothing is restated.
 *
 * @example
 * const queries = lazy(() => require('./query-source') as typeof import('./query-source'));
 * queries().startQuery(schema, 'Query');
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
