import { QueryError } from '../errors/dynamorm-error';
import type { Path } from './condition';
import type { Placeholders } from './placeholders';

/**
 * A ProjectionExpression: each entry an attribute name (one segment, never split at dots) or a
 * nested path, every name a `#n` placeholder shared with the request's other expressions.
 * DynamoDB refuses overlapping paths, so a repeated path, or one inside another listed path
 * (`a.b` with `a`), is dropped; paths that conflict (`a[0]` and `a.b`) are a QueryError.
 *
 * @example
 * compileProjection(['id', 'status', ['address', 'lines', 0]], p); // '#n1, #n2, #n3.#n4[0]'
 * compileProjection(['id', 'id', ['profile', 'name'], 'profile'], p); // '#n1, #n2' (id, profile)
 */
export function compileProjection(attributes: ReadonlyArray<string | Path>, p: Placeholders): string {
  const paths = attributes.map((a): Path => (typeof a === 'string' ? [a] : a));
  paths.forEach((path, i) => paths.slice(i + 1).forEach((other) => checkConflict(path, other)));
  const kept = paths.filter((path, i) => !paths.some((other, j) => j !== i && covers(other, path) && (other.length < path.length || j < i)));
  return kept.map((path) => p.path(path)).join(', ');
}

/** Whether `outer` is `inner` or one of its ancestors. */
function covers(outer: Path, inner: Path): boolean {
  return outer.length <= inner.length && outer.every((segment, i) => segment === inner[i]);
}

function checkConflict(one: Path, two: Path): void {
  for (let i = 0; i < one.length && i < two.length; i++) {
    if (typeof one[i] !== typeof two[i])
      throw new QueryError(`Projected paths ${show(one)} and ${show(two)} conflict: one indexes a list where the other names a map key.`);
    if (one[i] !== two[i]) return;
  }
}

function show(path: Path): string {
  return `'${path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')}'`;
}
