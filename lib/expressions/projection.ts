import type { Placeholders } from './placeholders';

/** A ProjectionExpression for the given attribute names. */
export function compileProjection(attributeNames: readonly string[], p: Placeholders): string {
  return attributeNames.map((name) => p.name(name)).join(', ');
}
