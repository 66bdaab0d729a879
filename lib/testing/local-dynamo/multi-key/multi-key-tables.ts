import { validateCreateTable } from '../validation/create-table-validation';
import type { DynaliteClient } from '../dynalite-client';
import { validateRequest } from '../dynalite-internals';
import { indexAlreadyExists, limitExceeded } from '../errors';
import { describedWithLayerIndexes } from './multi-key-describe';
import { layerIndex, type MultiKeyIndexes } from './multi-key-index';
import { checkKeySchemaConstraints, checkMultiKeySchema, createsMultiKeyIndex, definitionsOf, isMultiKeySchema, standInSchema } from './multi-key-schema';
import { waitUntilActive } from '../tables/table-rebuild';
import { changesIndexes, indexUpdateTypes, mergeDefinitions, updateTableIndexes, withoutIndexChanges } from '../tables/update-table-gsi';
import { isRecord, type AttributeDefinition, type IndexDescription, type KeySchemaElement, type WireBody } from '../wire';

type IndexRequest = Pick<IndexDescription, 'IndexName' | 'KeySchema' | 'Projection' | 'ProvisionedThroughput'>;

/**
 * How the request, once the layer's part is taken out of it, reaches dynalite: by default
 * straight to it; another part of the layer (streams) may pass its own step in.
 */
type InnerCall = (request: WireBody) => Promise<WireBody>;

/**
 * CreateTable with GSIs with multi-attribute keys. The request is validated as DynamoDB
 * validates it: dynalite checks it with a two-element stand-in for each such key schema, then
 * the multi-attribute rules are checked. dynalite creates the table without those indexes
 * (and without the attribute definitions only they use); the layer keeps them.
 */
export async function createTable(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  body: WireBody,
  create: InnerCall = (request) => client.call('CreateTable', request),
): Promise<WireBody> {
  // Called for any CreateTable (as another part's inner step): one without such an index is dynalite's.
  if (!createsMultiKeyIndex('CreateTable', body)) return create(body);
  const gsis = Array.isArray(body.GlobalSecondaryIndexes) ? (body.GlobalSecondaryIndexes as unknown[]) : [];
  gsis.forEach((gsi, i) => isRecord(gsi) && checkKeySchemaConstraints(gsi.KeySchema, `globalSecondaryIndexes.${i + 1}.member.keySchema`));
  const isLayers = (gsi: unknown): gsi is IndexRequest => isRecord(gsi) && isMultiKeySchema(gsi.KeySchema);
  const standIn = { ...body, GlobalSecondaryIndexes: gsis.map((gsi) => (isLayers(gsi) ? { ...gsi, KeySchema: standInSchema(gsi.KeySchema) } : gsi)) };
  validateCreateTable(standIn);
  const data = validateRequest('createTable', standIn);
  const definitions = data.AttributeDefinitions as AttributeDefinition[];
  const layer = gsis.filter(isLayers);
  for (const gsi of layer) checkMultiKeySchema(gsi.KeySchema, definitions);

  const own = gsis.filter((gsi) => !isLayers(gsi)) as IndexRequest[];
  const lsis = Array.isArray(body.LocalSecondaryIndexes) ? (body.LocalSecondaryIndexes as IndexRequest[]) : [];
  const used = new Set(namesOf([body.KeySchema as KeySchemaElement[], ...lsis.map((lsi) => lsi.KeySchema), ...own.map((gsi) => gsi.KeySchema)]));
  const request: WireBody = {
    ...body,
    AttributeDefinitions: (body.AttributeDefinitions as AttributeDefinition[]).filter(
      (definition) => used.has(definition.AttributeName) || !layer.some((gsi) => namesOf([gsi.KeySchema]).includes(definition.AttributeName)),
    ),
    GlobalSecondaryIndexes: own.length > 0 ? own : undefined,
  };
  const out = (await create(request)) as { TableDescription: WireBody };
  const tableName = String(body.TableName);
  const kept = layer.map((gsi) => layerIndex(gsi, definitionsOf(gsi.KeySchema, definitions)));
  indexes.createTable(
    tableName,
    kept,
    gsis.map((gsi) => (gsi as IndexRequest).IndexName),
  );
  return { ...out, TableDescription: describedWithLayerIndexes(out.TableDescription, indexes) };
}

/**
 * UpdateTable on a table with layer-served indexes, or creating one: a GSI with multi-attribute
 * keys is created (filled from the table's items) or deleted here; dynalite's own index changes
 * go through the usual rebuild, which leaves the layer's indexes as they are; every answer shows
 * the layer's indexes. The caller holds the exclusive lock.
 */
