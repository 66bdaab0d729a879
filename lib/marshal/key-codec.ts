import { ValidationError } from '../errors/validation-error';
import type { AttributeSchema, KeySchema, ModelSchema } from '../metadata/model-schema';
import { planOfAttribute } from './item-codec';
import type { StoredItem } from './stored-item';
import { missingComponent, renderTemplate } from './key-template-value';
import { checkKeySize, checkNotReserved } from './key-limits';

/** A key as users give it: the partition key value alone, or an object of key (or template source) properties. */
export type KeyInput = string | number | bigint | Uint8Array | Date | Readonly<Record<string, unknown>>;

/** A key given as an object of properties, not as the partition key's value alone. */
export function isKeyObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !(input instanceof Date) && !(input instanceof Uint8Array);
}

function describeKeyParts(schema: ModelSchema): string {
  const parts = [schema.tableKey.partitionKey, schema.tableKey.sortKey].filter((a): a is AttributeSchema => !!a);
  return parts.map((a) => (a.template ? a.template.properties.join(', ') : a.property)).join(', ');
}

function keyPart(schema: ModelSchema, attr: AttributeSchema, source: Record<string, unknown>): unknown {
  const plan = planOfAttribute(schema, attr);
  let value = source[attr.property];
  if ((value === undefined || value === null || value === '') && attr.template) {
    value = renderTemplate(attr.template, (p) => source[p], plan.where);
  }
  if (value === undefined || value === null || value === '') {
    const needs = (attr.template && missingComponent(attr.template, (p) => source[p])) ?? attr.property;
    const what = source[needs] === '' ? 'has an empty' : source[needs] === null ? 'has a null' : 'is missing';
    throw new ValidationError(`${schema.className}: the key ${what} '${needs}' (a ${schema.className} key is { ${describeKeyParts(schema)} }).`, [
      { property: needs, value: source[needs], constraints: { isDefined: `${needs} is required in a key` } },
    ]);
  }
  const encoded = plan.encode(value, plan.where);
  checkKeySize(encoded, plan.keyLimit!, plan.where, attr.property);
  if (attr.tableKey === 'partition') checkNotReserved(encoded, plan.where, attr.property);
  return encoded;
}

/**
 * The DynamoDB `Key` for a key input. A missing part is a ValidationError naming it, and
 * each part is checked against its declared key type.
 */
export function keyFromInput(schema: ModelSchema, input: KeyInput): StoredItem {
  const { partitionKey, sortKey } = schema.tableKey;
  let source: Record<string, unknown>;
  if (isKeyObject(input)) source = input;
  else if (!sortKey && !partitionKey.template) source = { [partitionKey.property]: input };
  else {
    throw new ValidationError(`${schema.className}: a key needs { ${describeKeyParts(schema)} }, not a single value.`, [
      { property: partitionKey.property, value: input, constraints: { keyShape: 'object expected' } },
    ]);
  }
  const key: StoredItem = { [partitionKey.attributeName]: keyPart(schema, partitionKey, source) };
  if (sortKey) key[sortKey.attributeName] = keyPart(schema, sortKey, source);
  return key;
}

/** The key attributes of a stored item under a key schema (the table's by default). */
export function keyOfItem(item: StoredItem, keySchema: KeySchema): StoredItem {
  const key: StoredItem = {};
  for (const attr of [...keySchema.partitionKeys, ...keySchema.sortKeys]) key[attr.attributeName] = item[attr.attributeName];
  return key;
}

export { formatKey } from './format-key';
