import type { DynaliteClient } from '../dynalite-client';
import {
  assertKeyPaths,
  assertKeyPiece,
  filterHolds,
  withByteOrderedStrings,
  itemSizeOf,
  pageSizeOf,
  projected,
  type ValidatedRequest,
} from '../dynalite-internals';
import { validationError } from '../errors';
import { tableWithLayerIndexes } from './multi-key-describe';
import type { LayerIndex, MultiKeyIndexes } from './multi-key-index';
import { compareByAttributes, partitionHash, type TypedAttribute } from './multi-key-order';
import { allAttributesRefused, checkTableStartKey, inPlan, planQuery, startKeyNames } from './multi-key-query-plan';
import { validateRead } from '../validation/read-validation';
import { isRecord, type TableDescription, type WireBody, type WireItem } from '../wire';

/** A Query or Scan page holds at most 1 MB of index entries, as dynalite sizes them. */
const PAGE_BYTES = 1024 * 1024;

/**
 * Query with IndexName naming a layer-served index (a GSI with multi-attribute keys), answered
 * as DynamoDB answers a Query of a GSI: entries of one partition in sort-key order (each
 * sort-key attribute ordered by its type, ties by the table key), ScanIndexForward, Limit and
 * the 1 MB page counted before the filter, LastEvaluatedKey (table key + index key) and
 * ExclusiveStartKey, FilterExpression, ProjectionExpression, Select, ReturnConsumedCapacity.
 */
export async function queryIndex(client: DynaliteClient, indexes: MultiKeyIndexes, body: WireBody): Promise<WireBody> {
  const data = withByteOrderedStrings(() => validateRead('Query', body, { manyKeyConditions: true }));
  const { table, index } = await indexOfRequest(client, indexes, data);
  const plan = planQuery(data, index, tableWithLayerIndexes(table, indexes.indexesOf(table.TableName)));

  const order = [...index.sort, ...tableKeyAttributes(table)];
  const compare = (a: WireItem, b: WireItem) => compareByAttributes(a, b, order);
  const entries = [...index.entries.values()].filter((entry) => inPlan(entry, plan, index)).sort(compare);
  if (data.ScanIndexForward === false) entries.reverse();
  const direction = data.ScanIndexForward === false ? -1 : 1;
  const startKey = data.ExclusiveStartKey as WireItem | undefined;
  const after = startKey ? entries.filter((entry) => compare(entry, startKey) * direction > 0) : entries;
  return page(data, index, table, after);
}

/**
 * Scan with IndexName naming a layer-served index: every entry, partition by partition in the
 * order of a hash of their key (as DynamoDB spreads them), Segment / TotalSegments splitting
 * that hash space as dynalite does, with Limit, pagination, filter, projection and Select.
 */
export async function scanIndex(client: DynaliteClient, indexes: MultiKeyIndexes, body: WireBody): Promise<WireBody> {
  const data = validateRead('Scan', body);
  const { table, index } = await indexOfRequest(client, indexes, data);
  // dynalite's Scan parameters leave ConsistentRead out (so it never refuses one); DynamoDB does for a GSI.
  if (body.ConsistentRead === true) throw validationError('Consistent reads are not supported on global secondary indexes');
  const startKey = isRecord(data.ExclusiveStartKey) ? (data.ExclusiveStartKey as WireItem) : undefined;
  if (startKey) {
    if (Object.keys(startKey).length !== startKeyNames(index, table).length) throw validationError('The provided starting key is invalid');
    for (const [i, { name, type }] of [...index.partition, ...index.sort].entries()) {
      if (!startKey[name]) throw validationError('The provided starting key is invalid');
      assertKeyPiece(startKey, name, type, i < index.partition.length);
    }
  }
  if (data.Select === 'ALL_ATTRIBUTES' && index.projection.ProjectionType !== 'ALL') throw allAttributesRefused(index);
  if (startKey) checkTableStartKey(startKey, table);

  const segment = segmentBounds(data);
  const position = (entry: WireItem) => {
    const hash = partitionHash(entry, index.partition);
    return { entry, hash, bucket: parseInt(hash.slice(0, 3), 16) };
  };
  const order = [...index.partition, ...index.sort, ...tableKeyAttributes(table)];
  type Positioned = ReturnType<typeof position>;
  const compare = (a: Positioned, b: Positioned) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : compareByAttributes(a.entry, b.entry, order));
  if (startKey && segment) {
    const { bucket } = position(startKey);
    if (bucket < segment.first || bucket > segment.last) {
      throw validationError(
        `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${String(data.TotalSegments)} Segment: ${String(data.Segment)}`,
      );
    }
  }
  const tableWithIndexes = tableWithLayerIndexes(table, indexes.indexesOf(table.TableName));
  assertKeyPaths((data._projection as { nestedPaths?: unknown } | undefined)?.nestedPaths, tableWithIndexes);
  assertKeyPaths((data._filter as { nestedPaths?: unknown } | undefined)?.nestedPaths, tableWithIndexes);

  let entries = [...index.entries.values()].map(position);
  if (segment) entries = entries.filter(({ bucket }) => bucket >= segment.first && bucket <= segment.last);
  entries.sort(compare);
  if (startKey) {
    const start = position(startKey);
    entries = entries.filter((entry) => compare(entry, start) > 0);
  }
  return page(
    data,
    index,
    table,
    entries.map(({ entry }) => entry),
  );
}

