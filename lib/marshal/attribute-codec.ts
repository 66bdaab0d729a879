import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors/validation-error';
import type { AttributeSchema } from '../metadata/model-schema';
import { kindOfConstructor } from '../metadata/value-kind';
import { classTransformer, nestedTypeOf } from '../peers/class-transformer';
import { parseIsoTime } from './iso-date';
import { checkBigInt, checkNumber, isWrappedNumber, numberText, readNumberText } from './numbers';
import { decodePlain, decodeSet, encodeDate, encodePlain, encodeSet } from './plain-value';
import { UndecodableValue } from './undecodable-value';

/** Turns a property value into its stored form (undefined: not stored). */
export type Encoder = (value: unknown, where: string) => unknown;
/** Turns a stored value (never undefined or null) into the property value; throws UndecodableValue. */
export type Decoder = (stored: unknown) => unknown;

export { UndecodableValue };

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an Invalid Date' : 'a Date';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function wrongType(attr: AttributeSchema, where: string, expected: string, value: unknown, fix: string): ValidationError {
  return new ValidationError(`${where}: expected ${expected}, got ${describe(value)}. ${fix}`, [
    { property: attr.property, value, constraints: { type: `expected ${expected}` } },
  ]);
}

const FIX = `Assign the declared type, or declare another with the 'type' option (e.g. @Attribute({ type: Number })).`;

/** What a stored value that the DocumentClient returned looks like, for decode messages. */
function storedType(stored: unknown): string {
  if (typeof stored === 'string') return 'a string (S)';
  if (typeof stored === 'boolean') return 'a boolean (BOOL)';
  if (typeof stored === 'number' || isWrappedNumber(stored)) return `the number ${numberText(stored)} (N)`;
  if (stored instanceof Uint8Array) return 'binary (B)';
  if (stored instanceof Set) return 'a set';
  if (Array.isArray(stored)) return 'a list (L)';
  return 'a map (M)';
}

function undecodable(stored: unknown, expected: string): UndecodableValue {
  return new UndecodableValue(`stored as ${storedType(stored)}, which cannot be read as ${expected}`);
}

// Numbers arrive wrapped from reads (wrapNumbers), and plain from a stub or from the item
// dynamorm itself just wrote (a bigint among them).
const isNumber = (stored: unknown): boolean => typeof stored === 'number' || typeof stored === 'bigint' || isWrappedNumber(stored);
const isMap = (stored: unknown): stored is Record<string, unknown> =>
  typeof stored === 'object' &&
  stored !== null &&
  !Array.isArray(stored) &&
  !(stored instanceof Set) &&
  !(stored instanceof Uint8Array) &&
  !isWrappedNumber(stored);

/**
 * Epoch seconds, floored: how a Date is stored as 'epoch' (and a @TTL), and the one clock
 * reading that reads, conditions and unique guards compare a @TTL with.
 *
 * @example
 * epochSeconds(Date.parse('2030-01-01T00:00:00.999Z')); // 1893456000
 */
export function epochSeconds(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}

function encodeDateValue(attr: AttributeSchema): Encoder {
  const format = attr.dateFormat;
  return (value, where) => {
    if (!(value instanceof Date))
      throw wrongType(attr, where, 'a Date', value, `Assign a Date (new Date(...)), or declare the property's type with the 'type' option.`);
    if (format === 'iso') return encodeDate(value, where); // also rejects Invalid Date
    const ms = value.getTime();
    if (Number.isNaN(ms)) return encodeDate(value, where); // throws the Invalid Date error
    return format === 'epoch_ms' ? ms : epochSeconds(ms);
  };
}

// The largest |time| a Date holds (ECMAScript TimeClip).
const MAX_TIME = 8.64e15;

