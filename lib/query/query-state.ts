import type { ModelSchema } from '../metadata/model-schema';
import type { WhereClause } from './planner';

/** Operators of a structured `filter()`: those of `where()` plus these. */
export type FilterOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with' | 'in' | 'contains' | 'not_contains' | 'exists' | 'not_exists';

/** One `filter()` call: structured, or an expression string with its params. */
export type FilterPart =
  | { readonly kind: 'structured'; readonly property: string; readonly op: FilterOperator; readonly values: readonly unknown[] }
  | { readonly kind: 'expression'; readonly text: string; readonly params: Readonly<Record<string, unknown>> };

/** Everything a query or scan builder has been told; frozen, each call makes a new one. */
export interface QueryState {
  readonly schema: ModelSchema;
  readonly operation: 'Query' | 'Scan';
  readonly where: readonly WhereClause[];
  readonly filters: readonly FilterPart[];
  readonly index?: string;
  readonly orderBy?: { readonly property: string; readonly direction: 'asc' | 'desc' };
  readonly limit?: number;
  readonly offset?: number;
  readonly select?: readonly string[];
  readonly consistent: boolean;
  readonly withExpired: boolean;
  readonly signal?: AbortSignal;
  /** Compiled for count(): reads only what its filters and the @TTL check need from an index. */
  readonly count?: boolean;
  /** Scan segments read in parallel (`parallel(n)`). */
  readonly segments?: number;
}
