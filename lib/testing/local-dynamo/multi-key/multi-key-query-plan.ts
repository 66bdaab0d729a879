import { assertKey, assertKeyPaths, assertKeyPiece, type ValidatedRequest } from '../dynalite-internals';
import { DynamoError, validationError } from '../errors';
import type { LayerIndex } from './multi-key-index';
import { compareKeyValues, keyBytes, sameKeyValue, type TypedAttribute } from './multi-key-order';
import { isRecord, keyOf, type TableDescription, type WireItem } from '../wire';

type WireValue = WireItem[string];

/** One key condition, as dynalite converts a KeyConditionExpression (or takes KeyConditions). */
interface KeyCondition {
  ComparisonOperator: string;
  AttributeValueList: WireValue[];
}

/** The range condition on the sort-key attribute after the `=` prefix. */
interface RangeCondition {
  attribute: TypedAttribute;
  operator: string;
  values: WireValue[];
}

/** Which entries of a layer-served index a Query reads. */
export interface QueryPlan {
  /** The value of each partition-key attribute. */
  partition: WireItem;
  /** The sort-key attributes with `=`, a prefix of the sort key. */
  sortEquals: WireItem;
  range?: RangeCondition;
}

const NOT_INDEXABLE = ['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'];

/**
 * Validates a Query of a layer-served index as DynamoDB does, in the order dynalite checks
 * a Query of its own indexes, and says which entries it reads. The key condition needs `=` on
 * every partition-key attribute; on the sort-key attributes, left to right, `=` on a prefix
 * and then at most one range condition (`<`, `<=`, `>`, `>=`, BETWEEN, begins_with) on the next.
 * `table` is the table with the layer's indexes (see `tableWithLayerIndexes`).
 *
 * @example
 * // index: HASH tournament, HASH region, RANGE round, RANGE at
 * // 'tournament = :t AND region = :r AND round = :s AND at >= :from'
 * // => { partition: { tournament, region }, sortEquals: { round }, range: { attribute: at, operator: 'GE', ... } }
 */
