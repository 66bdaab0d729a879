import { itemIdentity } from '../dynalite-internals';
import { validationError } from '../errors';
import type { ChangeConsumer, ItemChange } from '../item-changes';
import type { TypedAttribute } from './multi-key-order';
import type { AttributeDefinition, IndexDescription, KeySchemaElement, TableDescription, WireItem } from '../wire';

/** A GSI with multi-attribute keys, as the layer keeps it: its definition and its entries. */
export interface LayerIndex {
  readonly name: string;
  readonly keySchema: KeySchemaElement[];
  /** The partition-key attributes, in key order. */
  readonly partition: TypedAttribute[];
  /** The sort-key attributes, in key order. */
  readonly sort: TypedAttribute[];
  readonly projection: IndexDescription['Projection'];
  readonly throughput?: IndexDescription['ProvisionedThroughput'];
  /** The definitions of its key attributes. */
  readonly definitions: AttributeDefinition[];
  /** The items in the index, as projected, by dynalite's identity of their table key. */
  readonly entries: Map<string, WireItem>;
}

/** What the layer keeps of one table: its layer-served indexes and the order of all its GSIs. */
interface LayerTable {
  indexes: LayerIndex[];
  /** Every GSI name of the table (dynalite's too) in the order they were created, as DescribeTable lists them. */
  order: string[];
}

/** A new, empty layer index. */
export function layerIndex(
  definition: Pick<IndexDescription, 'IndexName' | 'KeySchema' | 'Projection' | 'ProvisionedThroughput'>,
  definitions: AttributeDefinition[],
): LayerIndex {
  const typed = (role: 'HASH' | 'RANGE') =>
    definition.KeySchema.filter((element) => element.KeyType === role).map((element) => ({
      name: element.AttributeName,
      type: definitions.find((known) => known.AttributeName === element.AttributeName)!.AttributeType,
    }));
  return {
    name: definition.IndexName,
    keySchema: definition.KeySchema,
    partition: typed('HASH'),
    sort: typed('RANGE'),
    projection: definition.Projection,
    throughput: definition.ProvisionedThroughput,
    definitions,
    entries: new Map(),
  };
}

/**
 * The GSIs with multi-attribute keys, which the layer serves itself, kept in memory beside
 * dynalite's tables (never in them, so nothing of theirs shows in an item, its size or a stream).
 * A consumer of every write to their tables: a write giving an index key attribute the wrong
 * type is refused, and each change moves the item in or out of each index. An item that lacks
 * any key attribute of an index is not in it.
 */
export class MultiKeyIndexes implements ChangeConsumer {
  private readonly tables = new Map<string, LayerTable>();

  watchesAny(): boolean {
    return this.tables.size > 0;
  }

  watches(tableName: string): boolean {
    return this.tables.has(tableName);
  }

  /** The layer-served indexes of a table (none for a table the layer does not watch). */
  indexesOf(tableName: string): readonly LayerIndex[] {
    return this.tables.get(tableName)?.indexes ?? [];
  }

  /** The layer-served index `indexName` of a table, if there is one. */
  find(tableName: string, indexName: unknown): LayerIndex | undefined {
    return this.indexesOf(tableName).find((index) => index.name === indexName);
  }

  /** The table's GSI names in creation order (empty for a table the layer does not watch). */
  orderOf(tableName: string): readonly string[] {
    return this.tables.get(tableName)?.order ?? [];
  }

  /** Starts watching a new table with `indexes`; `order` lists all its GSIs as created. */
  createTable(tableName: string, indexes: LayerIndex[], order: string[]): void {
    this.tables.set(tableName, { indexes, order });
  }

  /** Adds an index to a table (watching it from now on), filled from the table's `items`. */
  addIndex(table: TableDescription, index: LayerIndex, items: readonly WireItem[], order: readonly string[]): void {
    const entry = this.tables.get(table.TableName) ?? { indexes: [], order: [...order] };
    for (const item of items) if (fitsIndex(item, index)) index.entries.set(itemIdentity(table.TableName, item, table), entryOf(item, index, table));
    entry.indexes.push(index);
    if (!entry.order.includes(index.name)) entry.order.push(index.name);
    this.tables.set(table.TableName, entry);
  }

  /** Records that a GSI of dynalite's was created on a watched table, for DescribeTable's order. */
  noteIndexCreated(tableName: string, indexName: string): void {
    const entry = this.tables.get(tableName);
    if (entry && !entry.order.includes(indexName)) entry.order.push(indexName);
  }

  /** Forgets an index (dynalite's or the layer's); a table left with no layer index is no longer watched. */
  removeIndex(tableName: string, indexName: string): void {
    const entry = this.tables.get(tableName);
    if (!entry) return;
    entry.indexes = entry.indexes.filter((index) => index.name !== indexName);
    entry.order = entry.order.filter((name) => name !== indexName);
    if (entry.indexes.length === 0) this.tables.delete(tableName);
  }

  /** Forgets a deleted table. */
  dropTable(tableName: string): void {
    this.tables.delete(tableName);
  }

  /** Refuses a new image whose key attribute of an index has the wrong type, or is empty. */
  vet(change: ItemChange): void {
    const item = change.newImage;
    if (!item) return;
    for (const index of this.indexesOf(change.tableName)) {
      for (const { name, type } of [...index.partition, ...index.sort]) {
        const value = item[name];
        if (value == null) continue;
        if (value[type] == null) {
          throw validationError(
            `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${type} Actual: ${Object.keys(value)[0]} IndexName: ${index.name}`,
          );
        }
        if (value[type] === '' && type !== 'N') {
          throw validationError(
            `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${type === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${name}`,
          );
        }
      }
    }
  }

  record(changes: readonly ItemChange[], table: (tableName: string) => TableDescription): void {
    for (const change of changes) {
      const description = table(change.tableName);
      const id = itemIdentity(change.tableName, change.keys, description);
      for (const index of this.indexesOf(change.tableName)) {
        index.entries.delete(id);
        if (change.newImage && fitsIndex(change.newImage, index)) index.entries.set(id, entryOf(change.newImage, index, description));
      }
    }
  }
}

/** Whether an item belongs in the index: every key attribute present, of its type, not empty. */
function fitsIndex(item: WireItem, index: LayerIndex): boolean {
  return [...index.partition, ...index.sort].every(({ name, type }) => {
    const value = item[name]?.[type];
    return typeof value === 'string' && (value !== '' || type === 'N');
  });
}

/** The item as the index holds it: whole for ALL, else the table and index keys and the included attributes. */
function entryOf(item: WireItem, index: LayerIndex, table: TableDescription): WireItem {
  if (index.projection.ProjectionType === 'ALL') return item;
  const names = [
    ...table.KeySchema.map((element) => element.AttributeName),
    ...index.keySchema.map((element) => element.AttributeName),
    ...(index.projection.ProjectionType === 'INCLUDE' ? (index.projection.NonKeyAttributes ?? []) : []),
  ];
  const entry: WireItem = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}
