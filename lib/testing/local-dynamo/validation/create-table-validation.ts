import { validateRequest } from '../dynalite-internals';
import { isDynamoError, validationError } from '../errors';
import type { WireBody } from '../wire';

/**
 * CreateTable's TableName with DynamoDB's constraints as constraints: dynalite checks its
 * length apart, before everything else, and words it as one sentence of its own
 * ("TableName must be at least 3 characters long ..."), where DynamoDB lists it with the
 * other broken constraints of the request.
 */
const TABLE_NAME = { type: 'String', required: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 };

/**
 * Throws the ValidationException DynamoDB answers to a CreateTable whose table name or key
 * schema dynalite words otherwise; returns when dynalite may answer the request itself
 * (any other refusal stays dynalite's, as it is). CreateTable is rare enough to be checked
 * every time.
 *
 * - a table name of the wrong length: `Value 'ab' at 'tableName' failed to satisfy
 *   constraint: ...`, among the request's other constraint errors;
 * - more than 2 KeySchema elements: DynamoDB prints the elements as
 *   `KeySchemaElement(attributeName=pk, keyType=HASH)`, dynalite as JSON. (Only the table's
 *   own key schema: an index's may hold more elements.)
 */
export function validateCreateTable(body: WireBody): void {
  try {
    validateRequest('createTable', body, { TableName: TABLE_NAME });
  } catch (err) {
    if (!isDynamoError(err, 'ValidationException')) throw err;
    const message = withKeySchemaElements(err.message, body.KeySchema);
    if (message !== err.message) throw validationError(message);
    if (err.message.includes("at 'tableName'")) throw err;
  }
}

const KEY_SCHEMA_TOO_LONG = "' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2";

function withKeySchemaElements(message: string, keySchema: unknown): string {
  const end = message.indexOf(KEY_SCHEMA_TOO_LONG);
  const start = message.lastIndexOf("Value '[", end);
  if (end < 0 || start < 0 || !Array.isArray(keySchema)) return message;
  const elements = keySchema.map((element: { AttributeName?: unknown; KeyType?: unknown } | null) => {
    return `KeySchemaElement(attributeName=${String(element?.AttributeName)}, keyType=${String(element?.KeyType)})`;
  });
  return `${message.slice(0, start)}Value '[${elements.join(', ')}]${message.slice(end)}`;
}
