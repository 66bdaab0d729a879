import { ValidationError } from '../errors/validation-error';
import type { AttributeSchema, ModelSchema } from '../metadata/model-schema';

/**
 * Partition-key values starting with this belong to dynamorm (unique guards); no user key
 * may start with it, so no user key can ever read, overwrite or delete one.
 */
export const RESERVED_KEY_PREFIX = '_dynamorm#';

/** Marks unique-guard items (its value: the unique attribute's name), so every read path can skip them. */
export const GUARD_MARKER = '__dynamorm_unique';

/** DynamoDB's size limits for key values, in bytes (table and index keys alike). */
export const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024;

/** The size DynamoDB counts for a key value (UTF-8 bytes, binary length; numbers are small). */
function keyBytes(value: unknown): number {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need no exact count.
  if (typeof value === 'string') return value.length * 3 <= MAX_SORT_KEY_BYTES ? value.length : Buffer.byteLength(value, 'utf8');
  if (value instanceof Uint8Array) return value.byteLength;
  return 0; // a number has at most 38 digits, far below either limit
}

/**
 * The byte limit that applies to an attribute's values: 1024 when it is a sort key of the
 * table or of any index (the stricter one wins), 2048 for a partition key, none otherwise.
 */
export function keyLimitOf(schema: ModelSchema, attr: AttributeSchema): number | undefined {
  if (attr.keyType === undefined) return undefined;
  if (attr.tableKey === 'sort' || schema.indexes.some((index) => index.sortKeys.includes(attr))) return MAX_SORT_KEY_BYTES;
  return MAX_PARTITION_KEY_BYTES;
}

/** Throws ValidationError when an encoded key value is over `limit` bytes; `what` says which key, for the message. */
export function checkKeySize(value: unknown, limit: number, where: string, property: string, what = 'key'): void {
  const size = keyBytes(value);
  if (size <= limit) return;
  throw new ValidationError(
    `${where}: the ${what} value is ${size} bytes, over DynamoDB's limit of ${limit} bytes for a ${limit === MAX_SORT_KEY_BYTES ? 'sort' : 'partition'} key; use a shorter value (or store a hash of it).`,
    [{ property, value, constraints: { keySize: `${size} > ${limit}` } }],
  );
}

/** Throws ValidationError for a table partition-key value in dynamorm's reserved namespace. */
export function checkNotReserved(value: unknown, where: string, property: string): void {
  if (typeof value !== 'string' || !value.startsWith(RESERVED_KEY_PREFIX)) return;
  throw new ValidationError(
    `${where}: partition key values starting with '${RESERVED_KEY_PREFIX}' are reserved for dynamorm's own items (unique guards); choose another value.`,
    [{ property, value, constraints: { reservedKey: `starts with ${RESERVED_KEY_PREFIX}` } }],
  );
}
