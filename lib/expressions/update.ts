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

/** Compiles update actions into an UpdateExpression (`SET ... REMOVE ... ADD ... DELETE ...`). */
export function compileUpdate(actions: readonly UpdateAction[], p: Placeholders): string {
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  for (const action of actions) {
    const path = p.path(action.path);
    switch (action.kind) {
      case 'set':
        set.push(`${path} = ${p.value(action.value)}`);
        break;
      case 'setIfNotExists':
        set.push(`${path} = if_not_exists(${path}, ${p.value(action.value)})`);
        break;
      case 'increment':
        set.push(`${path} = if_not_exists(${path}, ${p.value(action.start)}) + ${p.value(action.by)}`);
        break;
      case 'append':
        set.push(`${path} = list_append(if_not_exists(${path}, ${p.value([])}), ${p.value(action.values)})`);
        break;
      case 'prepend':
        set.push(`${path} = list_append(${p.value(action.values)}, if_not_exists(${path}, ${p.value([])}))`);
        break;
      case 'remove':
        remove.push(path);
        break;
      case 'add':
        add.push(`${path} ${p.value(action.value)}`);
        break;
      case 'delete':
        del.push(`${path} ${p.value(action.value)}`);
        break;
    }
  }
  const clauses: string[] = [];
  if (set.length) clauses.push(`SET ${set.join(', ')}`);
  if (remove.length) clauses.push(`REMOVE ${remove.join(', ')}`);
  if (add.length) clauses.push(`ADD ${add.join(', ')}`);
  if (del.length) clauses.push(`DELETE ${del.join(', ')}`);
  return clauses.join(' ');
}
