import { validationError } from './errors';
import type { PlannedAction } from './transact-plan';
import type { WireItem } from './wire';

/** DynamoDB's limit on the aggregate size of the items in one TransactWriteItems. */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * Throws the ValidationException DynamoDB answers to a TransactWriteItems whose items
 * add up to more than 4 MB: each Put's item, each other action's key, sized by
 * DynamoDB's rules. It walks the items the request already holds parsed, and stops
 * once the sum passes the limit. The wording is an emulator's (floci): no capture of
 * DynamoDB's message was found, and the conformance suite pins only the type.
 */
export function assertTransactionSize(actions: readonly PlannedAction[]): void {
  let total = 0;
  for (const action of actions) {
    total += itemBytes(action.kind === 'Put' ? (action.request.Item as WireItem) : action.key);
    if (total > MAX_TRANSACTION_BYTES) {
      throw validationError('Transaction failed: The total size of all items in the transaction request cannot exceed 4 MB');
    }
  }
}

/** An item's size as DynamoDB counts it: every attribute's name and value. */
function itemBytes(item: WireItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueBytes(value);
  return size;
}

function valueBytes(value: Record<string, unknown>): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(inner as string);
    case 'N':
      return numberBytes(inner as string);
    case 'B':
      return Buffer.byteLength(inner as string, 'base64');
    case 'SS':
      return (inner as string[]).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, n) => sum + numberBytes(n), 0);
    case 'BS':
      return (inner as string[]).reduce((sum, b) => sum + Buffer.byteLength(b, 'base64'), 0);
    case 'L':
      return 3 + (inner as Array<Record<string, unknown>>).reduce((sum, element) => sum + 1 + valueBytes(element), 0);
    case 'M':
      return 3 + Object.entries(inner as WireItem).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueBytes(element), 0);
    default:
      return 1; // BOOL, NULL
  }
}

/** A number takes about one byte per two significant digits, plus one. */
function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}
