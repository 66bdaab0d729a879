import { itemSizeOf } from '../dynalite-internals';
import { validationError } from '../errors';
import type { PlannedAction } from './transact-plan';
import type { WireItem } from '../wire';

/** DynamoDB's limit on the aggregate size of the items in one TransactWriteItems. */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * Throws the ValidationException DynamoDB answers to a TransactWriteItems whose items
 * add up to more than 4 MB: each Put's item, each other action's key, sized by the rule
 * dynalite applies to the 400 KB item limit. It walks the items the request already holds
 * parsed, and stops once the sum passes the limit. The wording is an emulator's (floci): no capture of
 * DynamoDB's message was found, and the conformance suite pins only the type.
 */
export function assertTransactionSize(actions: readonly PlannedAction[]): void {
  let total = 0;
  for (const action of actions) {
    total += itemSizeOf(action.kind === 'Put' ? (action.request.Item as WireItem) : action.key);
    if (total > MAX_TRANSACTION_BYTES) {
      throw validationError('Transaction failed: The total size of all items in the transaction request cannot exceed 4 MB');
    }
  }
}
