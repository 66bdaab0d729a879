import type { Path } from './condition';
import type { Placeholders } from './placeholders';

/** One action of an UpdateExpression. */
export type UpdateAction =
  | { readonly kind: 'set'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'setIfNotExists'; readonly path: Path; readonly value: unknown }
  /** path = if_not_exists(path, start) + by (by may be negative). */
  | { readonly kind: 'increment'; readonly path: Path; readonly by: number | bigint; readonly start: number | bigint }
  /** path = list_append(if_not_exists(path, []), values) or the reverse for prepend. */
  | { readonly kind: 'append' | 'prepend'; readonly path: Path; readonly values: readonly unknown[] }
  | { readonly kind: 'remove'; readonly path: Path }
  | { readonly kind: 'add'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'delete'; readonly path: Path; readonly value: unknown };

const CLAUSE_OF: Record<UpdateAction['kind'], 'SET' | 'REMOVE' | 'ADD' | 'DELETE'> = {
  set: 'SET',
  setIfNotExists: 'SET',
  increment: 'SET',
  append: 'SET',
  prepend: 'SET',
  remove: 'REMOVE',
  add: 'ADD',
  delete: 'DELETE',
};

function compileAction(action: UpdateAction, p: Placeholders): string {
  const path = p.path(action.path);
  switch (action.kind) {
    case 'set':
      return `${path} = ${p.value(action.value)}`;
    case 'setIfNotExists':
      return `${path} = if_not_exists(${path}, ${p.value(action.value)})`;
    case 'increment':
      return `${path} = if_not_exists(${path}, ${p.value(action.start)}) + ${p.value(action.by)}`;
    case 'append':
      return `${path} = list_append(if_not_exists(${path}, ${p.value([])}), ${p.value(action.values)})`;
    case 'prepend':
      return `${path} = list_append(${p.value(action.values)}, if_not_exists(${path}, ${p.value([])}))`;
    case 'remove':
      return path;
    case 'add':
    case 'delete':
      return `${path} ${p.value(action.value)}`;
  }
}

/**
 * Compiles update actions into an UpdateExpression (`SET ... REMOVE ... ADD ... DELETE ...`).
 * Placeholders are numbered in the order they appear in the text.
 *
 * @example
 * compileUpdate([{ kind: 'remove', path: ['nickname'] }, { kind: 'increment', path: ['count'], by: 1, start: 0 }], p);
 * // 'SET #n1 = if_not_exists(#n1, :v1) + :v2 REMOVE #n2'
 */
export function compileUpdate(actions: readonly UpdateAction[], p: Placeholders): string {
  const clauses: string[] = [];
  for (const clause of ['SET', 'REMOVE', 'ADD', 'DELETE'] as const) {
    const parts = actions.filter((a) => CLAUSE_OF[a.kind] === clause).map((a) => compileAction(a, p));
    if (parts.length) clauses.push(`${clause} ${parts.join(', ')}`);
  }
  return clauses.join(' ');
}
