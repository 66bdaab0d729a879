import type { Connection } from '../connection/connection';
import { invoke } from '../connection/invoke';
import { translateError } from '../errors/translate-error';
import type { StoredItem } from '../marshal/stored-item';
import type { CompiledRequest, RequestParams } from './compile-request';
import type { QueryState } from './query-state';

/** One DynamoDB page: the items that passed the filters, and where the next page starts. */
export interface ReadPage {
  readonly items: readonly StoredItem[];
  readonly lastKey?: StoredItem;
}

type Reader = (params: RequestParams) => Promise<ReadPage & { count: number }>;

function reader(state: QueryState, compiled: CompiledRequest, conn: Connection): Reader {
  const options = state.signal ? { abortSignal: state.signal } : undefined;
  const action = `${state.schema.className}.${state.operation === 'Query' ? 'where' : 'scan'}`;
  return async (params) => {
    try {
      const out =
        compiled.operation === 'Query'
          ? await invoke(conn, 'query', params as Parameters<Connection['query']>[0], options)
          : await invoke(conn, 'scan', params as Parameters<Connection['scan']>[0], options);
      return { items: (out.Items ?? []) as StoredItem[], lastKey: out.LastEvaluatedKey as StoredItem | undefined, count: out.Count ?? out.Items?.length ?? 0 };
    } catch (error) {
      throw translateError(error, { action, table: params.TableName, params });
    }
  };
}

/**
 * DynamoDB's pages of one request, followed lazily from `startKey` to the end (every
 * segment of a parallel scan, concurrently, when the state has segments).
 */
export async function* readPages(state: QueryState, compiled: CompiledRequest, conn: Connection, startKey?: StoredItem): AsyncGenerator<ReadPage> {
  const read = reader(state, compiled, conn);
  if (!state.segments) {
    let key = startKey;
    do {
      const page = await read(key ? { ...compiled.params, ExclusiveStartKey: key } : compiled.params);
      yield page;
      key = page.lastKey;
    } while (key);
    return;
  }
  yield* readSegments(state.segments, compiled.params, read);
}

/** Every segment of a parallel scan: one request in flight per segment, pages yielded as they come. */
async function* readSegments(total: number, params: RequestParams, read: Reader): AsyncGenerator<ReadPage> {
  const next = (segment: number, key?: StoredItem) =>
    read({ ...params, Segment: segment, TotalSegments: total, ...(key ? { ExclusiveStartKey: key } : {}) }).then((page) => ({ segment, page }));
  const inFlight = new Map<number, Promise<{ segment: number; page: ReadPage }>>();
  for (let segment = 0; segment < total; segment++) inFlight.set(segment, next(segment));
  try {
    while (inFlight.size > 0) {
      const { segment, page } = await Promise.race(inFlight.values());
      inFlight.delete(segment);
      if (page.lastKey) inFlight.set(segment, next(segment, page.lastKey));
      yield page;
    }
  } finally {
    // Stopped early (a limit reached, a break, another segment failed): the requests still in
    // flight are abandoned, and a failure of theirs must not surface as an unhandled rejection.
    for (const pending of inFlight.values()) pending.catch(() => undefined);
  }
}

/** The number of matching items (Select COUNT across every page); `compiled` has no projection. */
export async function countItems(state: QueryState, compiled: CompiledRequest, conn: Connection): Promise<number> {
  const params: RequestParams = { ...compiled.params, Select: 'COUNT' };
  const read = reader(state, compiled, conn);
  let total = 0;
  let key: StoredItem | undefined;
  do {
    const page = await read(key ? { ...params, ExclusiveStartKey: key } : params);
    total += page.count;
    key = page.lastKey;
  } while (key);
  return total;
}
