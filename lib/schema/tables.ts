import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import { getConnection } from '../connection/connection-context';
import { invoke } from '../connection/invoke';
import { schemaOf } from '../metadata/registry';
import type { ModelSchema } from '../metadata/model-schema';
import { tableDefinition, type CreateTableOptions } from './table-definition';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The table's description, or undefined when it does not exist. */
export async function findTable(schema: ModelSchema, action: string): Promise<TableDescription | undefined> {
  const conn = getConnection();
  const TableName = conn.tableName(schema.table);
  try {
    return (await invoke(conn, 'describeTable', { TableName }))?.Table;
  } catch (error) {
    if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
    throw translateError(error, { action: `${action}(${schema.className})`, table: TableName });
  }
}

/**
 * Creates the model's table from its metadata (keys, GSIs, LSIs, stream). Does not wait.
 *
 * @example
 * await createTable(User, { billingMode: 'PAY_PER_REQUEST', stream: 'NEW_AND_OLD_IMAGES' });
 * await createTable(Order, { billingMode: 'PROVISIONED', throughput: { read: 5, write: 5 } });
 */
export async function createTable(model: Function, options: CreateTableOptions = {}): Promise<TableDescription | undefined> {
  const schema = schemaOf(model);
  const conn = getConnection();
  const params = tableDefinition(schema, conn.tableName(schema.table), options, conn.config.defaultThroughput);
  try {
    return (await invoke(conn, 'createTable', params))?.TableDescription;
  } catch (error) {
    throw translateError(error, { action: `createTable(${schema.className})`, table: params.TableName, params });
  }
}

/**
 * The table's description as DynamoDB gives it; a DynamormError naming the table when it does not exist.
 *
 * @example
 * const { ItemCount } = await describeTable(User);
 */
export async function describeTable(model: Function): Promise<TableDescription> {
  const schema = schemaOf(model);
  const found = await findTable(schema, 'describeTable');
  if (!found) throw new DynamormError(`describeTable(${schema.className}): table '${getConnection().tableName(schema.table)}' does not exist.`);
  return found;
}

/**
 * Deletes the model's table (and every item in it) and waits until it is gone, so that
 * creating it again right after does not meet a table still being deleted.
 *
 * @example
 * await deleteTable(User);
 * await deleteTable(User, { ifExists: true });
 */
export async function deleteTable(model: Function, options: { ifExists?: boolean } = {}): Promise<void> {
  const schema = schemaOf(model);
  const conn = getConnection();
  const TableName = conn.tableName(schema.table);
  try {
    await invoke(conn, 'deleteTable', { TableName });
  } catch (error) {
    if (options.ifExists && awsErrorName(error) === 'ResourceNotFoundException') return;
    throw translateError(error, { action: `deleteTable(${schema.className})`, table: TableName });
  }
  await waitFor(schema, 'deleteTable', 'deleted', (table) => table === undefined);
}

/** Polls DescribeTable (with backoff) until `done` holds of the description (undefined: no table). */
async function waitFor(
  schema: ModelSchema,
  action: string,
  what: string,
  done: (table: TableDescription | undefined) => boolean,
  timeoutMs = 300_000,
): Promise<TableDescription | undefined> {
  const started = Date.now();
  for (let delay = 20; ; delay = Math.min(delay * 2, 2_000)) {
    const table = await findTable(schema, action);
    if (done(table)) return table;
    if (Date.now() - started > timeoutMs) {
      throw new DynamormError(
        `${action}(${schema.className}): table '${getConnection().tableName(schema.table)}' is not ${what} after ${timeoutMs} ms (status ${table?.TableStatus ?? 'missing'}).`,
      );
    }
    await sleep(delay);
  }
}

/** Polls DescribeTable until the table and its indexes are ACTIVE. */
export async function waitUntilActive(schema: ModelSchema, timeoutMs = 300_000, action = 'ensureTable'): Promise<TableDescription> {
  const isActive = (table: TableDescription | undefined) =>
    table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
  return (await waitFor(schema, action, 'ACTIVE', isActive, timeoutMs))!;
}

/**
 * What the model's @TTL needs on its table: nothing, enabling (DescribeTimeToLive says it is
 * disabled), or `conflict`: TTL on another attribute, or being disabled, which only a person
 * can resolve.
 */
export async function timeToLiveNeeds(schema: ModelSchema, action: string): Promise<{ enable: boolean; conflict?: string }> {
  if (!schema.ttl) return { enable: false };
  const conn = getConnection();
  const TableName = conn.tableName(schema.table);
  let described;
  try {
    described = (await invoke(conn, 'describeTimeToLive', { TableName }))?.TimeToLiveDescription;
  } catch (error) {
    throw translateError(error, { action, table: TableName });
  }
  const status = described?.TimeToLiveStatus ?? 'DISABLED';
  if (status === 'ENABLED' || status === 'ENABLING') {
    if (described?.AttributeName && described.AttributeName !== schema.ttl.attributeName) {
      return {
        enable: false,
        conflict: `TTL on '${TableName}' is enabled on '${described.AttributeName}', but ${schema.className} declares @TTL on '${schema.ttl.attributeName}'. Disable it first.`,
      };
    }
    return { enable: false };
  }
  if (status === 'DISABLING') {
    return { enable: false, conflict: `TTL on '${TableName}' is being disabled; DynamoDB allows re-enabling it only after that completes (up to an hour).` };
  }
  return { enable: true };
}

/** Enables TTL on the model's @TTL attribute. */
export async function enableTimeToLive(schema: ModelSchema, action: string): Promise<void> {
  const conn = getConnection();
  const TableName = conn.tableName(schema.table);
  try {
    await invoke(conn, 'updateTimeToLive', { TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: schema.ttl!.attributeName } });
  } catch (error) {
    throw translateError(error, { action, table: TableName });
  }
}

async function ensureTimeToLive(schema: ModelSchema): Promise<void> {
  const action = `ensureTable(${schema.className})`;
  const needs = await timeToLiveNeeds(schema, action);
  if (needs.conflict) throw new DynamormError(`${action}: ${needs.conflict}`);
  if (needs.enable) await enableTimeToLive(schema, action);
}

/**
 * Idempotent: creates the table when it is missing, waits until it is ACTIVE, and
 * enables TTL on the @TTL attribute when it is disabled.
 *
 * @example
 * await ensureTable(User);
 */
export async function ensureTable(model: Function, options: CreateTableOptions = {}): Promise<TableDescription> {
  const schema = schemaOf(model);
  if (!(await findTable(schema, 'ensureTable'))) {
    try {
      await createTable(model, options);
    } catch (error) {
      // Another process may have created it between our describe and create.
      if (!(error instanceof DynamormError && awsErrorName(error.cause) === 'ResourceInUseException')) throw error;
    }
  }
  const table = await waitUntilActive(schema);
  await ensureTimeToLive(schema);
  return table;
}