export function planQuery(data: ValidatedRequest, index: LayerIndex, table: TableDescription): QueryPlan {
  if (data.ConsistentRead) throw validationError('Consistent reads are not supported on global secondary indexes');
  const startKey = isRecord(data.ExclusiveStartKey) ? (data.ExclusiveStartKey as WireItem) : undefined;
  if (startKey && Object.keys(startKey).length !== startKeyNames(index, table).length) throw validationError('The provided starting key is invalid');

  const conditions = (isRecord(data.KeyConditions) ? data.KeyConditions : {}) as Record<string, KeyCondition>;
  const keyNames = new Set(index.keySchema.map((element) => element.AttributeName));
  const plan: QueryPlan = { partition: {}, sortEquals: {} };
  let missing: string | undefined;
  const check = (attribute: TypedAttribute, isHash: boolean) => {
    if (startKey) {
      if (!startKey[attribute.name]) throw validationError('The provided starting key is invalid');
      assertKeyPiece(startKey, attribute.name, attribute.type, isHash);
    }
    const condition = Object.hasOwn(conditions, attribute.name) ? conditions[attribute.name] : undefined;
    if (!condition) {
      if (isHash) throw validationError(`Query condition missed key schema element: ${attribute.name}`);
      missing ??= attribute.name;
      return;
    }
    if (NOT_INDEXABLE.includes(condition.ComparisonOperator)) throw validationError('Attempted conditional constraint is not an indexable operation');
    if (condition.AttributeValueList.some((value) => value[attribute.type] == null)) {
      throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (isHash) {
      if (condition.ComparisonOperator !== 'EQ') throw validationError('Query key condition not supported');
      plan.partition[attribute.name] = condition.AttributeValueList[0];
      return;
    }
    // A sort-key attribute after one without a condition: DynamoDB names the one left out.
    if (missing !== undefined) throw validationError(`Query condition missed key schema element: ${missing}`);
    // ... and after a range condition, none may follow.
    if (plan.range) throw validationError('Query key condition not supported');
    if (condition.ComparisonOperator === 'EQ') plan.sortEquals[attribute.name] = condition.AttributeValueList[0];
    else plan.range = { attribute, operator: condition.ComparisonOperator, values: condition.AttributeValueList };
  };
  for (const attribute of index.partition) check(attribute, true);
  for (const attribute of index.sort) check(attribute, false);
  if (Object.keys(conditions).some((name) => !keyNames.has(name))) {
    throw validationError(missing !== undefined ? `Query condition missed key schema element: ${missing}` : 'Query key condition not supported');
  }

  if (startKey) checkStartKey(startKey, plan, index, table);
  assertKeyPaths((data._projection as { nestedPaths?: unknown } | undefined)?.nestedPaths, table);
  checkFilterKeys(data, index);
  if (data.Select === 'ALL_ATTRIBUTES' && index.projection.ProjectionType !== 'ALL') throw allAttributesRefused(index);
  assertKeyPaths((data._filter as { nestedPaths?: unknown } | undefined)?.nestedPaths, table);
  return plan;
}

/** Whether an entry's value of the range attribute meets the range condition. */
function meetsRange(item: WireItem, range: RangeCondition): boolean {
  const { name, type } = range.attribute;
  const value = item[name];
  const [low, high] = range.values;
  switch (range.operator) {
    case 'LT':
      return compareKeyValues(value, low, type) < 0;
    case 'LE':
      return compareKeyValues(value, low, type) <= 0;
    case 'GT':
      return compareKeyValues(value, low, type) > 0;
    case 'GE':
      return compareKeyValues(value, low, type) >= 0;
    case 'BETWEEN':
      return compareKeyValues(value, low, type) >= 0 && compareKeyValues(value, high, type) <= 0;
    case 'BEGINS_WITH': {
      if (type === 'N') return false;
      const prefix = keyBytes(low[type] as string, type);
      return keyBytes(value[type] as string, type)
        .subarray(0, prefix.length)
        .equals(prefix);
    }
    default:
      return compareKeyValues(value, low, type) === 0;
  }
}

/** Whether an entry is in the partition and on the sort-key prefix and range a Query asks for. */
export function inPlan(item: WireItem, plan: QueryPlan, index: LayerIndex): boolean {
  for (const { name, type } of index.partition) if (!sameKeyValue(item[name], plan.partition[name], type)) return false;
  for (const { name, type } of index.sort) {
    if (Object.hasOwn(plan.sortEquals, name) && !sameKeyValue(item[name], plan.sortEquals[name], type)) return false;
  }
  return !plan.range || meetsRange(item, plan.range);
}

/** An ExclusiveStartKey names the table key and the index key attributes: these, in that order. */
export function startKeyNames(index: LayerIndex, table: TableDescription): string[] {
  const names = table.KeySchema.map((element) => element.AttributeName);
  for (const element of index.keySchema) if (!names.includes(element.AttributeName)) names.push(element.AttributeName);
  return names;
}

/** ALL_ATTRIBUTES reads the table's items, which a GSI cannot. */
export function allAttributesRefused(index: LayerIndex): DynamoError {
  return validationError(
    `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
  );
}

/** The table-key part of a start key must be a valid key of the table. */
export function checkTableStartKey(startKey: WireItem, table: TableDescription): void {
  try {
    assertKey(keyOf(startKey, table.KeySchema), table);
  } catch (err) {
    if (err instanceof DynamoError) throw validationError(`The provided starting key is invalid: ${err.message}`);
    throw err;
  }
}

function checkStartKey(startKey: WireItem, plan: QueryPlan, index: LayerIndex, table: TableDescription): void {
  checkTableStartKey(startKey, table);
  const inPartition = index.partition.every(({ name, type }) => sameKeyValue(startKey[name], plan.partition[name], type));
  if (!inPartition) throw validationError('The provided starting key is outside query boundaries based on provided conditions');
  const onPrefix = index.sort.every(({ name, type }) => !Object.hasOwn(plan.sortEquals, name) || sameKeyValue(startKey[name], plan.sortEquals[name], type));
  if (!onPrefix || (plan.range && !meetsRange(startKey, plan.range))) throw validationError('The provided starting key does not match the range key predicate');
}

/** DynamoDB refuses an index's own key attributes in a Query's filter. */
function checkFilterKeys(data: ValidatedRequest, index: LayerIndex): void {
  const legacy = isRecord(data.QueryFilter) ? data.QueryFilter : undefined;
  const heads = legacy ?? (data._filter as { pathHeads?: Record<string, unknown> } | undefined)?.pathHeads;
  if (!heads) return;
  const key = index.keySchema.find((element) => heads[element.AttributeName]);
  if (key) {
    const parameter = legacy ? 'QueryFilter' : 'Filter Expression';
    throw validationError(`${parameter} can only contain non-primary key attributes: Primary key attribute: ${key.AttributeName}`);
  }
}
