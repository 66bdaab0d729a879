import { ValidationError } from '../errors/validation-error';

/**
 * Partition-key values starting with this belong to dynamorm (unique guards); no user key
 * may start with it, so no user key can ever read, overwrite or delete one.
 */
export const RESERVED_KEY_PREFIX = '_dynamorm#';

/** DynamoDB's size limits for key values, in bytes (table and index keys alike). */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/** The size DynamoDB counts for a key value (UTF-8 bytes, binary length, or a number's text). */
function keyBytes(value: unknown): number {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need no exact count.
  if (typeof value === 'string') return value.length * 3 <= MAX_SORT_KEY_BYTES ? value.length : Buffer.byteLength(value, 'utf8');
  if (value instanceof Uint8Array) return value.byteLength;
  return 0; // numbers are bounded by their 38 digits, far below either limit
}

/**
 * Throws ValidationError when an encoded key value is over DynamoDB's limit for its role
 * (2048 bytes partition, 1024 sort) or, for a partition key, starts with the reserved prefix.
 * `where` names the value in the message (an attribute, or a unique guard's key).
 */
export function checkKeyValue(value: unknown, role: 'partition' | 'sort', where: string, property: string): void {
  const limit = role === 'partition' ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES;
  const size = keyBytes(value);
  if (size > limit) {
    throw new ValidationError(
      `${where}: the ${role} key value is ${size} bytes, over DynamoDB's limit of ${limit} bytes for ${role} keys; use a shorter value (or store a hash of it).`,
      [{ property, value, constraints: { keySize: `${size} > ${limit}` } }],
    );
  }
  if (role === 'partition' && typeof value === 'string' && value.startsWith(RESERVED_KEY_PREFIX)) {
    throw new ValidationError(
      `${where}: partition key values starting with '${RESERVED_KEY_PREFIX}' are reserved for dynamorm's own items (unique guards); choose another value.`,
      [{ property, value, constraints: { reservedKey: `starts with ${RESERVED_KEY_PREFIX}` } }],
    );
  }
}
