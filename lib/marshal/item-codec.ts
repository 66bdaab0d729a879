import { ValidationError } from '../errors/validation-error';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';
import { decoderFor, encoderFor, type Decoder, type Encoder } from './attribute-codec';
import { itemSize, MAX_ITEM_BYTES, valueSize } from './item-size';
import { checkKeySize, checkNotReserved, keyLimitOf } from './key-limits';

/** A stored item, as the DocumentClient takes and returns it. */
export type StoredItem = Record<string, unknown>;

interface AttributePlan {
  readonly attr: AttributeSchema;
  readonly where: string;
  readonly encode: Encoder;
  readonly decode: Decoder;
  /** DynamoDB's byte limit for a key attribute's values (undefined: not a key). */
  readonly keyLimit?: number;
}

// One plan per model, built once: the per-call paths only walk arrays of prepared closures.
const plans = new WeakMap<ModelSchema, readonly AttributePlan[]>();

/** The prepared encode/decode plan of a model. */
export function planOf(schema: ModelSchema): readonly AttributePlan[] {
  let plan = plans.get(schema);
  if (!plan) {
    plan = schema.attributes.map((attr) => ({
      attr,
      where: `${schema.className}.${attr.property}`,
      encode: encoderFor(attr),
      decode: decoderFor(attr),
      keyLimit: keyLimitOf(schema, attr),
    }));
    plans.set(schema, plan);
  }
  return plan;
}

function isEmptyValue(value: unknown): boolean {
  if (value === '' || value === 0 || value === 0n || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !(value instanceof Set)) {
    return Object.keys(value).length === 0;
  }
  return false;
}

function missingKey(where: string, value: unknown): ValidationError {
  const what = value === '' ? 'an empty string' : value === null ? 'null' : 'missing';
  return new ValidationError(`${where} is a table key and is ${what}; every item needs a value for it.`, [
    { property: where.split('.').pop() ?? where, value, constraints: { isDefined: `${where} should not be empty` } },
  ]);
}

/** The stored value of one attribute of `model` (undefined: not stored). */
export function encodeAttribute(plan: AttributePlan, model: Record<string, unknown>): unknown {
  const { attr, where } = plan;
  // Templated keys were rendered onto the model by the write pipeline (applyTemplates).
  const value = model[attr.property];
  if (value === undefined || value === null || value === '') {
    if (attr.tableKey) throw missingKey(where, value);
    if (attr.indexKey || value === undefined) return undefined; // sparse index: not written
    if (value === '' && attr.omitEmpty) return undefined;
    if (value === null) return null;
  }
  const encoded = plan.encode(value, where);
  if (plan.keyLimit !== undefined) {
    checkKeySize(encoded, plan.keyLimit, where, attr.property);
    if (attr.tableKey === 'partition') checkNotReserved(encoded, where, attr.property);
  }
  // A Date is never empty, even the epoch (stored as 0 with format 'epoch').
  if (attr.omitEmpty && !(value instanceof Date) && isEmptyValue(encoded)) return undefined;
  return encoded;
}

/** The item `model` stores, every attribute encoded and checked. */
export function toItem(schema: ModelSchema, model: object): StoredItem {
  const source = model as Record<string, unknown>;
  const item: StoredItem = {};
  for (const plan of planOf(schema)) {
    const encoded = encodeAttribute(plan, source);
    if (encoded !== undefined) item[plan.attr.attributeName] = encoded;
  }
  return item;
}

/** Assigns every attribute of `item` to `target` (missing attributes become undefined). */
export function assignFromItem(schema: ModelSchema, item: StoredItem, target: object): void {
  const out = target as Record<string, unknown>;
  for (const plan of planOf(schema)) {
    const stored = item[plan.attr.attributeName];
    out[plan.attr.property] = stored === undefined ? undefined : plan.decode(stored);
  }
}

/** Throws ValidationError when the item is over DynamoDB's 400 KB. */
export function checkItemSize(schema: ModelSchema, item: StoredItem): void {
  // Cheap bound first: most items are far below the limit and need no exact count.
  let bound = 0;
  for (const key in item) {
    const v = item[key];
    bound += key.length * 3 + (typeof v === 'string' ? v.length * 3 : typeof v === 'object' && v !== null ? valueSize(v) : 21);
    if (bound > MAX_ITEM_BYTES) break;
  }
  if (bound <= MAX_ITEM_BYTES) return;
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new ValidationError(`${schema.className}: the item is ${size} bytes, over DynamoDB's limit of ${MAX_ITEM_BYTES} (400 KB); store large values elsewhere (e.g. S3) and keep a reference.`, [
      { property: '', constraints: { itemSize: `${size} > ${MAX_ITEM_BYTES}` } },
    ]);
  }
}
