import { isWrappedNumber } from './numbers';

/** DynamoDB's item size limit, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;

function numberSize(text: string): number {
  // DynamoDB stores numbers in a base-100 form: about one byte per two significant digits, plus one.
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size of one stored value, as DynamoDB counts it. */
export function valueSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value, 'utf8');
    case 'number':
    case 'bigint':
      return numberSize(String(value));
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      if (value instanceof Uint8Array) return value.byteLength;
      if (value instanceof Set) {
        let size = 0;
        for (const member of value) size += valueSize(member);
        return size;
      }
      if (Array.isArray(value)) {
        let size = 3;
        for (const member of value) size += valueSize(member) + 1;
        return size;
      }
      // A number read with wrapNumbers; a user's map with one 'value' key is a map.
      if (isWrappedNumber(value)) return numberSize(value.value);
      let size = 3;
      for (const [key, member] of Object.entries(value)) {
        if (member !== undefined) size += Buffer.byteLength(key, 'utf8') + valueSize(member) + 1;
      }
      return size;
    }
    default:
      return 0;
  }
}

/**
 * The size of an item as DynamoDB accounts for it: attribute names plus values (UTF-8
 * strings, binary lengths, numbers by significant digits, 3 bytes per list or map plus one
 * per element).
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const key in item) {
    const value = item[key];
    if (value !== undefined) size += Buffer.byteLength(key, 'utf8') + valueSize(value);
  }
  return size;
}
