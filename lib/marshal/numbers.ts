import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors/validation-error';
import { UndecodableValue } from './undecodable-value';

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

// What DynamoDB takes as number text: decimal digits, an optional minus, point and exponent
// (no '+': the local server refuses it, as cursors do).
const DECIMAL = /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;

/**
 * True when DynamoDB could have stored the text as a number: decimal, at most 38 significant
 * digits, and 0 or a magnitude from 1E-130 to 9.99...E+125.
 *
 * @example
 * isNumberText('-1.5e3'); // true
 * isNumberText('1e400');  // false: out of range ('', 'abc', '0x1F', ' 7' neither)
 */
export function isNumberText(text: string): boolean {
  const match = DECIMAL.exec(text);
  if (!match) return false;
  const whole = match[1];
  const digits = whole + (match[2] ?? '');
  if (digits === '') return false; // '', '.', '-', 'e5'
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return true; // zero, whatever its exponent
  const significant = digits.slice(lead).replace(/0+$/, '').length;
  // The power of ten of the first significant digit: 1E-130 is -130, 9.9E+125 is 125.
  const power = whole.length - lead - 1 + Number(match[3] ?? 0);
  return significant <= MAX_DIGITS && power >= -130 && power <= 125;
}

/**
 * The value of a stored number's text, or NaN when DynamoDB could not have stored the text
 * (isNumberText). Number() alone reads '' as 0, '1e-400' as 0, '1e400' as Infinity, ' 7'
 * and '0x7' as 7.
 *
 * @example
 * parseNumberText('42');  // 42
 * parseNumberText('');    // NaN
 */
export function parseNumberText(text: string): number {
  const n = Number(text);
  const magnitude = n < 0 ? -n : n;
  // Every read goes through here, so what reads almost always give is settled from what is at
  // hand, without the pattern: in range (not 0, which '' also gives), too short for 39 digits,
  // from a digit or '-' to a digit (no blanks, no 'Infinity'), and not '0x..', '0o..', '0b..',
  // the only other such texts Number() reads. Rounding is monotonic, so a text past a bound
  // never parses to a double inside it.
  if (magnitude < MAX_MAGNITUDE && magnitude > MIN_MAGNITUDE && text.length <= MAX_DIGITS) {
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    if (
      (first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) &&
      last >= DIGIT_0 &&
      last <= DIGIT_9 &&
      !(first === DIGIT_0 && text.charCodeAt(1) > DIGIT_9)
    )
      return n;
  } else if (text === '0') {
    return 0; // how DynamoDB writes every zero
  }
  return isNumberText(text) ? n : NaN;
}

/**
 * parseNumberText, throwing an UndecodableValue for text DynamoDB could not have stored (at
 * the top of a value or inside it).
 */
export function readNumberText(text: string): number {
  const n = parseNumberText(text);
  if (n !== n) {
    const shown = JSON.stringify(text.length > 50 ? `${text.slice(0, 50)}...` : text);
    throw new UndecodableValue(
      `stored with the number text ${shown} (N), which is not a number DynamoDB stores (decimal, at most ${MAX_DIGITS} significant digits, 0 or 1E-130 to 1E+126 in magnitude)`,
    );
  }
  return n;
}

/**
 * A stored number as a JS number when that is exact, else a bigint (integers) or a number.
 * Text DynamoDB could not have stored is an UndecodableValue.
 */
export function naturalNumber(text: string): number | bigint {
  const n = readNumberText(text);
  if (Number.isSafeInteger(n) || !/^-?\d+$/.test(text)) return n;
  return BigInt(text);
}
