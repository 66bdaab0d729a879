import { QueryError } from '../errors/dynamorm-error';
import type { ModelSchema } from '../metadata/model-schema';

/**
 * BatchWriteItem is unconditional, so it cannot keep unique guards consistent: a model with
 * unique attributes refuses batch writes. `batchCreate` of a model with @Version restarts
 * versions at 1 (a stale copy could then save over newer data), so it needs
 * `{ overwrite: true }`. Both point to transaction(), which can do either safely.
 */
export function refuseUnbatchable(schema: ModelSchema, action: string, overwrite: boolean): void {
  const why =
    schema.uniques.length > 0
      ? 'has unique attributes, whose guards a batch cannot keep; use transaction()'
      : schema.version && !overwrite
        ? 'has @Version, which a batch restarts at 1; use transaction(), or pass { overwrite: true }'
        : undefined;
  if (why) throw new QueryError(`${schema.className}.${action}: ${schema.className} ${why}.`);
}
