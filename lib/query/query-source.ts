import type { ModelSchema } from '../metadata/model-schema';
import { Query, type QuerySource } from './query';
import { deleteAllMatches, updateAllMatches } from './query-writes';
import { hydrate } from '../record/read-item';

const sources = new WeakMap<ModelSchema, QuerySource<unknown>>();

/**
 * A new query or scan builder over the model: the query layer gets the schema and how to
 * turn a stored item into an instance (hooks, decode issues, read-only projections), which
 * is the model layer's business.
 */
export function startQuery<M>(schema: ModelSchema, operation: 'Query' | 'Scan'): Query<M> {
  let source = sources.get(schema);
  if (!source) {
    source = {
      schema,
      hydrate: (item, projected) => hydrate(schema, item, projected),
      deleteAll: (matches, action) => deleteAllMatches(schema, matches as AsyncIterable<object>, action),
      updateAll: (matches, changes, action) => updateAllMatches(schema, matches as AsyncIterable<object>, changes, action),
    };
    sources.set(schema, source);
  }
  return new Query(source as QuerySource<M>, { schema, operation, where: [], filters: [], consistent: false, withExpired: false });
}
