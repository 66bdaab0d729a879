/** The tables and index a request addresses. */
export interface RequestTargets {
  tables: string[];
  index?: string;
}

/**
 * The tables (and index) of a request's input: `TableName` of item, query, scan and table
 * requests; the keys of `RequestItems` in batches; every action's table in transactions
 * (each once, in order). Empty for ListTables.
 *
 * @example
 * requestTargets({ TableName: 'users', IndexName: 'gsi-email' }); // { tables: ['users'], index: 'gsi-email' }
 * requestTargets({ RequestItems: { users: [], orders: [] } });    // { tables: ['users', 'orders'] }
 */
export function requestTargets(input: Record<string, unknown>): RequestTargets {
  if (typeof input.TableName === 'string') {
    return typeof input.IndexName === 'string' ? { tables: [input.TableName], index: input.IndexName } : { tables: [input.TableName] };
  }
  if (input.RequestItems && typeof input.RequestItems === 'object') return { tables: Object.keys(input.RequestItems) };
  if (Array.isArray(input.TransactItems)) {
    const names = new Set<string>();
    for (const action of input.TransactItems as Array<Record<string, { TableName?: string } | undefined>>) {
      for (const op of Object.values(action)) if (op?.TableName) names.add(op.TableName);
    }
    return { tables: [...names] };
  }
  return { tables: [] };
}
