/**
 * Shapes as they travel in DynamoDB's JSON protocol. They differ from the SDK's
 * `AttributeValue` in one way that matters here: binaries are base64 strings, so
 * request bodies can be passed to dynalite verbatim without re-encoding.
 */

/** One attribute value on the wire, e.g. `{ S: 'x' }`, `{ N: '1' }`, `{ B: 'AAE=' }`. */
type WireValue = Record<string, unknown>;

/** An item or key on the wire. */
export type WireItem = Record<string, WireValue>;

/** A parsed JSON request or response body. */
export type WireBody = Record<string, unknown>;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

interface Projection {
  ProjectionType?: string;
  NonKeyAttributes?: string[];
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  IndexStatus?: string;
}

/** The part of DescribeTable's `Table` this layer reads. */
export interface TableDescription {
  TableName: string;
  TableArn?: string;
  TableStatus?: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  LocalSecondaryIndexes?: IndexDescription[];
  GlobalSecondaryIndexes?: IndexDescription[];
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  StreamSpecification?: unknown;
  SSEDescription?: unknown;
  TableClassSummary?: unknown;
  DeletionProtectionEnabled?: boolean;
}

/** Whether `value` is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so two equal requests compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The key attributes of `item` under `keySchema`. */
export function keyOf(item: WireItem, keySchema: KeySchemaElement[]): WireItem {
  const key: WireItem = {};
  for (const { AttributeName } of keySchema) key[AttributeName] = item[AttributeName];
  return key;
}
