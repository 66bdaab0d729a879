import { QueryError } from '../errors/dynamorm-error';
import type { UpdateAction } from '../expressions/update';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import { encodeAttribute, planOf } from '../marshal/item-codec';
import { formatKey, isKeyObject } from '../marshal/key-codec';
import { applyDefaults, applyTemplates } from '../record/derived-values';
import type { UpdateState } from './update-state';

const tableKeyOf = (schema: ModelSchema): Array<AttributeSchema | undefined> => [schema.tableKey.partitionKey, schema.tableKey.sortKey];

/**
 * The values create() would give a new item, from what the builder knows: the table key's
 * values or template sources, taken from the key given to `update(key)`, then `default`s and
 * the templates they render (create's order).
 */
function createdModel(state: UpdateState): Record<string, unknown> {
  const { schema, keyInput } = state;
  const model = new (schema.ctor as new () => Record<string, unknown>)();
  // The key's values, or its template sources: index templates may render from them too.
  const input = isKeyObject(keyInput) ? keyInput : { [schema.tableKey.partitionKey.property]: keyInput };
  for (const attr of tableKeyOf(schema)) for (const p of attr?.template?.properties ?? (attr ? [attr.property] : [])) model[p] = input[p];
  applyDefaults(schema, model);
  applyTemplates(schema, model);
  return model;
}

/**
 * Refuses, at `upsert()`, an upsert that could not create the item create() would: a key
 * given as stored values (the template sources are unknown, so the item would lack them), or
 * a unique attribute with a default (it would be stored without its guard).
 */
export function checkUpsert(state: UpdateState): void {
  const { schema } = state;
  const model = createdModel(state);
  const where = `${schema.className}.update(${formatKey(state.key)}).upsert()`;
  for (const attr of tableKeyOf(schema)) {
    const sources = attr?.template?.properties;
    if (sources?.some((p) => model[p] === undefined)) {
      throw new QueryError(`${where}: give the key as { ${sources.join(', ')} }, not '${attr!.property}': an upsert stores them, as create() does.`);
    }
  }
  const unique = schema.uniques.find((a) => a.hasDefault);
  if (unique) throw new QueryError(`${where}: unique '${unique.property}' has a default, which an upsert would store unguarded; use create().`);
}

/**
 * What an upsert stores besides the builder's operations, so that an item it creates holds
 * what create() would store: the key template's sources, `default`s and the templates they
 * render. Each is `if_not_exists`, so an item that exists keeps its values; a path the
 * builder's own operations change is left to them (DynamoDB allows one operation per path,
 * and the user's wins). The table key is the request's Key; @CreatedAt, @UpdatedAt and
 * @Version are the managed actions.
 *
 * @example
 * // @Model class Doc { pk 'ORG#{orgId}', sk 'DOC#{docId}', @Attribute({ default: 'draft' }) status, title }
 * upsertValues(updateStateOf(Doc.update({ orgId: 'o1', docId: 'd1' }).set('title', 'x').upsert()));
 * // [{ kind: 'setIfNotExists', path: ['orgId'], value: 'o1' }, { ..., path: ['docId'], value: 'd1' },
 * //  { ..., path: ['status'], value: 'draft' }]
 */
export function upsertValues(state: UpdateState): UpdateAction[] {
  const { schema } = state;
  const model = createdModel(state);
  const touched = new Set(state.entries.map((e) => e.action.path[0]));
  const actions: UpdateAction[] = [];
  for (const plan of planOf(schema)) {
    const { attr } = plan;
    if (attr.tableKey || touched.has(attr.attributeName) || schema.managedProperties.has(attr.property)) continue;
    const value = encodeAttribute(plan, model);
    if (value !== undefined) actions.push({ kind: 'setIfNotExists', path: [attr.attributeName], value });
  }
  return actions;
}