function decodeDateValue(attr: AttributeSchema): Decoder {
  const scale = attr.dateFormat === 'epoch' ? 1000 : 1;
  return (stored) => {
    let time: number;
    if (typeof stored === 'string') time = parseIsoTime(stored);
    else if (isNumber(stored)) time = readNumberText(numberText(stored)) * scale;
    else throw undecodable(stored, 'a Date');
    // What new Date(time) would make an Invalid Date of: NaN, and times past ±8.64e15 ms.
    if (!(Math.abs(time) <= MAX_TIME)) throw new UndecodableValue(`stored as ${storedType(stored)}, which is not a valid date`);
    return new Date(time);
  };
}

function decodeNumber(stored: unknown): number {
  // What reads give (wrapNumbers) first: the SDK's NumberValue, whose text is read directly.
  let n: number;
  if (stored instanceof NumberValue) n = readNumberText(stored.value);
  else if (isNumber(stored)) n = readNumberText(numberText(stored));
  else throw undecodable(stored, 'a number');
  // Reading would round it, and a save would then write the rounded value back.
  if ((n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER) && Number.isInteger(n)) {
    throw new UndecodableValue(
      `stored as the number ${numberText(stored)}, past ±2^53: a JavaScript number cannot hold it exactly (declare the property { type: BigInt })`,
    );
  }
  return n;
}

/**
 * The encoder for one attribute, chosen once from its kind. A value whose JavaScript type
 * does not match the declared one is a ValidationError: it would not read back as itself.
 */
export function encoderFor(attr: AttributeSchema): Encoder {
  switch (attr.kind) {
    case 'string':
      return (value, where) => {
        if (typeof value === 'string') return value;
        throw wrongType(
          attr,
          where,
          'a string',
          value,
          attr.keyType ? `If this key is not a string, declare it: { type: Number } (or BigInt, Date, Uint8Array).` : FIX,
        );
      };
    case 'number':
      return (value, where) => {
        if (typeof value === 'number') return (checkNumber(value, where), value);
        const fix = typeof value === 'bigint' ? `A bigint would read back rounded as a number: declare the property { type: BigInt }.` : FIX;
        throw wrongType(attr, where, 'a number', value, fix);
      };
    case 'bigint':
      return (value, where) => {
        if (typeof value === 'bigint') return (checkBigInt(value, where), value);
        throw wrongType(attr, where, 'a bigint', value, typeof value === 'number' ? `Write BigInt(${value}) (or ${value}n).` : FIX);
      };
    case 'boolean':
      return (value, where) => {
        if (typeof value === 'boolean') return value;
        throw wrongType(attr, where, 'a boolean', value, FIX);
      };
    case 'date':
      return encodeDateValue(attr);
    case 'binary':
    case 'buffer':
      return (value, where) => {
        if (value instanceof Uint8Array) return new Uint8Array(value); // a copy, for dirty tracking
        throw wrongType(attr, where, 'a Uint8Array or Buffer', value, FIX);
      };
    case 'set':
      return (value, where) => {
        if (value instanceof Set) return encodeSet(value, where);
        throw wrongType(attr, where, 'a Set', value, Array.isArray(value) ? 'Wrap the array: new Set([...]) (it reads back as a Set).' : FIX);
      };
    case 'list':
      return (value, where) => {
        if (Array.isArray(value)) return encodePlain(value, where);
        throw wrongType(attr, where, 'an array', value, FIX);
      };
    case 'map':
    case 'class':
      return (value, where) => {
        if (isMap(value) && !(value instanceof Date)) return encodePlain(value, where);
        throw wrongType(attr, where, 'an object', value, FIX);
      };
    case 'json':
      return (value, where) => {
        try {
          return JSON.stringify(value);
        } catch (cause) {
          throw new ValidationError(
            `${where}: cannot be stored as JSON (${(cause as Error).message}).`,
            [{ property: attr.property, value, constraints: { json: 'not serialisable' } }],
            { cause },
          );
        }
      };
    default:
      // No declared type: what is stored must read back as itself, which a Date (stored as
      // text) or a bigint (read back as a number when small) would not.
      return (value, where) => {
        if (value instanceof Date)
          throw wrongType(
            attr,
            where,
            'a value whose type dynamorm knows',
            value,
            `A Date would read back as a string: declare it, e.g. @Attribute({ type: Date }).`,
          );
        if (typeof value === 'bigint')
          throw wrongType(
            attr,
            where,
            'a value whose type dynamorm knows',
            value,
            `A bigint would read back as a number: declare it, e.g. @Attribute({ type: BigInt }).`,
          );
        return encodePlain(value, where);
      };
  }
}

