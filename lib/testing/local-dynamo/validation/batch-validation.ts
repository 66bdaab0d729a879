import { validateRequest } from '../dynalite-internals';
import { isDynamoError, validationError } from '../errors';
import { isRecord, type WireBody } from '../wire';

/** The batch operations whose refusals DynamoDB words unlike dynalite. */
export type ValidatedBatch = 'BatchGetItem' | 'BatchWriteItem';

/**
 * Whether a batch's raw body may break one of the rules below, without parsing it: an
 * empty map, or more braces (BatchGetItem: at least two a key) or write requests than the
 * limits allow in all tables together.
 */
export function mayBreakBatchRule(operation: ValidatedBatch, raw: Buffer): boolean {
  if (raw.includes('{}')) return true;
  return operation === 'BatchGetItem' ? occurrences(raw, '{') > 2 * MAX_KEYS : occurrences(raw, 'Request"') > MAX_WRITES;
}

const MAX_KEYS = 100;
const MAX_WRITES = 25;

/**
 * Throws the ValidationException DynamoDB answers where dynalite's wording differs; an
 * answer with other errors in it is left as dynalite gives it (their order is dynalite's):
 *
 * - an empty `RequestItems`: DynamoDB says the parameter is required;
 * - BatchGetItem over 100 keys for a table: DynamoDB names `RequestItems.<table>.member.Keys`
 *   and leaves the keys out;
 * - BatchWriteItem over 25 requests for a table: DynamoDB dumps the map in Java's
 *   `{table=[...]}` form, where dynalite writes JSON.
 */
export function validateBatch(operation: ValidatedBatch, body: WireBody): void {
  try {
    validateRequest(operation === 'BatchGetItem' ? 'batchGetItem' : 'batchWriteItem', body);
  } catch (err) {
    if (!isDynamoError(err, 'ValidationException')) throw err;
    if (err.message === EMPTY_REQUEST_ITEMS) throw validationError(`The requestItems parameter is required for ${operation}`);
    const message =
      operation === 'BatchGetItem' ? err.message.replace(TOO_MANY_KEYS, "Value at 'RequestItems.$1.member.Keys' $2") : withJavaDump(err.message, body);
    throw message === err.message ? err : validationError(message);
  }
}

const EMPTY_REQUEST_ITEMS =
  "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1";

const TOO_MANY_KEYS =
  /Value '\[(?:(?!' at ').)*\]' at 'requestItems\.([a-zA-Z0-9_.-]+)\.member\.keys' (failed to satisfy constraint: Member must have length less than or equal to 100)/gs;

const TOO_MANY_WRITES_TAIL =
  "' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25";

function withJavaDump(message: string, body: WireBody): string {
  const end = message.indexOf(TOO_MANY_WRITES_TAIL);
  const start = message.lastIndexOf("Value '{", end);
  if (end < 0 || start < 0 || !isRecord(body.RequestItems)) return message;
  return `${message.slice(0, start)}Value '${javaDump(body.RequestItems)}${message.slice(end)}`;
}

/** A value as DynamoDB's Java service prints it: `{k=v, ...}`, `[a, b]`, records as `{K=v}`. */
function javaDump(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaDump).join(', ')}]`;
  if (isRecord(value))
    return `{${Object.entries(value)
      .map(([key, inner]) => `${key}=${javaDump(inner)}`)
      .join(', ')}}`;
  return String(value);
}

function occurrences(raw: Buffer, text: string): number {
  let count = 0;
  for (let at = raw.indexOf(text); at >= 0; at = raw.indexOf(text, at + text.length)) count += 1;
  return count;
}
