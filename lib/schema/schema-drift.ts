import type { KeySchemaElement, Projection, TableDescription } from '@aws-sdk/client-dynamodb';
import type { KeySchema, ModelSchema } from '../metadata/model-schema';
import { projectionOf } from './table-definition';

/** How a model's table differs from the table DynamoDB has. */
export interface TableDiff {
  /** GSIs the model declares and the table lacks, which UpdateTable can add. */
  missingGlobalIndexes: KeySchema[];
  /** Differences autoMigrate does not fix (DynamoDB cannot change them in place, or only by deleting). */
  drift: string[];
  /** The table's key is not the model's: the table is not the model's table, so nothing else is compared. */
  keyDiffers: boolean;
}

const show = (attr: { attributeName: string; keyType?: string }, role: string) => `${attr.attributeName} (${role}, ${attr.keyType ?? 'S'})`;

/** 'pk (HASH, S), sk (RANGE, N)' of a model key schema. */
function declared(key: KeySchema): string {
  return [...key.partitionKeys.map((a) => show(a, 'HASH')), ...key.sortKeys.map((a) => show(a, 'RANGE'))].join(', ');
}

/** The same rendering of a key schema DynamoDB describes, with the types of its attribute definitions. */
function described(elements: KeySchemaElement[] | undefined, types: ReadonlyMap<string, string>): string {
  return (elements ?? []).map((e) => `${e.AttributeName} (${e.KeyType}, ${types.get(e.AttributeName!) ?? '?'})`).join(', ');
}

function projectionText(projection: Projection | undefined): string {
  if (!projection?.ProjectionType) return 'ALL';
  if (projection.ProjectionType !== 'INCLUDE') return projection.ProjectionType;
  return `INCLUDE ${[...(projection.NonKeyAttributes ?? [])].sort().join(',')}`;
}

/**
 * Compares a model with the description of its table: the GSIs to add, and what differs in
 * a way autoMigrate leaves to a person (the table key, an LSI missing or different, a GSI
 * whose key or projection differs, a key attribute declared with another type). Indexes the
 * table has and the model does not are not drift: another model may share the table.
 */
export function diffTable(schema: ModelSchema, table: TableDescription): TableDiff {
  const types = new Map((table.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, String(d.AttributeType)]));
  const drift: string[] = [];
  const missingGlobalIndexes: KeySchema[] = [];

  const tableKey = described(table.KeySchema, types);
  if (tableKey !== declared(schema.tableKey)) {
    drift.push(
      `key schema differs: the table has ${tableKey}, ${schema.className} declares ${declared(schema.tableKey)}. A table's key cannot change: create a new table and copy the items.`,
    );
    return { missingGlobalIndexes, drift, keyDiffers: true };
  }

  const existing = new Map<string, { type: 'GSI' | 'LSI'; key: string; projection: string }>();
  for (const gsi of table.GlobalSecondaryIndexes ?? [])
    existing.set(gsi.IndexName!, { type: 'GSI', key: described(gsi.KeySchema, types), projection: projectionText(gsi.Projection) });
  for (const lsi of table.LocalSecondaryIndexes ?? [])
    existing.set(lsi.IndexName!, { type: 'LSI', key: described(lsi.KeySchema, types), projection: projectionText(lsi.Projection) });

  for (const index of schema.indexes) {
    const found = existing.get(index.name!);
    const wanted = { key: declared(index), projection: projectionText(projectionOf(index)) };
    if (!found) {
      if (index.type === 'LSI') {
        drift.push(
          `local secondary index '${index.name}' (${wanted.key}) is missing: an LSI can only be created with the table. Create a new table and copy the items, or declare it as a global index.`,
        );
        continue;
      }
      const clash = [...index.partitionKeys, ...index.sortKeys].find(
        (attr) => types.has(attr.attributeName) && types.get(attr.attributeName) !== (attr.keyType ?? 'S'),
      );
      if (clash) {
        drift.push(
          `global secondary index '${index.name}' was not added: attribute ${clash.attributeName} is ${types.get(clash.attributeName)} in the table's other keys, ${schema.className} declares ${clash.keyType ?? 'S'}.`,
        );
        continue;
      }
      missingGlobalIndexes.push(index);
      continue;
    }
    const kind = index.type === 'GSI' ? 'global' : 'local';
    if (found.type !== index.type) {
      drift.push(`index '${index.name}' is a ${found.type === 'GSI' ? 'global' : 'local'} index on the table, ${schema.className} declares a ${kind} one.`);
    } else if (found.key !== wanted.key) {
      drift.push(
        `${kind} secondary index '${index.name}' has key ${found.key}, ${schema.className} declares ${wanted.key}. dynamorm never deletes an index: delete it yourself and run autoMigrate again, or give the new one another name.`,
      );
    } else if (found.projection !== wanted.projection) {
      drift.push(
        `${kind} secondary index '${index.name}' projects ${found.projection}, ${schema.className} declares ${wanted.projection}. A projection cannot change in place: delete the index yourself and run autoMigrate again, or give the new one another name.`,
      );
    }
  }
  return { missingGlobalIndexes, drift, keyDiffers: false };
}
