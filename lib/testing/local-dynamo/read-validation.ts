import { validateRequest } from './dynalite-internals';
import { validationError } from './errors';
import type { WireBody } from './wire';

/** The reads whose requests DynamoDB refuses in cases dynalite lets through. */
export type ValidatedRead = 'Query' | 'Scan';

/** Whether the layer checks `operation` before dynalite runs it. */
export function isValidatedRead(operation: string): operation is ValidatedRead {
  return operation === 'Query' || operation === 'Scan';
}

/**
 * Throws the ValidationException DynamoDB answers to a Query or Scan that dynalite
 * would run, after dynalite's own checks (so an earlier error keeps its place and
 * wording); returns when the request may go to dynalite unchanged:
 *
 * - `Segment: 0` without `TotalSegments`: dynalite checks the pair with `if (data.Segment && ...)`,
 *   so the first segment slips through. Validating it as segment 1 lets dynalite's own check
 *   (DynamoDB's message) fire where it stands among the others.
 * - `Select: 'SPECIFIC_ATTRIBUTES'` with neither `ProjectionExpression` nor `AttributesToGet`,
 *   which dynalite answers with whole items. DynamoDB's wording is the one the conformance suite
 *   pinned against it: Query puts it in the "1 validation error detected" envelope, Scan does not.
 */
export function validateRead(operation: ValidatedRead, body: WireBody): void {
  const firstSegmentAlone = operation === 'Scan' && body.Segment === 0 && body.TotalSegments == null;
  const data = validateRequest(operation === 'Query' ? 'query' : 'scan', firstSegmentAlone ? { ...body, Segment: 1 } : body);
  if (data.Select === 'SPECIFIC_ATTRIBUTES' && data.ProjectionExpression == null && data.AttributesToGet == null) {
    const message = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    throw validationError(operation === 'Query' ? `1 validation error detected: ${message}` : message);
  }
}
