import { getConnection } from '../connection/connection-context';
import { QueryError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';
import { epochSeconds } from '../marshal/attribute-codec';
import type { StoredItem } from '../marshal/stored-item';
import type { ModelInput, ModelProperty } from '../record/active-record';
import { compileRequest, startKeyOf, type CompiledRequest, type RequestParams } from './compile-request';
import { keyAttributeNames, type WhereOperator } from './planner';
import { decodeCursor, encodeCursor } from './cursor';
import { countItems, readPages } from './execute';
import { traced, tracing } from '../connection/traced';
import type { FilterOperator, QueryState } from './query-state';

/** Where a builder gets its model: the schema, and how a stored item becomes an instance. */
export interface QuerySource<M> {
  readonly schema: ModelSchema;
  /** An instance from a stored item (AfterLoad hooks run); `projected`: read with select(), read-only. */
  hydrate(item: StoredItem, projected: boolean): M | Promise<M>;
  /** Deletes every match (the model layer's delete pipeline); the count. */
  deleteAll(matches: AsyncIterable<M>, action: string): Promise<number>;
  /** Assigns `changes` to every match and saves it (the model layer's save pipeline); the count. */
  updateAll(matches: AsyncIterable<M>, changes: object, action: string): Promise<number>;
}

type Value<M, P extends keyof M> = NonNullable<M[P]>;
type Member<M, P extends keyof M> =
  NonNullable<M[P]> extends ReadonlySet<infer T> ? T : NonNullable<M[P]> extends ReadonlyArray<infer T> ? T : NonNullable<M[P]>;

/** An instance read with `select(...)`: only the selected data properties (methods stay). */
export type Selected<M, K extends ModelProperty<M>> = Omit<M, Exclude<ModelProperty<M>, K>>;

/** One page of results: `cursor` resumes after the last item; `hasMore` is true only when another match exists. */
export interface Page<R> {
  items: R[];
  cursor?: string;
  hasMore: boolean;
}

/** What `explain()` returns: the first request, and the planner's notes. */
export interface Explanation {
  operation: 'Query' | 'Scan';
  index?: string;
  params: RequestParams;
  notes: string[];
}

const DEFAULT_PAGE_SIZE = 100;

/**
 * An immutable query (or scan) over one model: every call returns a new builder, so a base
 * query can be shared and branched. Nothing is sent until a terminal method (`all`,
 * `first`, `count`, `page`, or `for await`). `M` is the model conditions refer to, `R` what
 * the results are (the model, or the selected part of it).
 *
 * @example
 * const active = await User.where('status', '=', 'active').filter('age', '>=', 18).limit(10).all();
 * User.where('email', '=', 'a@b.co').toParams();
 * // { TableName: 'users', IndexName: 'gsi-email', KeyConditionExpression: '#n1 = :v1', ... }
 */
export class Query<M, R = M> implements AsyncIterable<R> {
  readonly #source: QuerySource<M>;
  readonly #state: QueryState;

  /** @internal Use `Model.where()`, `Model.query()` or `Model.scan()`. */
  constructor(source: QuerySource<M>, state: QueryState) {
    this.#source = source;
    this.#state = Object.freeze(state);
  }

  #with<R2 = R>(change: Partial<QueryState>): Query<M, R2> {
    return new Query<M, R2>(this.#source, { ...this.#state, ...change });
  }

  #name(method: string): string {
    return `${this.#state.schema.className}.${method}`;
  }

  // The operation of this query's span: `where.all`, `scan.count` (see lib/connection/traced.ts).
  #traceName(method: string): string {
    return `${this.#state.operation === 'Query' ? 'where' : 'scan'}.${method}`;
  }

  /**
   * A condition on a key attribute becomes the key condition; on any other, a filter.
   *
   * @example
   * Metric.where('deviceId', '=', d).where('at', 'between', from, to)
   */
  where<P extends ModelProperty<M>>(property: P, op: '=' | '<' | '<=' | '>' | '>=' | 'begins_with', value: Value<M, P>): Query<M, R>;
  where<P extends ModelProperty<M>>(property: P, op: 'between', low: Value<M, P>, high: Value<M, P>): Query<M, R>;
  where(property: string, op: WhereOperator, ...values: unknown[]): Query<M, R> {
    if (this.#state.operation === 'Scan') throw new QueryError(`${this.#name('scan')}().where(...): a scan has no key condition; use filter(...).`);
    checkOperands(this.#name('where'), property, op, values, ['=', '<', '<=', '>', '>=', 'between', 'begins_with']);
    return this.#with({ where: [...this.#state.where, { property, op, values }] });
  }

  /**
   * A condition applied after the key condition (FilterExpression): structured, or an
   * expression string naming properties, with `:name` params.
   *
   * @example
   * User.where('status', '=', 'active').filter('tags', 'contains', 'vip').filter('email', 'exists')
   */
  filter<P extends ModelProperty<M>>(property: P, op: 'exists' | 'not_exists'): Query<M, R>;
  filter<P extends ModelProperty<M>>(property: P, op: 'contains' | 'not_contains', value: Member<M, P>): Query<M, R>;
  filter<P extends ModelProperty<M>>(property: P, op: 'in', values: ReadonlyArray<Value<M, P>>): Query<M, R>;
  filter<P extends ModelProperty<M>>(property: P, op: 'between', low: Value<M, P>, high: Value<M, P>): Query<M, R>;
  filter<P extends ModelProperty<M>>(property: P, op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'begins_with', value: Value<M, P>): Query<M, R>;
  filter(expression: string, params?: Readonly<Record<string, unknown>>): Query<M, R>;
  filter(first: string, second?: unknown, ...rest: unknown[]): Query<M, R> {
    if (typeof second === 'string') {
      checkOperands(this.#name('filter'), first, second, rest, [
        '=',
        '<>',
        '<',
        '<=',
        '>',
        '>=',
        'between',
        'begins_with',
        'in',
        'contains',
        'not_contains',
        'exists',
        'not_exists',
      ]);
      return this.#with({ filters: [...this.#state.filters, { kind: 'structured', property: first, op: second as FilterOperator, values: rest }] });
    }
    return this.#with({ filters: [...this.#state.filters, { kind: 'expression', text: first, params: (second ?? {}) as Record<string, unknown> }] });
  }

  /** Reads this secondary index instead of letting the planner choose. @example User.query().index('gsi-email') */
  index(name: string): Query<M, R> {
    return this.#with({ index: name });
  }

  /** Orders by the sort key of the key schema read (only that). @example Post.where('authorId', '=', a).orderBy('createdAt', 'desc') */
  orderBy(property: ModelProperty<M>, direction: 'asc' | 'desc' = 'asc'): Query<M, R> {
    if (direction !== 'asc' && direction !== 'desc')
      throw new QueryError(`${this.#name('orderBy')}: direction is 'asc' or 'desc', not '${String(direction)}'.`);
    return this.#with({ orderBy: { property, direction } });
  }

  /** At most `n` results from all(); the page size of page(). @example User.scan().limit(10) */
  limit(n: number): Query<M, R> {
    if (!Number.isInteger(n) || n < 1) throw new QueryError(`${this.#name('limit')}: a positive integer, not ${String(n)}.`);
    return this.#with({ limit: n });
  }

  /** Skips the first `n` matches (they are read, then dropped). @example User.scan().offset(40).limit(20) */
  offset(n: number): Query<M, R> {
    if (!Number.isInteger(n) || n < 0) throw new QueryError(`${this.#name('offset')}: a non-negative integer, not ${String(n)}.`);
    return this.#with({ offset: n });
  }

  /** Reads only these properties (and the keys); the instances are read-only. @example User.scan().select('id', 'name') */
  select<K extends ModelProperty<M>>(...properties: K[]): Query<M, Selected<M, K>> {
    if (properties.length === 0) throw new QueryError(`${this.#name('select')}: name at least one property.`);
    return this.#with<Selected<M, K>>({ select: properties });
  }

  /** Strongly consistent reads (the table and LSIs only). @example Order.where('customerId', '=', c).consistent() */
  consistent(): Query<M, R> {
    return this.#with({ consistent: true });
  }

  /** Cancels the requests when the signal aborts. @example User.scan().signal(AbortSignal.timeout(1000)) */
  signal(signal: AbortSignal): Query<M, R> {
    return this.#with({ signal });
  }

  /** Includes items whose @TTL time has passed but that DynamoDB has not deleted yet. @example Session.scan().withExpired() */
  withExpired(): Query<M, R> {
    return this.#with({ withExpired: true });
  }

  /** Reads a scan in `n` segments at once. @example User.scan().parallel(4).all() */
  parallel(n: number): Query<M, R> {
    if (this.#state.operation !== 'Scan') throw new QueryError(`${this.#name('where')}(...).parallel(): only a scan reads in segments.`);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new QueryError(`${this.#name('parallel')}: 1 to 1000000 segments, not ${String(n)}.`);
    return this.#with({ segments: n });
  }

  #compile(state: QueryState = this.#state): CompiledRequest {
    return compileRequest(state, getConnection().tableName(state.schema.table), epochSeconds());
  }

  /**
   * The SDK input of the first request, with no I/O.
   *
   * @example
   * User.where('email', '=', 'a@b.co').toParams();
   */
  toParams(): RequestParams {
    return this.#compile().params;
  }

  /**
   * What the query will do, with no I/O: Query or Scan, the index the planner chose and why.
   *
   * @example
   * User.where('age', '=', 30).explain(); // { operation: 'Query', index: 'gsi-age-status', params, notes: [...] }
   */
  explain(): Explanation {
    const compiled = this.#compile();
    const notes = compiled.plan
      ? [
          `reads ${compiled.keySchema.name ?? 'the table'} (score ${compiled.plan.score})`,
          ...compiled.plan.passedOver.map((p) => `not ${p.index}: ${p.reason}`),
        ]
      : ['scans every item'];
    return { operation: compiled.operation, ...(compiled.keySchema.name ? { index: compiled.keySchema.name } : {}), params: compiled.params, notes };
  }

  /** Every match (at most `limit`), across DynamoDB pages. @example await User.where('status', '=', 'active').all() */
  async all(): Promise<R[]> {
    if (tracing()) return traced(this.#traceName('all'), this.#state.schema, Query.prototype.all, this) as Promise<R[]>;
    const state = this.#state;
    const out: Array<R | Promise<R>> = [];
    let skip = state.offset ?? 0;
    let left = state.limit ?? Infinity;
    let pending = false;
    pages: for await (const page of readPages(state, this.#compile(), getConnection())) {
      for (const item of page.items) {
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        const model = this.#hydrate(item);
        pending ||= model instanceof Promise;
        out.push(model);
        if (--left <= 0) break pages;
      }
    }
    return pending ? Promise.all(out) : (out as R[]);
  }

  /** The first match, or undefined. @example await User.query().index('gsi-email').where('email', '=', e).first() */
  async first(): Promise<R | undefined> {
    if (tracing()) return traced(this.#traceName('first'), this.#state.schema, Query.prototype.first, this) as Promise<R | undefined>;
    for await (const item of this.#with({ limit: 1 })) return item;
    return undefined;
  }

  /** The number of matches (Select COUNT across pages; limit and offset do not apply). @example await User.where('status', '=', 'active').count() */
  count(): Promise<number> {
    // Not async (one promise less), so a bad query's error is turned into a rejection here.
    try {
      if (tracing()) return traced(this.#traceName('count'), this.#state.schema, Query.prototype.count, this) as Promise<number>;
      const compiled = this.#compile({ ...this.#state, select: undefined, limit: undefined, segments: undefined, count: true });
      return countItems(this.#state, compiled, getConnection());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One page of `limit` matches (100 by default) after `cursor`, and a cursor for the next
   * page when another match exists.
   *
   * @example
   * const { items, cursor, hasMore } = await User.where('status', '=', 'active').limit(20).page(req.query.cursor);
   */
  async page(cursor?: string): Promise<Page<R>> {
    if (tracing()) return traced(this.#traceName('page'), this.#state.schema, Query.prototype.page, this, cursor) as Promise<Page<R>>;
    if (this.#state.segments)
      throw new QueryError(`${this.#name('scan')}().parallel(...).page(): a parallel scan has no single position to resume from; use all() or for await.`);
    const state = this.#state;
    const compiled = this.#compile();
    const conn = getConnection();
    // Bound to the key condition's operators (its expression, one per query shape), the
    // direction and the values: a start key read under another of them would skip or repeat items.
    const keyCondition = [compiled.params.KeyConditionExpression ?? null, state.orderBy?.direction === 'desc', ...compiled.keyValues];
    const binding = { identity: state.schema.table, index: compiled.keySchema.name, keyCondition };
    const keyAttributes = keyAttributeNames(state.schema, compiled.keySchema);
    const startKey = cursor === undefined ? undefined : decodeCursor(cursor, { ...binding, keyAttributes }, conn.config.cursorSecret);
    const size = state.limit ?? DEFAULT_PAGE_SIZE;
    let skip = cursor === undefined ? (state.offset ?? 0) : 0;
    const items: StoredItem[] = [];
    let hasMore = false;
    for await (const page of readPages(state, compiled, conn, startKey)) {
      for (const item of page.items) {
        if (skip > 0) {
          skip -= 1;
        } else if (items.length < size) {
          items.push(item);
        } else {
          hasMore = true;
          break;
        }
      }
      if (hasMore) break;
    }
    const models = await Promise.all(items.map((item) => this.#hydrate(item)));
    if (!hasMore) return { items: models, hasMore: false };
    const next = encodeCursor({ ...binding, startKey: startKeyOf(state.schema, compiled.keySchema, items[items.length - 1]) }, conn.config.cursorSecret);
    return { items: models, cursor: next, hasMore: true };
  }

  #hydrate(item: StoredItem): R | Promise<R> {
    return this.#source.hydrate(item, this.#state.select !== undefined) as unknown as R | Promise<R>;
  }

  #whole(method: string): AsyncIterable<M> {
    if (this.#state.select)
      throw new QueryError(
        `${this.#name(method)}: the query reads with select(...), but ${method} needs whole items (hooks, versions, unique values); drop the select.`,
      );
    return this as unknown as AsyncIterable<M>;
  }

  /**
   * Deletes every match and resolves to the count, running the delete hooks (BatchWriteItem
   * chunks of 25; item by item, version-checked and with unique guards, for models that have
   * them). A failure stops it: BatchError with `.completed`.
   *
   * @example
   * const removed = await Session.where('userId', '=', u).deleteAll();
   */
  async deleteAll(): Promise<number> {
    if (tracing()) return traced(this.#traceName('deleteAll'), this.#state.schema, Query.prototype.deleteAll, this) as Promise<number>;
    return this.#source.deleteAll(this.#whole('deleteAll'), this.#name('where(...).deleteAll'));
  }

  /**
   * Assigns `changes` to every match and saves each as `save()` would (hooks, validation,
   * timestamps, version check, unique guards): one UpdateItem per item. Resolves to the
   * count; a failure stops it: BatchError with `.completed`.
   *
   * @example
   * const expired = await User.where('status', '=', 'trial').updateAll({ status: 'expired' });
   */
  async updateAll(changes: ModelInput<M>): Promise<number> {
    if (tracing()) return traced(this.#traceName('updateAll'), this.#state.schema, Query.prototype.updateAll, this, changes) as Promise<number>;
    return this.#source.updateAll(this.#whole('updateAll'), changes, this.#name('where(...).updateAll'));
  }

  /** Iterates lazily, page by page. @example for await (const user of User.where('status', '=', 'active')) { ... } */
  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    const state = this.#state;
    const compiled = this.#compile();
    let skip = state.offset ?? 0;
    let left = state.limit ?? Infinity;
    if (left <= 0) return;
    for await (const page of readPages(state, compiled, getConnection())) {
      for (const item of page.items) {
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        yield await this.#hydrate(item);
        if (--left <= 0) return;
      }
    }
  }
}

function checkOperands(where: string, property: unknown, op: string, values: readonly unknown[], allowed: readonly string[]): void {
  if (typeof property !== 'string' || property === '') throw new QueryError(`${where}: the first argument is a property name.`);
  if (!allowed.includes(op)) throw new QueryError(`${where}('${property}', '${op}'): the operator is one of ${allowed.join(', ')}.`);
  const expected = op === 'between' ? 2 : op === 'exists' || op === 'not_exists' ? 0 : 1;
  if (values.length !== expected || values.some((v) => v === undefined)) {
    throw new QueryError(
      `${where}('${property}', '${op}', ...): '${op}' takes ${expected === 0 ? 'no value' : expected === 2 ? 'two values (low, high)' : 'one value'}, given ${values.filter((v) => v !== undefined).length}.`,
    );
  }
}
