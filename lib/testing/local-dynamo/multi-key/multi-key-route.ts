import type { DynaliteClient } from '../dynalite-client';
import type { MultiKeyIndexes } from './multi-key-index';
import { queryIndex, scanIndex } from './multi-key-read';
import { createsMultiKeyIndex } from './multi-key-schema';
import { createTable, deleteTable, describeTable, updateTable } from './multi-key-tables';
import { parseBody } from '../http-io';
import type { WireBody } from '../wire';

/** A request the layer answers for its multi-attribute-key indexes; `exclusive` ones change tables. */
export interface MultiKeyRoute {
  exclusive: boolean;
  run(): Promise<WireBody>;
}

type Serve = (client: DynaliteClient, indexes: MultiKeyIndexes, body: WireBody) => Promise<WireBody>;

const TABLE_OPERATIONS: Record<string, { exclusive: boolean; serve: Serve } | undefined> = {
  CreateTable: { exclusive: true, serve: createTable },
  UpdateTable: { exclusive: true, serve: updateTable },
  DeleteTable: { exclusive: true, serve: deleteTable },
  DescribeTable: { exclusive: false, serve: describeTable },
};

/**
 * Which requests the layer answers because of GSIs with multi-attribute keys: a CreateTable or
 * UpdateTable creating one; and, for a table that has one, its UpdateTable, DeleteTable and
 * DescribeTable, and a Query or Scan of that index. Everything else goes on as before; while
 * no table has such an index, only CreateTable and UpdateTable requests are even parsed here.
 * `forgetTable` is told of a table deleted or created anew (its TTL setting goes with it).
 */
export function multiKeyRoute(
  client: DynaliteClient,
  indexes: MultiKeyIndexes,
  operation: string,
  raw: Buffer,
  forgetTable: (tableName: string) => void,
): MultiKeyRoute | undefined {
  const table = TABLE_OPERATIONS[operation];
  const read = operation === 'Query' || operation === 'Scan';
  if (!table && !read) return undefined;
  const mayCreate = (operation === 'CreateTable' || operation === 'UpdateTable') && raw.includes('GlobalSecondaryIndex');
  if (!indexes.watchesAny() && !mayCreate) return undefined;
  if (read && !raw.includes('"IndexName"')) return undefined;

  const body = parseBody(raw);
  if (!body) return undefined;
  const tableName = typeof body.TableName === 'string' ? body.TableName : undefined;
  if (read) {
    if (tableName === undefined || !indexes.find(tableName, body.IndexName)) return undefined;
    return { exclusive: false, run: () => (operation === 'Query' ? queryIndex : scanIndex)(client, indexes, body) };
  }
  if (!table || !(createsMultiKeyIndex(operation, body) || (tableName !== undefined && operation !== 'CreateTable' && indexes.watches(tableName))))
    return undefined;
  return {
    exclusive: table.exclusive,
    run: async () => {
      const out = await table.serve(client, indexes, body);
      if (tableName !== undefined && (operation === 'CreateTable' || operation === 'DeleteTable')) forgetTable(tableName);
      return out;
    },
  };
}
