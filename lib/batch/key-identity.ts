import type { KeySchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import { isWrappedNumber } from '../marshal/numbers';

// DynamoDB compares numbers by value and answers with normalized text: 7, 7n and a wrapped
// "7" (or "7.0" from a stub) are one key. Integers go through BigInt, so 1e21 and
// "1000000000000000000000" meet too; a key number that is not an integer is a JS number.
const integer = (text: string) => (/^-?\d+$/.test(text) ? BigInt(text) : Number(text));

function part(value: unknown): string {
  if (typeof value === 'string') return `S${value}`;
  if (typeof value === 'number') return `N${Number.isInteger(value) ? BigInt(value) : value}`;
  if (typeof value === 'bigint') return `N${value}`;
  if (isWrappedNumber(value)) return `N${integer(value.value)}`;
  return `B${String(value)}`; // a Uint8Array: its bytes, comma-separated
}

/**
 * A string that is equal for two keys exactly when DynamoDB sees one item: keys as sent and
 * keys as read back (wrapped numbers) match. Batches use it to send duplicates once and to
 * put BatchGetItem's unordered answer back in the caller's order.
 *
 * @example
 * keyIdentity({ customerId: 'c1', orderId: 7 }, schema.tableKey) === keyIdentity(item, schema.tableKey); // true
 */
export function keyIdentity(key: StoredItem, keySchema: KeySchema): string {
  const pk = part(key[keySchema.partitionKey.attributeName]);
  return keySchema.sortKey ? `${pk.length}:${pk}${part(key[keySchema.sortKey.attributeName])}` : pk;
}
