import { QueryError } from '../errors/dynamorm-error';
import type { Path } from '../expressions/condition';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import { planOfProperty, type AttributePlan } from '../marshal/item-codec';
import type { UpdateEntry } from './update-state';

/** The prepared codec of one attribute (see planOf). */
export type { AttributePlan };

/** Why the builder may not touch an attribute, or undefined when it may. */
function offLimits(schema: ModelSchema, attr: AttributeSchema): string | undefined {
  if (attr.tableKey) return 'is part of the table key, which cannot change in place; delete the item and create a new one instead';
  const keyTemplates = [schema.tableKey.partitionKey, schema.tableKey.sortKey].filter((a): a is AttributeSchema => a?.template !== undefined);
  const ofKey = keyTemplates.find((a) => a.template!.properties.includes(attr.property));
  if (ofKey)
    return `is a source of the table key '${ofKey.property}' (${ofKey.template!.source}), which cannot change in place; delete the item and create a new one instead`;
  if (attr.template) return `is computed from its template '${attr.template.source}'; save() a loaded instance to change it`;
  const ofTemplate = schema.templated.find((a) => a.template!.properties.includes(attr.property));
  if (ofTemplate)
    return `is a source of '${ofTemplate.property}' (${ofTemplate.template!.source}), which the builder cannot re-render; save() a loaded instance to change it`;
  if (attr === schema.updatedAt) return 'is the @UpdatedAt timestamp, which every update sets itself';
  if (attr === schema.version) return 'is the @Version, which every update bumps by one itself';
  if (attr.unique) return 'is unique, and its guard item moves only with save(); load the instance and save() it';
  if (attr === schema.ttl && schema.uniques.length > 0)
    return 'is the @TTL of a model with unique attributes, whose guards carry its expiry; load the instance and save() it';
  return undefined;
}

/**
 * The attribute an operation of the builder changes: a QueryError when the property is
 * unknown or one the builder may not touch (a key, a key-template source, @UpdatedAt,
 * @Version, a unique attribute, @TTL next to unique attributes).
 *
 * @example
 * updateTarget(schema, 'count', "increment('count')").attr.attributeName; // 'count'
 * updateTarget(schema, 'id', "set('id')"); // QueryError: Counter.update(...).set('id'): 'id' is part of the table key, ...
 */
export function updateTarget(schema: ModelSchema, property: string, call: string): AttributePlan {
  const plan = planOfProperty(schema, property);
  const where = `${schema.className}.update(...).${call}`;
  if (!plan) {
    throw new QueryError(`${where}: '${property}' is not a property of ${schema.className} (known: ${schema.attributes.map((a) => a.property).join(', ')}).`);
  }
  const reason = offLimits(schema, plan.attr);
  if (reason) throw new QueryError(`${where}: '${property}' ${reason}.`);
  return plan;
}

/** True when one path is the other or contains it (`tags` and `tags[0]`). */
function overlaps(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Refuses a second operation on a path an earlier one touches, or on a path inside it:
 * DynamoDB rejects such a request ("Two document paths overlap").
 *
 * @example
 * checkOverlap(schema, [{ action: { kind: 'set', path: ['tags'], value: [] }, call: "set('tags')", property: 'tags' }], ['tags', 0], 'setElement(\'tags\', 0)');
 * // QueryError: Post.update(...).setElement('tags', 0) overlaps set('tags'): ...
 */
export function checkOverlap(schema: ModelSchema, entries: readonly UpdateEntry[], path: Path, call: string): void {
  const earlier = entries.find((e) => overlaps(e.action.path, path));
  if (earlier) {
    throw new QueryError(
      `${schema.className}.update(...).${call} overlaps ${earlier.call}: one update may change a path only once (DynamoDB's rule). Combine them into one operation, or send two updates.`,
    );
  }
}
