import { createHash } from 'node:crypto';
import type { WireItem } from '../wire';

/** A key attribute's type, as AttributeDefinitions give it. */
export type KeyType = 'S' | 'N' | 'B';

/** One attribute value on the wire, e.g. `{ S: 'x' }`. */
type WireValue = WireItem[string];

/** A number as `0.digits × 10^exponent`, digits without leading or trailing zeros; zero has no digits. */
interface Decimal {
  sign: -1 | 0 | 1;
  digits: string;
  exponent: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function decimalOf(text: string): Decimal {
  const match = NUMBER.exec(text.trim());
  if (!match) return { sign: 0, digits: '', exponent: 0 };
  const whole = match[2] ?? '';
  const all = whole + (match[3] ?? '');
  let exponent = whole.length + Number(match[4] ?? 0);
  let start = 0;
  while (start < all.length && all[start] === '0') {
    start += 1;
    exponent -= 1;
  }
  const digits = all.slice(start).replace(/0+$/, '');
  if (digits === '') return { sign: 0, digits: '', exponent: 0 };
  return { sign: match[1] === '-' ? -1 : 1, digits, exponent };
}

/**
 * Compares two DynamoDB numbers exactly, as decimals (DynamoDB keeps 38 significant digits,
 * more than a float64 tells apart).
 *
 * @example
 * compareNumbers('12345678901234567890123456789012345679', '12345678901234567890123456789012345678'); // 1
 * compareNumbers('-1.50', '-1.5'); // 0
 */
export function compareNumbers(a: string, b: string): number {
  const x = decimalOf(a);
  const y = decimalOf(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let magnitude: number;
  if (x.exponent !== y.exponent) magnitude = x.exponent < y.exponent ? -1 : 1;
  else {
    const length = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(length, '0');
    const dy = y.digits.padEnd(length, '0');
    magnitude = dx === dy ? 0 : dx < dy ? -1 : 1;
  }
  return magnitude * x.sign;
}

/** The bytes DynamoDB orders a string or binary by: UTF-8 for S, the decoded base64 for B. */
export function keyBytes(value: string, type: 'S' | 'B'): Buffer {
  return Buffer.from(value, type === 'S' ? 'utf8' : 'base64');
}

/**
 * Orders two values of one key type as DynamoDB does: S by their UTF-8 bytes (not JavaScript's
 * UTF-16 order), N numerically, B by their bytes.
 *
 * @example
 * compareKeyValues({ S: '\uffff' }, { S: '😀' }, 'S'); // -1: U+FFFF is EF BF BF in UTF-8, the emoji F0 9F 98 80
 */
export function compareKeyValues(a: WireValue, b: WireValue, type: KeyType): number {
  const x = a[type] as string;
  const y = b[type] as string;
  if (type === 'N') return compareNumbers(x, y);
  return Buffer.compare(keyBytes(x, type), keyBytes(y, type));
}

/** Whether two values of one key type are the same key value (`1.0` and `1` are one number). */
export function sameKeyValue(a: WireValue | undefined, b: WireValue | undefined, type: KeyType): boolean {
  return a?.[type] != null && b?.[type] != null && compareKeyValues(a, b, type) === 0;
}

/** An attribute of a key and its type. */
export interface TypedAttribute {
  name: string;
  type: KeyType;
}

/** Orders two items by the attributes given, first to last (each present in both). */
export function compareByAttributes(a: WireItem, b: WireItem, attributes: readonly TypedAttribute[]): number {
  for (const { name, type } of attributes) {
    const order = compareKeyValues(a[name], b[name], type);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Where an index partition falls in a Scan: a hash of its key values, as DynamoDB spreads
 * partitions over its key space (and parallel Scans over segments) by a hash.
 */
export function partitionHash(item: WireItem, partition: readonly TypedAttribute[]): string {
  const hash = createHash('md5').update('Outliers');
  for (const { name, type } of partition) {
    const value = item[name][type] as string;
    hash.update(type === 'N' ? normalNumber(value) : keyBytes(value, type));
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** One spelling per number, so that `1.0` and `1` hash alike. */
function normalNumber(text: string): string {
  const { sign, digits, exponent } = decimalOf(text);
  return sign === 0 ? '0' : `${sign < 0 ? '-' : ''}0.${digits}e${exponent}`;
}