async function indexOfRequest(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  data: ValidatedRequest,
): Promise<{ table: TableDescription; index: LayerIndex }> {
  const table = await client.describeTable(String(data.TableName));
  const index = indexes.find(table.TableName, data.IndexName);
  // The router sends only reads of a layer-served index here; a table deleted meanwhile is dynalite's answer.
  if (!index) throw validationError(`The table does not have the specified index: ${String(data.IndexName)}`);
  return { table, index };
}

/** The hash buckets (of 4096, as dynalite splits them) of a parallel Scan's segment. */
function segmentBounds(data: ValidatedRequest): { first: number; last: number } | undefined {
  const total = Number(data.TotalSegments ?? 0);
  if (total <= 1) return undefined;
  const segment = Number(data.Segment ?? 0);
  return { first: Math.ceil((4096 * segment) / total), last: Math.ceil((4096 * (segment + 1)) / total) - 1 };
}

function tableKeyAttributes(table: TableDescription): TypedAttribute[] {
  return table.KeySchema.map((element) => ({
    name: element.AttributeName,
    type: table.AttributeDefinitions.find((definition) => definition.AttributeName === element.AttributeName)!.AttributeType,
  }));
}

/**
 * One page of a read, as dynalite builds it for its indexes: entries are read until Limit or
 * 1 MB, then filtered and projected; LastEvaluatedKey is the last entry read when either limit
 * was reached.
 */
function page(data: ValidatedRequest, index: LayerIndex, table: TableDescription, entries: readonly WireItem[]): WireBody {
  const limit = typeof data.Limit === 'number' ? data.Limit : Infinity;
  const rangeKey = table.KeySchema[1]?.AttributeName;
  const read: WireItem[] = [];
  let size = 0;
  let capacity = 0;
  for (const entry of entries) {
    if (read.length >= limit || size >= PAGE_BYTES) break;
    read.push(entry);
    size += pageSizeOf(entry, rangeKey);
    capacity += itemSizeOf(entry);
  }
  const result: WireBody = { ScannedCount: read.length };
  const last = read.at(-1);
  if ((read.length >= limit || size >= PAGE_BYTES) && last) {
    const key: WireItem = {};
    for (const name of startKeyNames(index, table)) key[name] = last[name];
    result.LastEvaluatedKey = key;
  }
  const items = read.filter((entry) => filterHolds(data, entry)).map((entry) => projected(data, entry));
  result.Count = items.length;
  if (data.Select !== 'COUNT') result.Items = items;
  if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
    const indexUnits = Math.ceil(capacity / 1024 / 4) * 0.5;
    const consumed: WireBody = { CapacityUnits: indexUnits, TableName: data.TableName };
    if (data.ReturnConsumedCapacity === 'INDEXES') {
      consumed.Table = { CapacityUnits: 0 };
      consumed.GlobalSecondaryIndexes = { [index.name]: { CapacityUnits: indexUnits } };
    }
    result.ConsumedCapacity = consumed;
  }
  return result;
}
