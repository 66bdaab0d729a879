import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors/validation-error';

// DynamoDB's N range: magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125.
const MAX_MAGNITUDE = 1e126;
const MIN_MAGNITUDE = 1e-130;
const MAX_DIGITS = 38;
const BIG_MAX = 10n ** 126n;

function invalid(where: string, value: unknown, why: string): ValidationError {
  const shown = typeof value === 'bigint' ? `${value}n` : String(value);
  return new ValidationError(`${where}: ${shown} ${why}.`, [{ property: where.split('.').pop() ?? where, value, constraints: { dynamoNumber: why } }]);
}

/** Throws ValidationError for a number DynamoDB cannot store exactly. */
export function checkNumber(value: number, where: string): void {
  if (!Number.isFinite(value)) throw invalid(where, value, 'is not a finite number; DynamoDB cannot store NaN or Infinity');
  const magnitude = Math.abs(value);
  // The range first: past it a bigint cannot help either.
  if (magnitude >= MAX_MAGNITUDE || (magnitude !== 0 && magnitude < MIN_MAGNITUDE)) {
    throw invalid(where, value, 'is outside the range DynamoDB stores (1E-130 to 1E+126)');
  }
  if (Number.isInteger(value) && magnitude > Number.MAX_SAFE_INTEGER) {
    throw invalid(where, value, 'is past ±2^53 and has lost precision as a JavaScript number; use a bigint');
  }
}

/** Throws ValidationError for a bigint DynamoDB cannot store (over 38 significant digits, or out of range). */
export function checkBigInt(value: bigint, where: string): void {
  const magnitude = value < 0n ? -value : value;
  if (magnitude >= BIG_MAX) throw invalid(where, value, 'is outside the range DynamoDB stores (up to 1E+126)');
  const digits = magnitude.toString().replace(/0+$/, '').length;
  if (digits > MAX_DIGITS) throw invalid(where, value, `has ${digits} significant digits; DynamoDB keeps at most ${MAX_DIGITS}`);
}

/** A number as read with `wrapNumbers` (or a plain number from a stub). */
export function isWrappedNumber(value: unknown): value is NumberValue {
  return value instanceof NumberValue;
}

/** The text of a stored number, whichever way it arrived. */
export function numberText(value: unknown): string {
  if (value instanceof NumberValue) return value.value;
  return String(value);
}

/** A stored number as a JS number when that is exact, else a bigint (integers) or a number. */
export function naturalNumber(text: string): number | bigint {
  const n = Number(text);
  if (Number.isSafeInteger(n) || !/^-?\d+$/.test(text)) return n;
  return BigInt(text);
}
