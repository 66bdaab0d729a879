import type { Placeholders } from './placeholders';

/** A path: attribute name segments and list indexes. */
export type Path = readonly (string | number)[];

export type CompareOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A condition tree; compiled with placeholders by compileCondition. */
export type Condition =
  | { readonly kind: 'compare'; readonly path: Path; readonly op: CompareOperator; readonly value: unknown }
  | { readonly kind: 'between'; readonly path: Path; readonly low: unknown; readonly high: unknown }
  | { readonly kind: 'begins_with'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'contains'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'in'; readonly path: Path; readonly values: readonly unknown[] }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: Path }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  /** An already compiled fragment (e.g. a user expression whose placeholders were assigned). */
  | { readonly kind: 'raw'; readonly expression: string };

/** Shorthands for building condition nodes. */
export const cond = {
  eq: (path: Path, value: unknown): Condition => ({ kind: 'compare', path, op: '=', value }),
  compare: (path: Path, op: CompareOperator, value: unknown): Condition => ({ kind: 'compare', path, op, value }),
  exists: (path: Path): Condition => ({ kind: 'exists', path }),
  notExists: (path: Path): Condition => ({ kind: 'not_exists', path }),
  and: (...conditions: Array<Condition | undefined>): Condition | undefined => combine('and', conditions),
  or: (...conditions: Array<Condition | undefined>): Condition | undefined => combine('or', conditions),
};

function combine(kind: 'and' | 'or', conditions: Array<Condition | undefined>): Condition | undefined {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  if (present.length <= 1) return present[0];
  return { kind, conditions: present };
}

/** Compiles a condition into expression text, registering its names and values. */
export function compileCondition(node: Condition, p: Placeholders): string {
  switch (node.kind) {
    case 'compare':
      return `${p.path(node.path)} ${node.op} ${p.value(node.value)}`;
    case 'between':
      return `${p.path(node.path)} BETWEEN ${p.value(node.low)} AND ${p.value(node.high)}`;
    case 'begins_with':
      return `begins_with(${p.path(node.path)}, ${p.value(node.value)})`;
    case 'contains':
      return `contains(${p.path(node.path)}, ${p.value(node.value)})`;
    case 'in':
      return `${p.path(node.path)} IN (${node.values.map((v) => p.value(v)).join(', ')})`;
    case 'exists':
      return `attribute_exists(${p.path(node.path)})`;
    case 'not_exists':
      return `attribute_not_exists(${p.path(node.path)})`;
    case 'and':
    case 'or': {
      const joiner = node.kind === 'and' ? ' AND ' : ' OR ';
      return node.conditions.map((c) => wrap(c, p)).join(joiner);
    }
    case 'not':
      return `NOT ${wrap(node.condition, p)}`;
    case 'raw':
      return node.expression;
  }
}

function wrap(node: Condition, p: Placeholders): string {
  const text = compileCondition(node, p);
  return node.kind === 'and' || node.kind === 'or' || node.kind === 'raw' ? `(${text})` : text;
}