/** The decoder for one attribute, chosen once from its kind. */
export function decoderFor(attr: AttributeSchema, ctor: Function): Decoder {
  switch (attr.kind) {
    case 'string':
      return (stored) => {
        if (typeof stored === 'string') return stored;
        throw undecodable(stored, 'a string');
      };
    case 'boolean':
      return (stored) => {
        if (typeof stored === 'boolean') return stored;
        throw undecodable(stored, 'a boolean');
      };
    case 'number':
      return decodeNumber;
    case 'bigint':
      return (stored) => {
        if (!isNumber(stored)) throw undecodable(stored, 'a bigint');
        const text = numberText(stored);
        readNumberText(text); // 'abc', '', 39 digits: not a number at all, let alone an integer
        if (!/^-?\d+$/.test(text)) throw new UndecodableValue(`stored as the number ${text}, which is not an integer, so it cannot be read as a bigint`);
        return BigInt(text);
      };
    case 'date':
      return decodeDateValue(attr);
    case 'binary':
    case 'buffer':
      return (stored) => {
        if (!(stored instanceof Uint8Array)) throw undecodable(stored, 'binary data');
        return attr.kind === 'buffer' ? Buffer.from(stored) : new Uint8Array(stored);
      };
    case 'set':
      return (stored) => {
        if (!(stored instanceof Set)) throw undecodable(stored, 'a set');
        return decodeSet(stored);
      };
    case 'list':
      return (stored) => {
        if (!Array.isArray(stored)) throw undecodable(stored, 'a list');
        return nested(attr, ctor, decodePlain(stored));
      };
    case 'map':
      return (stored) => {
        if (!isMap(stored)) throw undecodable(stored, 'a map');
        return nested(attr, ctor, decodePlain(stored));
      };
    case 'class': {
      const cls = attr.nestedClass!;
      return (stored) => {
        if (!isMap(stored)) throw undecodable(stored, `a ${cls.name || 'nested class'}`);
        return classTransformer(`Reading ${ctor.name}.${attr.property} as a ${cls.name}`).plainToInstance(cls, decodePlain(stored));
      };
    }
    case 'json': {
      const cls = attr.nestedClass;
      return (stored) => {
        if (typeof stored !== 'string') throw undecodable(stored, 'JSON text');
        let parsed: unknown;
        try {
          parsed = JSON.parse(stored);
        } catch (error) {
          throw new UndecodableValue(`stored as text that is not valid JSON (${(error as Error).message})`);
        }
        return cls && typeof parsed === 'object' && parsed !== null
          ? classTransformer(`Reading ${ctor.name}.${attr.property} as a ${cls.name}`).plainToInstance(cls, parsed)
          : parsed;
      };
    }
    default:
      return (stored) => nested(attr, ctor, decodePlain(stored));
  }
}

/**
 * A map or list whose class is declared only with class-transformer's `@Type(() => C)` on
 * the model property (no `type` option, no decorator metadata: esbuild, tsx) is restored
 * as that class, as class-transformer itself would.
 */
function nested(attr: AttributeSchema, ctor: Function, plain: unknown): unknown {
  if (typeof plain !== 'object' || plain === null) return plain;
  const cls = nestedTypeOf(ctor, attr.property);
  if (!cls || kindOfConstructor(cls) !== 'class') return plain; // @Type(() => Date) and the like: the 'type' option's job

  const transformer = classTransformer(`Reading ${ctor.name}.${attr.property} as a ${cls.name}`);
  return Array.isArray(plain)
    ? (plain as unknown[]).map((element) => (isMap(element) ? transformer.plainToInstance(cls, element) : element))
    : transformer.plainToInstance(cls, plain);
}
