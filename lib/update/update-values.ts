import { QueryError } from '../errors/dynamorm-error';
import { ValidationError } from '../errors/validation-error';
import type { ValueKind } from '../metadata/model-schema';
import { encodeAttribute } from '../marshal/item-codec';
import { encodePlain } from '../marshal/plain-value';
import type { AttributePlan } from './update-target';

function invalid(plan: AttributePlan, value: unknown, message: string, constraint: string): ValidationError {
  return new ValidationError(`${plan.where}: ${message}`, [{ property: plan.attr.property, value, constraints: { [constraint]: message } }]);
}

/** A QueryError unless the attribute is of one of `kinds` (or of no declared type). */
function expectKind(plan: AttributePlan, kinds: readonly ValueKind[], call: string, what: string): void {
  if (plan.attr.kind !== 'unknown' && !kinds.includes(plan.attr.kind)) {
    throw new QueryError(`${plan.where}: ${call} takes ${what}, and '${plan.attr.property}' is declared as a ${plan.attr.kind}.`);
  }
}

function checkNotEmptySet(plan: AttributePlan, value: unknown): void {
  if (value instanceof Set && value.size === 0) {
    throw invalid(
      plan,
      value,
      'an empty Set cannot be stored or applied (DynamoDB has no empty set); leave the operation out, or remove() the property.',
      'notEmpty',
    );
  }
}

/**
 * The stored form of a value `set` writes, as the attribute stores it; undefined when the
 * attribute is to be REMOVEd instead (undefined, or '' / null in an index key: sparse index).
 *
 * @example
 * encodeForSet(plan('joinedAt'), new Date(0)); // '1970-01-01T00:00:00.000Z'
 * encodeForSet(plan('email'), '');           // undefined: email keys an index, so it is removed
 */
export function encodeForSet(plan: AttributePlan, value: unknown): unknown {
  if (value === undefined) return undefined;
  checkNotEmptySet(plan, value);
  return encodeAttribute(plan, { [plan.attr.property]: value });
}

/** The stored form of the value `setIfNotExists` writes; it must be one that is stored. */
export function encodeRequired(plan: AttributePlan, value: unknown, call: string): unknown {
  const encoded = encodeForSet(plan, value);
  if (encoded === undefined) throw invalid(plan, value, `${call} needs a value to store, got ${value === '' ? "''" : String(value)}.`, 'isDefined');
  return encoded;
}

/**
 * The amount `increment` / `decrement` adds (negated for decrement) and the start of a
 * missing attribute: 0, or 0n for a bigint property.
 *
 * @example
 * encodeIncrement(plan('count'), 5, -1, "decrement('count')"); // { by: -5, start: 0 }
 */
export function encodeIncrement(plan: AttributePlan, by: unknown, sign: 1 | -1, call: string): { by: number | bigint; start: number | bigint } {
  expectKind(plan, ['number', 'bigint'], call, 'a number property');
  if (typeof by !== 'number' && typeof by !== 'bigint') throw invalid(plan, by, `${call} takes a number to add, got ${typeof by}.`, 'isNumber');
  const signed = sign === 1 ? by : -by;
  const encoded = (plan.attr.kind === 'unknown' ? encodePlain(signed, plan.where) : plan.encode(signed, plan.where)) as number | bigint;
  return { by: encoded, start: typeof encoded === 'bigint' ? 0n : 0 };
}

/** The stored form of the Set `add` / `delete` apply: a non-empty Set of the attribute's members. */
export function encodeSetOperand(plan: AttributePlan, value: unknown, call: string): unknown {
  expectKind(plan, ['set'], call, 'a Set property');
  if (!(value instanceof Set)) throw invalid(plan, value, `${call} takes a Set, e.g. new Set(['a']).`, 'isSet');
  checkNotEmptySet(plan, value);
  return plan.encode(value, plan.where);
}

/** The stored form of the elements `append` / `prepend` add. */
export function encodeListValues(plan: AttributePlan, values: unknown, call: string): unknown[] {
  expectKind(plan, ['list'], call, 'a list (array) property');
  if (!Array.isArray(values)) throw invalid(plan, values, `${call} takes an array of the elements to add.`, 'isArray');
  return encodePlain(values, plan.where) as unknown[];
}

/** A list index for `setElement` / `removeElement`: a non-negative integer. */
export function checkListIndex(plan: AttributePlan, index: unknown, call: string): number {
  expectKind(plan, ['list'], call, 'a list (array) property');
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new QueryError(`${plan.where}: ${call} takes a list index (an integer from 0), not ${String(index)}.`);
  }
  return index;
}

/** The stored form of one list element `setElement` writes. */
export function encodeElement(plan: AttributePlan, index: number, value: unknown, call: string): unknown {
  if (value === undefined) throw invalid(plan, value, `${call} got undefined (DynamoDB has no undefined): use removeElement, or null.`, 'isDefined');
  return encodePlain(value, `${plan.where}[${index}]`);
}
