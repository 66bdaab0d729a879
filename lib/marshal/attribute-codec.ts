import { ValidationError } from '../errors/validation-error';
import type { AttributeSchema } from '../metadata/model-schema';
import { classTransformer } from '../peers/class-transformer';
import { checkBigInt, checkNumber, isWrappedNumber, numberText } from './numbers';
import { decodePlain, decodeSet, encodeDate, encodePlain, encodeSet } from './plain-value';

/** Turns a property value into its stored form (undefined: not stored). */
export type Encoder = (value: unknown, where: string) => unknown;
/** Turns a stored value (never undefined) into the property value. */
export type Decoder = (stored: unknown) => unknown;

function wrongType(where: string, expected: string, value: unknown, fix: string): ValidationError {
  const got = value instanceof Date ? 'a Date' : Array.isArray(value) ? 'an array' : `${typeof value} ${String(value)}`;
  return new ValidationError(`${where}: expected ${expected}, got ${got}. ${fix}`, [
    { property: where.split('.').pop() ?? where, value, constraints: { type: `expected ${expected}` } },
  ]);
}

function fromDate(attr: AttributeSchema): Encoder {
  const format = attr.dateFormat;
  const strict = attr.keyType !== undefined || attr.special !== undefined;
  return (value, where) => {
    if (!(value instanceof Date)) {
      if (strict || typeof value === 'number' || typeof value === 'boolean') {
        throw wrongType(where, 'a Date', value, `Assign a Date, or declare the property's type with the 'type' option.`);
      }
      return encodePlain(value, where);
    }
    if (format === 'iso') return encodeDate(value, where);
    encodeDate(value, where); // rejects Invalid Date
    const ms = value.getTime();
    return format === 'epoch_ms' ? ms : Math.floor(ms / 1000);
  };
}

function toDate(attr: AttributeSchema): Decoder {
  const scale = attr.dateFormat === 'epoch' ? 1000 : 1;
  return (stored) => {
    if (typeof stored === 'string') return new Date(stored);
    if (typeof stored === 'object' && stored !== null && !(stored instanceof Uint8Array)) return new Date(Number(numberText(stored)) * scale);
    if (typeof stored === 'number') return new Date(stored * scale);
    return stored;
  };
}

/** The encoder for one attribute, chosen once from its kind. */
export function encoderFor(attr: AttributeSchema): Encoder {
  const isKey = attr.keyType !== undefined;
  const fix = `Assign the declared type, or declare another with the 'type' option (e.g. @Attribute({ type: Number })).`;
  switch (attr.kind) {
    case 'string':
      return (value, where) => {
        if (typeof value === 'string') return value;
        if (isKey) throw wrongType(where, 'a string', value, `If this key is not a string, declare it: { type: Number } (or BigInt, Date, Uint8Array).`);
        return encodePlain(value, where);
      };
    case 'number':
      return (value, where) => {
        if (typeof value === 'number') return checkNumber(value, where), value;
        if (typeof value === 'bigint') return checkBigInt(value, where), value;
        if (isKey || attr.special) throw wrongType(where, 'a number', value, fix);
        return encodePlain(value, where);
      };
    case 'bigint':
      return (value, where) => {
        if (typeof value === 'bigint') return checkBigInt(value, where), value;
        if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
        if (isKey) throw wrongType(where, 'a bigint', value, fix);
        return encodePlain(value, where);
      };
    case 'boolean':
      return (value, where) => (typeof value === 'boolean' ? value : encodePlain(value, where));
    case 'date':
      return fromDate(attr);
    case 'binary':
    case 'buffer':
      return (value, where) => {
        if (value instanceof Uint8Array) return new Uint8Array(value); // a copy, for dirty tracking
        if (isKey) throw wrongType(where, 'a Uint8Array or Buffer', value, fix);
        return encodePlain(value, where);
      };
    case 'set':
      return (value, where) => {
        if (value instanceof Set) return encodeSet(value, where);
        if (Array.isArray(value)) return encodeSet(new Set(value), where);
        return encodePlain(value, where);
      };
    case 'json':
      return (value, where) => {
        try {
          return JSON.stringify(value);
        } catch (cause) {
          throw new ValidationError(`${where}: cannot be stored as JSON (${(cause as Error).message}).`, [{ property: attr.property, value, constraints: { json: 'not serialisable' } }], { cause });
        }
      };
    default:
      return encodePlain;
  }
}

/** The decoder for one attribute, chosen once from its kind. */
export function decoderFor(attr: AttributeSchema): Decoder {
  switch (attr.kind) {
    case 'string':
    case 'boolean':
      return (stored) => (typeof stored === 'object' ? decodePlain(stored) : stored);
    case 'number':
      return (stored) => (typeof stored === 'object' && stored !== null && !(stored instanceof Uint8Array) && !(stored instanceof Set) && !Array.isArray(stored) ? Number(numberText(stored)) : decodePlain(stored));
    case 'bigint':
      return (stored) => (typeof stored === 'number' || isWrappedNumber(stored) ? BigInt(numberText(stored)) : decodePlain(stored));
    case 'date':
      return toDate(attr);
    case 'binary':
      return (stored) => (stored instanceof Uint8Array ? new Uint8Array(stored) : decodePlain(stored));
    case 'buffer':
      return (stored) => (stored instanceof Uint8Array ? Buffer.from(stored) : decodePlain(stored));
    case 'set':
      return (stored) => (stored instanceof Set ? decodeSet(stored) : decodePlain(stored));
    case 'class': {
      const cls = attr.nestedClass!;
      return (stored) => {
        const plain = decodePlain(stored);
        return typeof plain === 'object' && plain !== null && !Array.isArray(plain) ? classTransformer().plainToInstance(cls, plain) : plain;
      };
    }
    case 'json': {
      const cls = attr.nestedClass;
      return (stored) => {
        if (typeof stored !== 'string') return decodePlain(stored);
        const parsed: unknown = JSON.parse(stored);
        return cls && typeof parsed === 'object' && parsed !== null ? classTransformer().plainToInstance(cls, parsed) : parsed;
      };
    }
    default:
      return decodePlain;
  }
}
