import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors/validation-error';
import { checkBigInt, checkNumber, isWrappedNumber, naturalNumber } from './numbers';

// DynamoDB nests lists and maps at most 32 levels deep.
const MAX_DEPTH = 32;

/**
 * Encodes a value nested inside a list or map (or an attribute of unknown type) into what
 * the DocumentClient stores: Dates become ISO strings, class instances plain maps, numbers
 * are checked, empty sets dropped from maps (DynamoDB has no empty set); in a list,
 * `undefined` or an empty set becomes NULL, as in JSON: dropping it would shift the later elements. A cycle, or nesting deeper
 * than DynamoDB's 32 levels, is a ValidationError.
 */
export function encodePlain(value: unknown, where: string): unknown {
  return encodeNested(value, where, []);
}

function encodeNested(value: unknown, where: string, parents: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      checkNumber(value, where);
      return value;
    case 'bigint':
      checkBigInt(value, where);
      return value;
    case 'object': {
      if (value === null) return value;
      if (value instanceof Uint8Array) return new Uint8Array(value); // a copy: the snapshot must not share bytes with the model
      if (value instanceof Date) return encodeDate(value, where);
      if (value instanceof Set) return encodeSet(value, where);
      if (parents.includes(value)) {
        throw new ValidationError(`${where}: the value refers to itself (a circular structure), which DynamoDB cannot store.`, [
          { property: where, value, constraints: { circular: 'circular structure' } },
        ]);
      }
      if (parents.length >= MAX_DEPTH) {
        throw new ValidationError(`${where}: lists and maps are nested more than ${MAX_DEPTH} levels deep, DynamoDB's limit.`, [
          { property: where, value, constraints: { depth: `> ${MAX_DEPTH}` } },
        ]);
      }
      parents.push(value);
      let out: unknown;
      if (Array.isArray(value)) out = value.map((v, i) => encodeNested(v, `${where}[${i}]`, parents) ?? null);
      else out = encodeEntries(value instanceof Map ? value.entries() : Object.entries(value), where, parents);
      parents.pop();
      return out;
    }
    default:
      throw new ValidationError(`${where}: a ${typeof value} cannot be stored in DynamoDB.`, [
        { property: where, value, constraints: { storable: 'not storable' } },
      ]);
  }
}

function encodeEntries(entries: Iterable<[unknown, unknown]>, where: string, parents: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (v === undefined || typeof v === 'function') continue;
    const encoded = encodeNested(v, `${where}.${String(k)}`, parents);
    if (encoded !== undefined) out[String(k)] = encoded;
  }
  return out;
}

/** ISO-8601 text of a valid Date. */
export function encodeDate(value: Date, where: string): string {
  const time = value.getTime();
  if (time === lastTime) return lastIso;
  if (time === otherTime) return otherIso;
  if (Number.isNaN(time))
    throw new ValidationError(`${where}: Invalid Date cannot be stored.`, [{ property: where, value, constraints: { isDate: 'Invalid Date' } }]);
  otherTime = lastTime;
  otherIso = lastIso;
  lastTime = time;
  lastIso = value.toISOString();
  return lastIso;
}

// The last two times formatted (toISOString costs ~0.5 µs): a write stamps @CreatedAt and
// @UpdatedAt with one `now`, and a query of a date range sends the same two bounds again.
let lastTime = NaN;
let lastIso = '';
let otherTime = NaN;
let otherIso = '';

/** A set as DynamoDB stores it (SS, NS or BS), or undefined when empty. */
export function encodeSet(value: Set<unknown>, where: string): Set<unknown> | undefined {
  if (value.size === 0) return undefined;
  let kind: string | undefined;
  let numbers = 0;
  let bigints = 0;
  for (const member of value) {
    const k = member instanceof Uint8Array ? 'binary' : typeof member === 'bigint' ? 'number' : typeof member;
    if (k !== 'string' && k !== 'number' && k !== 'binary') {
      throw new ValidationError(`${where}: a set holds strings, numbers or binary values, not ${k}.`, [
        { property: where, value, constraints: { setMember: k } },
      ]);
    }
    if (kind !== undefined && k !== kind) {
      throw new ValidationError(`${where}: a set's members must all have one type (found ${kind} and ${k}).`, [
        { property: where, value, constraints: { setMember: 'mixed' } },
      ]);
    }
    kind = k;
    if (typeof member === 'number') {
      checkNumber(member, where);
      numbers++;
    } else if (typeof member === 'bigint') {
      checkBigInt(member, where);
      bigints++;
    }
  }
  // The SDK converts a number set by the type of its first member: a number first and a
  // bigint past 2^53 later is refused. Reads give such mixed sets (naturalNumber), so
  // every member is sent as its exact text.
  if (numbers > 0 && bigints > 0) return new Set([...value].map((member) => NumberValue.from(String(member))));
  // A copy, so that editing the model's set in place is seen as a change.
  return new Set(value);
}

/**
 * Decodes a stored value whose declared type is unknown (or nested): numbers become numbers
 * (bigint past 2^53). Number text DynamoDB could not have stored, at any depth, is an
 * UndecodableValue: the whole value is unreadable, not read with a NaN or a 0 in it.
 */
export function decodePlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (isWrappedNumber(value)) return naturalNumber(value.value);
  if (Array.isArray(value)) return value.map(decodePlain);
  if (value instanceof Set) return decodeSet(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = decodePlain((value as Record<string, unknown>)[key]);
  return out;
}

/** A stored set as a new Set (wrapped numbers unwrapped and checked, as decodePlain), never shared with the item read. */
export function decodeSet(value: Set<unknown>): Set<unknown> {
  const out = new Set<unknown>();
  for (const member of value) out.add(isWrappedNumber(member) ? naturalNumber(member.value) : member);
  return out;
}
