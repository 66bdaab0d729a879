import { mayBreakBatchRule, validateBatch, type ValidatedBatch } from './batch-validation';
import { validateCreateTable } from './create-table-validation';
import { validateRequest, type Operation } from '../dynalite-internals';
import { isValidatedRead, mayBreakReadRule, validateRead } from './read-validation';
import type { WireBody } from '../wire';

/**
 * The operations whose requests the layer checks before dynalite runs them, where
 * DynamoDB refuses them, or words the refusal, unlike dynalite. Each rule's module
 * says which requests and why; this one only routes.
 */
export type ValidatedOperation = 'Query' | 'Scan' | ValidatedBatch | 'CreateTable' | ItemOperation;

type ItemOperation = 'PutItem' | 'GetItem' | 'UpdateItem' | 'DeleteItem';

const ITEM_OPERATIONS: Record<ItemOperation, Operation> = { PutItem: 'putItem', GetItem: 'getItem', UpdateItem: 'updateItem', DeleteItem: 'deleteItem' };

/**
 * Whether `raw`, a request for `operation`, may break one of the rules: cheap checks on
 * the bytes, so that only such requests are parsed and validated here as well as in dynalite.
 */
export function mayBreakRequestRule(operation: string, raw: Buffer): operation is ValidatedOperation {
  if (isValidatedRead(operation)) return mayBreakReadRule(raw);
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') return mayBreakBatchRule(operation, raw);
  if (operation === 'CreateTable') return true;
  return Object.hasOwn(ITEM_OPERATIONS, operation) && raw.includes('""') && EMPTY_TABLE_NAME.test(raw.toString('utf8'));
}

const EMPTY_TABLE_NAME = /"TableName"\s*:\s*""/;

/**
 * Throws the ValidationException DynamoDB answers to the request, after dynalite's own
 * checks where they come first; returns when the request may go to dynalite unchanged.
 */
export function validateOperation(operation: ValidatedOperation, body: WireBody): void {
  if (operation === 'Query' || operation === 'Scan') validateRead(operation, body);
  else if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') validateBatch(operation, body);
  else if (operation === 'CreateTable') validateCreateTable(body);
  else if (body.TableName === '') validateRequest(ITEM_OPERATIONS[operation], body, { TableName: ITEM_TABLE_NAME });
}

/**
 * The item operations' TableName as DynamoDB constrains it since it also takes a table's
 * ARN: at least 1 character, no pattern. dynalite applies CreateTable's rules (pattern,
 * 3 to 255 characters), so an empty name breaks two constraints there and one in DynamoDB.
 * Only the empty name is checked here: a short or odd name is a table DynamoDB does not find.
 */
const ITEM_TABLE_NAME = { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 1024 };
