import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { getConnection } from '../connection/connection-context';
import { invoke } from '../connection/invoke';
import { DynamormError } from '../errors/dynamorm-error';
import { awsErrorName, translateError } from '../errors/translate-error';
import type { KeySchema, ModelSchema } from '../metadata/model-schema';
import { schemaOf } from '../metadata/registry';
import { diffTable } from './schema-drift';
import { attributeDefinitions, capacityOf, globalIndexDefinition, type CreateTableOptions } from './table-definition';
import { createTable, enableTimeToLive, findTable, timeToLiveNeeds, waitUntilActive } from './tables';

/** A model, or a model with the options its table is created with (as `createTable` takes them). */
export type MigrationTarget = Function | ({ model: Function } & CreateTableOptions);

/** What `autoMigrate` changed, and the differences it left alone. Table names include the connection's prefix. */
export interface MigrationReport {
  /** Tables created. */
  created: string[];
  /** Global secondary indexes added to existing tables. */
  indexesAdded: Array<{ table: string; index: string }>;
  /** Tables whose TTL was enabled. */
  ttlEnabled: string[];
  /** What differs and was not changed (it would need deleting or recreating something). */
  drift: Array<{ table: string; message: string }>;
}

// A new index is backfilled from every item of the table, which takes far longer than a
// table creation on a large table.
const INDEX_TIMEOUT_MS = 60 * 60_000;

/** True when the table bills by provisioned capacity (DynamoDB omits the summary for tables that always did). */
function isProvisioned(table: TableDescription): boolean {
  const mode = table.BillingModeSummary?.BillingMode;
  return mode ? mode === 'PROVISIONED' : (table.ProvisionedThroughput?.ReadCapacityUnits ?? 0) > 0;
}

async function addGlobalIndex(schema: ModelSchema, table: TableDescription, index: KeySchema, options: CreateTableOptions, action: string): Promise<void> {
  const conn = getConnection();
  const TableName = table.TableName!;
  let throughput;
  if (isProvisioned(table)) {
    const given = options.throughput ?? conn.config.defaultThroughput;
    if (!given) {
      throw new DynamormError(
        `${action}: '${TableName}' is a PROVISIONED table, so the new index '${index.name}' needs throughput: ` +
          'pass autoMigrate({ model, throughput: { read, write } }) or set defaultThroughput on connect().',
      );
    }
    throughput = { ReadCapacityUnits: given.read, WriteCapacityUnits: given.write };
  }
  const params = {
    TableName,
    AttributeDefinitions: attributeDefinitions([index]),
    GlobalSecondaryIndexUpdates: [{ Create: globalIndexDefinition(index, throughput) }],
  };
  try {
    await invoke(conn, 'updateTable', params);
  } catch (error) {
    throw translateError(error, { action, table: TableName, params });
  }
  // DynamoDB builds one new index at a time per table: the next waits for this one.
  await waitUntilActive(schema, INDEX_TIMEOUT_MS, action);
}

interface Plan {
  model: Function;
  schema: ModelSchema;
  options: CreateTableOptions;
}

/** Resolves a target, so that a wrong one fails before any table is touched. */
function resolveTarget(target: MigrationTarget): Plan {
  const { model, ...options } = typeof target === 'function' ? { model: target } : ((target ?? {}) as { model?: unknown } & CreateTableOptions);
  if (typeof model !== 'function') {
    throw new DynamormError(
      `autoMigrate: expected a model class or { model, ...createTableOptions }, got ${typeof target === 'object' ? JSON.stringify(target) : String(target)}.`,
    );
  }
  const schema = schemaOf(model);
  // A provisioned table without throughput would fail at its CreateTable, after the tables before it.
  capacityOf(options, getConnection().config.defaultThroughput, schema.className);
  return { model, schema, options };
}

async function migrate({ model, schema, options }: Plan, report: MigrationReport): Promise<void> {
  const action = `autoMigrate(${schema.className})`;
  const name = getConnection().tableName(schema.table);

  let table = await findTable(schema, action);
  if (!table) {
    try {
      await createTable(model, options);
      report.created.push(name);
    } catch (error) {
      // Another process created it between our describe and create: migrate that one.
      if (!(error instanceof DynamormError && awsErrorName(error.cause) === 'ResourceInUseException')) throw error;
    }
  }
  table = await waitUntilActive(schema, undefined, action);

  const diff = diffTable(schema, table);
  for (const message of diff.drift) report.drift.push({ table: name, message });
  if (diff.keyDiffers) return;
  for (const index of diff.missingGlobalIndexes) {
    await addGlobalIndex(schema, table, index, options, action);
    report.indexesAdded.push({ table: name, index: index.name! });
  }

  const ttl = await timeToLiveNeeds(schema, action);
  if (ttl.conflict) report.drift.push({ table: name, message: ttl.conflict });
  if (ttl.enable) {
    await enableTimeToLive(schema, action);
    report.ttlEnabled.push(name);
  }
}

/**
 * Brings each model's table up to its metadata, one table after another: creates a missing
 * table (and waits until it is ACTIVE), adds the GSIs it lacks one UpdateTable at a time,
 * waiting for each to be ACTIVE (a provisioned table's new index gets the target's
 * `throughput`, else the connection's `defaultThroughput`), and enables TTL when
 * DescribeTimeToLive says it is disabled. It never deletes a table or an index: what it
 * cannot change without doing so (a changed table key, a missing or different LSI, a GSI
 * whose key or projection changed) is listed in `drift`, untouched. A second run with the
 * same models changes nothing and returns an empty report.
 *
 * @example
 * const report = await autoMigrate(User, { model: Order, billingMode: 'PROVISIONED', throughput: { read: 5, write: 5 } });
 * // { created: ['orders'], indexesAdded: [{ table: 'users', index: 'byEmail' }], ttlEnabled: [], drift: [] }
 * if (report.drift.length) console.warn(report.drift);
 */
export async function autoMigrate(...targets: MigrationTarget[]): Promise<MigrationReport> {
  const report: MigrationReport = { created: [], indexesAdded: [], ttlEnabled: [], drift: [] };
  const plans = targets.map(resolveTarget);
  for (const plan of plans) await migrate(plan, report);
  return report;
}
