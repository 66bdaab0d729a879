import type { DynaliteClient } from '../dynalite-client';
import { validateRequest } from '../dynalite-internals';
import { isDynamoError } from '../errors';
import type { AttributeDefinition, IndexDescription, TableDescription, WireBody, WireItem } from '../wire';

const BATCH_SIZE = 25;
const POLL_MS = 2;
const POLL_LIMIT = 5000;

/**
 * Re-creates a table with a changed definition and the same items and tags.
 *
 * dynalite cannot add or drop an index on a live table, so the table is dropped
 * and created again. The caller holds the exclusive lock, so no request sees the
 * table while it is missing. The new definition is validated first; if creating
 * or filling it still fails, the original table is put back before the error is
 * passed on.
 */
export async function rebuildTable(client: DynaliteClient, table: TableDescription, next: TableDescription): Promise<void> {
  const original = createTableRequest(table);
  const replacement = createTableRequest(next);
  validateRequest('createTable', replacement);

  const items = await client.scanAll(table.TableName);
  const tags = await listTags(client, table);
  await dropTable(client, table.TableName);
  try {
    await createAndFill(client, replacement, items, tags);
  } catch (err) {
    await dropTable(client, table.TableName).catch(() => undefined);
    await createAndFill(client, original, items, tags);
    throw err;
  }
}

/** The CreateTable request that gives back `table`'s definition. */
function createTableRequest(table: TableDescription): WireBody {
  const onDemand = table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  const throughput = (value: IndexDescription['ProvisionedThroughput']) =>
    !onDemand && value && (value.ReadCapacityUnits ?? 0) >= 1 && (value.WriteCapacityUnits ?? 0) >= 1
      ? { ReadCapacityUnits: value.ReadCapacityUnits, WriteCapacityUnits: value.WriteCapacityUnits }
      : undefined;
  const index = (description: IndexDescription, withThroughput: boolean) => ({
    IndexName: description.IndexName,
    KeySchema: description.KeySchema,
    Projection: description.Projection,
    ...(withThroughput ? { ProvisionedThroughput: throughput(description.ProvisionedThroughput) } : {}),
  });
  const lsis = table.LocalSecondaryIndexes ?? [];
  const gsis = table.GlobalSecondaryIndexes ?? [];
  return {
    TableName: table.TableName,
    KeySchema: table.KeySchema,
    AttributeDefinitions: usedDefinitions(table),
    LocalSecondaryIndexes: lsis.length > 0 ? lsis.map((lsi) => index(lsi, false)) : undefined,
    GlobalSecondaryIndexes: gsis.length > 0 ? gsis.map((gsi) => index(gsi, true)) : undefined,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ProvisionedThroughput: throughput(table.ProvisionedThroughput),
    StreamSpecification: table.StreamSpecification,
  };
}

/** DynamoDB refuses definitions no key uses, so a dropped index takes its attributes with it. */
function usedDefinitions(table: TableDescription): AttributeDefinition[] {
  const used = new Set<string>();
  const schemas = [table.KeySchema, ...[...(table.LocalSecondaryIndexes ?? []), ...(table.GlobalSecondaryIndexes ?? [])].map((i) => i.KeySchema)];
  for (const schema of schemas) for (const element of schema) used.add(element.AttributeName);
  return table.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName));
}

async function listTags(client: DynaliteClient, table: TableDescription): Promise<unknown[]> {
  if (!table.TableArn) return [];
  const out = await client.call<{ Tags?: unknown[] }>('ListTagsOfResource', { ResourceArn: table.TableArn });
  return out.Tags ?? [];
}

async function createAndFill(client: DynaliteClient, request: WireBody, items: WireItem[], tags: unknown[]): Promise<void> {
  const tableName = String(request.TableName);
  const created = await client.call<{ TableDescription: TableDescription }>('CreateTable', request);
  await waitUntilActive(client, tableName);
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    const puts = items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
    await client.call('BatchWriteItem', { RequestItems: { [tableName]: puts } });
  }
  if (tags.length > 0 && created.TableDescription.TableArn) {
    await client.call('TagResource', { ResourceArn: created.TableDescription.TableArn, Tags: tags });
  }
}

/**
 * Waits until dynalite has finished a table state change. Its CreateTable and
 * UpdateTable finish on a timer that writes the whole table definition back, so a
 * rebuild started before that timer fires would be overwritten by it.
 */
export async function waitUntilActive(client: DynaliteClient, tableName: string): Promise<void> {
  await waitFor(async () => {
    const table = await client.describeTable(tableName);
    return table.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
  });
}

async function dropTable(client: DynaliteClient, tableName: string): Promise<void> {
  await client.call('DeleteTable', { TableName: tableName });
  await waitFor(async () => {
    try {
      await client.describeTable(tableName);
      return false;
    } catch (err) {
      if (isDynamoError(err, 'ResourceNotFoundException')) return true;
      throw err;
    }
  });
}

/** Polls briefly: dynalite finishes table state changes on a zero-delay timer. */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < POLL_LIMIT; attempt += 1) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error('local DynamoDB: table did not settle');
}
