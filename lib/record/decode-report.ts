import { getConnection } from '../connection/connection-context';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import type { DecodeIssue } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey, keyOfItem } from '../marshal/key-codec';
import { stateOf } from './instance-state';

/**
 * What a read does with stored values it could not decode: by default the read succeeds, the properties stay undefined, `decodeErrors()` lists
 * them and the connection's logger hears of it; with `connect({ strictReads: true })` the
 * read throws instead.
 */
export function reportDecodeIssues(schema: ModelSchema, item: StoredItem, model: object, issues: DecodeIssue[]): void {
  const conn = getConnection();
  const where = `${schema.className} (${formatKey(keyOfItem(item, schema.tableKey))})`;
  const error = new ValidationError(
    `${where}: ${issues.map((issue) => issue.message).join('; ')}. The stored value${issues.length > 1 ? 's were' : ' was'} left as ${issues.length > 1 ? 'they are' : 'it is'}.`,
    issues.map((issue) => ({ property: issue.property, value: issue.raw, constraints: { decode: issue.message } })),
  );
  if (conn.config.strictReads) throw error;
  stateOf(model).decodeIssues = issues;
  conn.config.logger?.({ operation: 'Decode', table: conn.tableName(schema.table), durationMs: 0, attempts: 0, error });
}
