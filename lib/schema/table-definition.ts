import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  ProvisionedThroughput,
  StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { DynamormError } from '../errors/dynamorm-error';
import type { KeySchema, ModelSchema } from '../metadata/model-schema';

/** Options of `createTable` / `ensureTable`. */
export interface CreateTableOptions {
  /** Default 'PAY_PER_REQUEST', or 'PROVISIONED' when `throughput` is given. */
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** Provisioned capacity for the table and each GSI; default: the connection's defaultThroughput. */
  throughput?: { read: number; write: number };
  /** Enable a stream with this view type. */
  stream?: StreamViewType;
  tags?: Record<string, string>;
}

function keySchema(key: KeySchema): KeySchemaElement[] {
  return [
    ...key.partitionKeys.map((a): KeySchemaElement => ({ AttributeName: a.attributeName, KeyType: 'HASH' })),
    ...key.sortKeys.map((a): KeySchemaElement => ({ AttributeName: a.attributeName, KeyType: 'RANGE' })),
  ];
}

/** The Projection of an index, from `@Index(..., { projection })`. */
export function projectionOf(key: KeySchema): Projection {
  if (key.projection === 'ALL' || key.projection === 'KEYS_ONLY') return { ProjectionType: key.projection };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...key.projection] };
}

/**
 * Every key attribute of the given key schemas, once each, with its type: the table's and its
 * indexes' for CreateTable, one new index's for the UpdateTable that adds it.
 */
export function attributeDefinitions(keys: readonly KeySchema[]): AttributeDefinition[] {
  const seen = new Map<string, AttributeDefinition>();
  for (const key of keys) {
    for (const attr of [...key.partitionKeys, ...key.sortKeys]) {
      if (!seen.has(attr.attributeName)) seen.set(attr.attributeName, { AttributeName: attr.attributeName, AttributeType: attr.keyType! });
    }
  }
  return [...seen.values()];
}

/** The GlobalSecondaryIndex definition of one GSI. */
export function globalIndexDefinition(index: KeySchema, throughput: ProvisionedThroughput | undefined): GlobalSecondaryIndex {
  return {
    IndexName: index.name!,
    KeySchema: keySchema(index),
    Projection: projectionOf(index),
    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
  };
}

/** Resolves the billing mode and throughput of a table. */
export function capacityOf(options: CreateTableOptions, defaultThroughput: { read: number; write: number } | undefined, className: string) {
  const billingMode = options.billingMode ?? (options.throughput ? 'PROVISIONED' : 'PAY_PER_REQUEST');
  if (billingMode === 'PAY_PER_REQUEST') return { billingMode, throughput: undefined };
  const given = options.throughput ?? defaultThroughput;
  if (!given) {
    throw new DynamormError(
      `createTable(${className}): a PROVISIONED table needs throughput: pass { throughput: { read, write } } or set defaultThroughput on connect().`,
    );
  }
  return { billingMode, throughput: { ReadCapacityUnits: given.read, WriteCapacityUnits: given.write } as ProvisionedThroughput };
}

/**
 * The CreateTable request for a model: key schema, attribute definitions, GSIs, LSIs and
 * stream, all from its metadata.
 */
export function tableDefinition(
  schema: ModelSchema,
  tableName: string,
  options: CreateTableOptions,
  defaultThroughput?: { read: number; write: number },
): CreateTableCommandInput {
  const { billingMode, throughput } = capacityOf(options, defaultThroughput, schema.className);
  const gsis = schema.indexes.filter((i) => i.type === 'GSI').map((i) => globalIndexDefinition(i, throughput));
  const lsis: LocalSecondaryIndex[] = schema.indexes
    .filter((i) => i.type === 'LSI')
    .map((i) => ({ IndexName: i.name!, KeySchema: keySchema(i), Projection: projectionOf(i) }));
  return {
    TableName: tableName,
    KeySchema: keySchema(schema.tableKey),
    AttributeDefinitions: attributeDefinitions([schema.tableKey, ...schema.indexes]),
    BillingMode: billingMode,
    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(options.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: options.stream } } : {}),
    ...(options.tags ? { Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
  };
}
