import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { DynamormError } from '../errors/dynamorm-error';

/**
 * A key attribute value as a decoded cursor gives it back, in the DocumentClient's input shape.
 *
 * @example
 * const values: StartKeyValue[] = ['u1', NumberValue.from('42'), new Uint8Array([120])];
 */
export type StartKeyValue = string | NumberValue | Uint8Array;

/**
 * A value in DynamoDB's own JSON notation: how a cursor stores values, exactly.
 *
 * @example
 * const tagged: TaggedValue = { L: [{ S: 'u1' }, { N: '12' }, { B: 'AQID' }] };
 */
export type TaggedValue =
  { S: string } | { N: string } | { B: string } | { BOOL: boolean } | { NULL: true } | { L: TaggedValue[] } | { M: Record<string, TaggedValue> };

// DynamoDB's number syntax; NumberValue itself accepts any text, so garbage stops here.
const NUMBER_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * A value in DynamoDB's JSON notation, exactly: numbers keep their text (a NumberValue read
 * with `wrapNumbers` is never rounded), binary becomes base64url, map keys are sorted so
 * equal values always give equal JSON. Throws a DynamormError for anything a DocumentClient
 * key or key condition cannot hold (an unsafe integer, a Date, a Set, a class instance).
 *
 * @example
 * tagValue(NumberValue.from('12345678901234567890123'), 'startKey.n'); // { N: '12345678901234567890123' }
 * tagValue({ b: 1, a: 'x' }, 'keyCondition');                       // { M: { a: { S: 'x' }, b: { N: '1' } } }
 */
export function tagValue(value: unknown, where: string): TaggedValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'bigint') return { N: value.toString() };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (typeof value === 'number') {
    // Past 2^53 the number is already not the stored one; a cursor from it would skip or repeat items.
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      throw new DynamormError(`${where}: the number ${value} cannot go into a cursor exactly; pass it as a NumberValue or a bigint.`);
    }
    return { N: String(value) };
  }
  if (value instanceof NumberValue) return { N: value.value };
  if (value instanceof Uint8Array) return { B: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url') };
  if (Array.isArray(value)) return { L: value.map((item, i) => tagValue(item, `${where}[${i}]`)) };
  if (typeof value === 'object' && isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { M: Object.fromEntries(entries.map(([k, v]) => [k, tagValue(v, `${where}.${k}`)])) };
  }
  throw new DynamormError(
    `${where}: a cursor cannot hold ${describeValue(value)}; pass strings, numbers, bigints, NumberValues, binary, booleans, null, arrays or plain objects.`,
  );
}

/**
 * A start-key value in DynamoDB's JSON notation: only what a key can hold (a non-empty
 * string or binary, a number); anything else is a DynamormError, so no cursor is made that
 * decoding would refuse.
 *
 * @example
 * tagKeyValue(Buffer.from([1, 2, 3]), 'cursor start key b'); // { B: 'AQID' }
 * tagKeyValue(true, 'cursor start key b');                   // DynamormError: ... is not a key value ...
 */
export function tagKeyValue(value: unknown, where: string): TaggedValue {
  const isKeyValue =
    (typeof value === 'string' && value !== '') ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof NumberValue ||
    (value instanceof Uint8Array && value.byteLength > 0);
  if (!isKeyValue)
    throw new DynamormError(
      `${where}: ${describeValue(value)} is not a key value (a non-empty string or binary, or a number); a cursor's start key holds only key attributes.`,
    );
  return tagValue(value, where);
}

/**
 * The key value a tagged S, N or B stands for, or undefined when it is not one (or is
 * empty, which no DynamoDB key can be). N comes back as a NumberValue, the shape reads
 * return under `wrapNumbers`, so its text reaches DynamoDB unchanged.
 *
 * @example
 * untagKeyValue({ N: '-1.5' });   // NumberValue { value: '-1.5' }
 * untagKeyValue({ B: 'AQID' });   // Uint8Array [1, 2, 3]
 * untagKeyValue({ N: 'twelve' }); // undefined
 */
export function untagKeyValue(tagged: unknown): StartKeyValue | undefined {
  if (typeof tagged !== 'object' || tagged === null || Array.isArray(tagged)) return undefined;
  const entries = Object.entries(tagged);
  if (entries.length !== 1) return undefined;
  const [[type, text]] = entries;
  if (typeof text !== 'string' || text === '') return undefined;
  if (type === 'S') return text;
  if (type === 'N') return NUMBER_TEXT.test(text) ? NumberValue.from(text) : undefined;
  // A copy as a plain Uint8Array: the type reads return for B.
  if (type === 'B') return BASE64URL.test(text) ? new Uint8Array(Buffer.from(text, 'base64url')) : undefined;
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === '') return 'an empty string';
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (value instanceof Uint8Array) return value.byteLength === 0 ? 'empty binary' : 'binary';
  return Array.isArray(value) ? 'a list' : (value.constructor?.name ?? 'an object');
}