export async function updateTable(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  body: WireBody,
  update: InnerCall = (request) => (changesIndexes(request) ? updateTableIndexes(client, request) : client.call('UpdateTable', request)),
): Promise<WireBody> {
  // Called for any UpdateTable (as another part's inner step): one that concerns no such index is dynalite's.
  if (!createsMultiKeyIndex('UpdateTable', body) && !indexes.watches(String(body.TableName))) return update(body);
  const updates = Array.isArray(body.GlobalSecondaryIndexUpdates) ? (body.GlobalSecondaryIndexUpdates as unknown[]) : undefined;
  updates?.forEach((update, i) => {
    if (isRecord(update) && isRecord(update.Create))
      checkKeySchemaConstraints(update.Create.KeySchema, `globalSecondaryIndexUpdates.${i + 1}.member.create.keySchema`);
  });
  const standIn = updates
    ? {
        ...body,
        GlobalSecondaryIndexUpdates: updates.map((update) =>
          isRecord(update) && isRecord(update.Create) && isMultiKeySchema(update.Create.KeySchema)
            ? { ...update, Create: { ...update.Create, KeySchema: standInSchema(update.Create.KeySchema as KeySchemaElement[]) } }
            : update,
        ),
      }
    : body;
  validateRequest('updateTable', standIn, indexUpdateTypes());
  const tableName = String(body.TableName);
  const records = (updates ?? []).filter(isRecord);
  const changes = records.filter((update) => isRecord(update.Create) || isRecord(update.Delete));
  if (changes.length > 1) {
    throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }
  const create = isRecord(changes[0]?.Create) ? (changes[0].Create as unknown as IndexRequest) : undefined;
  const deleted = isRecord(changes[0]?.Delete) ? String(changes[0].Delete.IndexName) : undefined;

  if (create && !isMultiKeySchema(create.KeySchema)) {
    if (indexes.find(tableName, create.IndexName)) throw indexAlreadyExists();
  }
  if ((create && isMultiKeySchema(create.KeySchema)) || (deleted !== undefined && indexes.find(tableName, deleted))) {
    await changeLayerIndex(client, indexes, body, records, create, deleted, update);
  } else {
    await update(body);
    if (create) indexes.noteIndexCreated(tableName, create.IndexName);
    if (deleted !== undefined) indexes.removeIndex(tableName, deleted);
  }
  const TableDescription = await client.describeTable(tableName);
  return { TableDescription: describedWithLayerIndexes(TableDescription as unknown as WireBody, indexes) };
}

async function changeLayerIndex(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  body: WireBody,
  updates: Array<Record<string, unknown>>,
  create: IndexRequest | undefined,
  deleted: string | undefined,
  update: InnerCall,
): Promise<void> {
  const tableName = String(body.TableName);
  await waitUntilActive(client, tableName);
  const table = await client.describeTable(tableName);
  let next: ReturnType<typeof layerIndex> | undefined;
  if (create) {
    const taken = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((index) => index.IndexName);
    if (taken.includes(create.IndexName) || indexes.find(tableName, create.IndexName)) throw indexAlreadyExists();
    const known = mergeDefinitions(
      table.AttributeDefinitions,
      indexes.indexesOf(tableName).flatMap((index) => index.definitions),
    );
    const definitions = mergeDefinitions(known, body.AttributeDefinitions);
    checkMultiKeySchema(create.KeySchema, definitions);
    next = layerIndex(create, definitionsOf(create.KeySchema, definitions));
  }

  const rest = withoutIndexChanges(body, updates);
  if (rest) {
    await update(rest);
    await waitUntilActive(client, tableName);
  }
  if (deleted !== undefined) indexes.removeIndex(tableName, deleted);
  if (next) {
    const items = await client.scanAll(tableName);
    indexes.addIndex(
      table,
      next,
      items,
      (table.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName),
    );
  }
}

/** DeleteTable: dynalite drops the table, the layer its indexes; the answer shows them. */
export async function deleteTable(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  body: WireBody,
  remove: InnerCall = (request) => client.call('DeleteTable', request),
): Promise<WireBody> {
  const out = (await remove(body)) as { TableDescription: WireBody };
  const TableDescription = describedWithLayerIndexes(out.TableDescription, indexes);
  indexes.dropTable(String(body.TableName));
  return { ...out, TableDescription };
}

/** DescribeTable of a table with layer-served indexes. */
export async function describeTable(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  body: WireBody,
  describe: InnerCall = (request) => client.call('DescribeTable', request),
): Promise<WireBody> {
  const out = (await describe(body)) as { Table: WireBody };
  return { ...out, Table: describedWithLayerIndexes(out.Table, indexes) };
}

function namesOf(schemas: Array<KeySchemaElement[] | undefined>): string[] {
  return schemas.flatMap((schema) => (Array.isArray(schema) ? schema.map((element) => element.AttributeName) : []));
}
