import type { DynaliteClient } from '../dynalite-client';
import { parameterTypes, validateRequest, type ParameterTypes } from '../dynalite-internals';
import { indexAlreadyExists, limitExceeded, resourceNotFound, validationError } from '../errors';
import { rebuildTable, waitUntilActive } from './table-rebuild';
import { isRecord, type AttributeDefinition, type IndexDescription, type TableDescription, type WireBody } from '../wire';

/** Whether an UpdateTable request creates or deletes a global secondary index (which dynalite ignores). */
export function changesIndexes(body: WireBody): boolean {
  const updates = body.GlobalSecondaryIndexUpdates;
  return Array.isArray(updates) && updates.some((update) => isRecord(update) && (isRecord(update.Create) || isRecord(update.Delete)));
}

/**
 * UpdateTable with a GlobalSecondaryIndexUpdates Create or Delete. The caller
 * holds the exclusive lock. The request is first validated as dynalite validates
 * any UpdateTable (types, constraints, one update per index); any other part of it
 * (throughput, billing mode, index throughput updates) goes to dynalite first, so
 * the rebuilt table keeps it; then the table is rebuilt with the new index set,
 * which is ACTIVE at once.
 */
export async function updateTableIndexes(client: DynaliteClient, body: WireBody): Promise<WireBody> {
  validateRequest('updateTable', body, indexUpdateTypes());
  const tableName = String(body.TableName);
  const updates = (body.GlobalSecondaryIndexUpdates as unknown[]).filter(isRecord);
  const changes = updates.filter((update) => isRecord(update.Create) || isRecord(update.Delete));
  if (changes.length > 1) {
    throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }

  await waitUntilActive(client, tableName);
  let table = await client.describeTable(tableName);
  const next = nextDefinition(table, changes[0], body.AttributeDefinitions);

  const rest = withoutIndexChanges(body, updates);
  if (rest) {
    await client.call('UpdateTable', rest);
    await waitUntilActive(client, tableName);
    table = await client.describeTable(tableName);
    next.ProvisionedThroughput = table.ProvisionedThroughput;
    next.BillingModeSummary = table.BillingModeSummary;
  }

  await rebuildTable(client, table, next);
  const TableDescription = await client.describeTable(tableName);
  return { TableDescription };
}

let indexUpdates: ParameterTypes | undefined;

/**
 * dynalite's GlobalSecondaryIndexUpdates, except that a new index's
 * ProvisionedThroughput may be left out: dynalite's table was written for
 * provisioned tables, and an index on an on-demand table has none.
 */
export function indexUpdateTypes(): ParameterTypes {
  if (!indexUpdates) {
    const updates = structuredClone(parameterTypes('updateTable').GlobalSecondaryIndexUpdates) as TypeNode;
    const create = updates.children?.children?.Create;
    const throughput = create?.children?.ProvisionedThroughput;
    if (!throughput) throw new Error("local DynamoDB: dynalite's UpdateTable parameters have an unexpected shape");
    delete throughput.notNull;
    indexUpdates = { GlobalSecondaryIndexUpdates: updates };
  }
  return indexUpdates;
}

/** One node of dynalite's parameter tables, as far as indexUpdateTypes reads it. */
interface TypeNode {
  notNull?: boolean;
  children?: TypeNode & Record<string, TypeNode | undefined>;
}

/** `table` with the index created or deleted and the request's attribute definitions merged in. */
function nextDefinition(table: TableDescription, change: Record<string, unknown>, definitions: unknown): TableDescription {
  const gsis = table.GlobalSecondaryIndexes ?? [];
  const lsis = table.LocalSecondaryIndexes ?? [];
  if (isRecord(change.Delete)) {
    const name = change.Delete.IndexName;
    if (!gsis.some((gsi) => gsi.IndexName === name)) throw resourceNotFound(`Requested resource not found: Index: ${String(name)} not found`);
    return { ...table, GlobalSecondaryIndexes: gsis.filter((gsi) => gsi.IndexName !== name) };
  }

  const create = change.Create as Record<string, unknown>;
  const name = String(create.IndexName);
  if ([...gsis, ...lsis].some((index) => index.IndexName === name)) {
    throw indexAlreadyExists();
  }
  const index: IndexDescription = {
    IndexName: name,
    KeySchema: create.KeySchema as IndexDescription['KeySchema'],
    Projection: create.Projection as IndexDescription['Projection'],
    ProvisionedThroughput: create.ProvisionedThroughput as IndexDescription['ProvisionedThroughput'],
  };
  return { ...table, AttributeDefinitions: mergeDefinitions(table.AttributeDefinitions, definitions), GlobalSecondaryIndexes: [...gsis, index] };
}

export function mergeDefinitions(current: AttributeDefinition[], requested: unknown): AttributeDefinition[] {
  const merged = [...current];
  for (const definition of Array.isArray(requested) ? requested.filter(isRecord) : []) {
    const existing = merged.find((known) => known.AttributeName === definition.AttributeName);
    if (!existing) merged.push(definition as unknown as AttributeDefinition);
    else if (existing.AttributeType !== definition.AttributeType) {
      throw validationError(
        `One or more parameter values were invalid: Cannot change the type of attribute ${existing.AttributeName}: existing type ${existing.AttributeType}, requested type ${String(definition.AttributeType)}`,
      );
    }
  }
  return merged;
}

/** The request minus index creation/deletion, or undefined when nothing else is asked. */
export function withoutIndexChanges(body: WireBody, updates: Array<Record<string, unknown>>): WireBody | undefined {
  const { AttributeDefinitions: _defs, GlobalSecondaryIndexUpdates: _updates, ...rest } = body;
  const throughputUpdates = updates.filter((update) => isRecord(update.Update));
  if (throughputUpdates.length > 0) rest.GlobalSecondaryIndexUpdates = throughputUpdates;
  const asksMore = Object.keys(rest).some((key) => key !== 'TableName' && rest[key] !== undefined && rest[key] !== null);
  return asksMore ? rest : undefined;
}
