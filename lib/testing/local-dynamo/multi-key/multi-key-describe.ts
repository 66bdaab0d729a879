import type { LayerIndex, MultiKeyIndexes } from './multi-key-index';
import { isRecord, type AttributeDefinition, type IndexDescription, type TableDescription, type WireBody } from '../wire';

/**
 * A table description (DescribeTable's `Table`, or the `TableDescription` of a CreateTable,
 * UpdateTable or DeleteTable answer) as DynamoDB gives it for a table with GSIs the layer
 * serves: those indexes listed among dynalite's, in the order the GSIs were created, with
 * their key schema as given, their attribute definitions, and the fields dynalite gives its own
 * GSIs (ARN, status, counts and sizes as dynalite reports them, throughput). A table the layer
 * does not watch is returned as it is.
 */
export function describedWithLayerIndexes<T extends object>(table: T, indexes: MultiKeyIndexes): T {
  const description = table as WireBody;
  const tableName = description.TableName;
  if (typeof tableName !== 'string' || !indexes.watches(tableName)) return table;
  const own = indexes.indexesOf(tableName);
  const status = description.TableStatus === 'CREATING' || description.TableStatus === 'DELETING' ? description.TableStatus : 'ACTIVE';
  const arn = typeof description.TableArn === 'string' ? description.TableArn : undefined;
  const gsis = [
    ...(Array.isArray(description.GlobalSecondaryIndexes) ? (description.GlobalSecondaryIndexes as WireBody[]) : []),
    ...own.map((index) => indexDescription(index, arn, status)),
  ];
  const order = indexes.orderOf(tableName);
  const rank = (gsi: WireBody) => {
    const at = order.indexOf(String(gsi.IndexName));
    return at < 0 ? order.length : at;
  };
  gsis.sort((a, b) => rank(a) - rank(b));
  const definitions = withDefinitions(Array.isArray(description.AttributeDefinitions) ? (description.AttributeDefinitions as AttributeDefinition[]) : [], own);
  return { ...description, AttributeDefinitions: definitions, GlobalSecondaryIndexes: gsis } as T;
}

/**
 * The table as dynalite's own checks must see it to cover the layer's indexes too (key
 * attributes of an index may not be nested into by an expression, for one).
 */
export function tableWithLayerIndexes(table: TableDescription, indexes: readonly LayerIndex[]): TableDescription {
  const layer: IndexDescription[] = indexes.map((index) => ({ IndexName: index.name, KeySchema: index.keySchema, Projection: index.projection }));
  return {
    ...table,
    AttributeDefinitions: withDefinitions(table.AttributeDefinitions, indexes),
    GlobalSecondaryIndexes: [...(table.GlobalSecondaryIndexes ?? []), ...layer],
  };
}

function withDefinitions(definitions: AttributeDefinition[], indexes: readonly LayerIndex[]): AttributeDefinition[] {
  const merged = [...definitions];
  for (const index of indexes) {
    for (const definition of index.definitions) {
      if (!merged.some((known) => known.AttributeName === definition.AttributeName)) merged.push({ ...definition });
    }
  }
  return merged;
}

function indexDescription(index: LayerIndex, tableArn: string | undefined, status: string): WireBody {
  const throughput = isRecord(index.throughput) ? index.throughput : {};
  return {
    IndexName: index.name,
    KeySchema: index.keySchema.map((element) => ({ ...element })),
    Projection: structuredClone(index.projection),
    ...(tableArn ? { IndexArn: `${tableArn}/index/${index.name}` } : {}),
    // dynalite reports 0 for its own GSIs (DynamoDB refreshes these about every six hours).
    IndexSizeBytes: 0,
    ItemCount: 0,
    IndexStatus: status,
    ProvisionedThroughput: {
      ReadCapacityUnits: throughput.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: throughput.WriteCapacityUnits ?? 0,
      NumberOfDecreasesToday: 0,
    },
  };
}
