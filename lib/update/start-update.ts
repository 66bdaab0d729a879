import type { ModelSchema } from '../metadata/model-schema';
import { keyFromInput, type KeyInput } from '../marshal/key-codec';
import { UpdateBuilder } from './update-builder';

/**
 * A new update builder for the item under `key` (a partition key value, or an object of key
 * properties or key-template sources); a missing or wrongly typed key part is a
 * ValidationError here, before anything else.
 *
 * @example
 * startUpdate<Project>(schemaOf(Project), { orgId: 'o1', projectId: 'p1' }).set('name', 'x');
 */
export function startUpdate<M>(schema: ModelSchema, key: KeyInput): UpdateBuilder<M> {
  return new UpdateBuilder<M>({ schema, key: keyFromInput(schema, key), keyInput: key, entries: [], conditions: [], upsert: false });
}
