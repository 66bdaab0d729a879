import { validateRequest, type ValidatedRequest } from '../dynalite-internals';
import { isDynamoError, validationError } from '../errors';
import { isRecord, type WireBody } from '../wire';

/** The reads whose requests DynamoDB refuses, or words the refusal of, unlike dynalite. */
export type ValidatedRead = 'Query' | 'Scan';

/** Whether the layer checks `operation` before dynalite runs it. */
export function isValidatedRead(operation: string): operation is ValidatedRead {
  return operation === 'Query' || operation === 'Scan';
}

// A Limit of 0 or less, as JSON writes it; a fraction is left to dynalite's type check.
const LIMIT_BELOW_ONE = /"Limit"\s*:\s*(-|0(?![.\deE]))/;

/**
 * Whether a read's raw body may break one of the rules below: only those are parsed and
 * validated here as well as in dynalite, so the usual read pays nothing.
 */
export function mayBreakReadRule(raw: Buffer): boolean {
  return raw.includes('SPECIFIC_ATTRIBUTES') || raw.includes('"Segment"') || (raw.includes('"Limit"') && LIMIT_BELOW_ONE.test(raw.toString('utf8')));
}

/**
 * Throws the ValidationException DynamoDB answers to a Query or Scan that dynalite
 * would run or word otherwise, after dynalite's own checks (so an earlier error keeps
 * its place and wording); returns the validated request (parsed expressions included) when it may go to dynalite unchanged.
 * `manyKeyConditions` lets a Query name more than two key attributes (an index with multi-attribute keys):
 *
 * - `Segment: 0` without `TotalSegments`: dynalite checks the pair with `if (data.Segment && ...)`,
 *   so the first segment slips through. Validating it as segment 1 lets dynalite's own check
 *   (DynamoDB's message) fire where it stands among the others.
 * - `Select: 'SPECIFIC_ATTRIBUTES'` with neither `ProjectionExpression` nor `AttributesToGet`,
 *   which dynalite answers with whole items. DynamoDB's wording is the one the conformance suite
 *   pinned against it: Query puts it in the "1 validation error detected" envelope, Scan does not.
 * - A Query's `Limit` below 1: DynamoDB names the parameter `Limit` and leaves the value out,
 *   where dynalite (and DynamoDB's Scan) says `Value '0' at 'limit'`.
 */
export function validateRead(operation: ValidatedRead, body: WireBody, options: { manyKeyConditions?: boolean } = {}): ValidatedRequest {
  const firstSegmentAlone = operation === 'Scan' && body.Segment === 0 && body.TotalSegments == null;
  let data: WireBody;
  try {
    const tolerated = options.manyKeyConditions ? manyKeyConditions : undefined;
    data = validateRequest(operation === 'Query' ? 'query' : 'scan', firstSegmentAlone ? { ...body, Segment: 1 } : body, {}, tolerated);
  } catch (err) {
    if (operation !== 'Query' || !isDynamoError(err, 'ValidationException')) throw err;
    const message = err.message.replace(QUERY_LIMIT, "Value at 'Limit' $1");
    throw message === err.message ? err : validationError(message);
  }
  if (data.Select === 'SPECIFIC_ATTRIBUTES' && data.ProjectionExpression == null && data.AttributesToGet == null) {
    const message = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    throw validationError(operation === 'Query' ? `1 validation error detected: ${message}` : message);
  }
  return firstSegmentAlone ? { ...data, Segment: 0 } : data;
}

/** dynalite's "1 or 2 key conditions" rule, which an index with multi-attribute keys does not have. */
function manyKeyConditions(message: string, data: WireBody): boolean {
  return message === 'Conditions can be of length 1 or 2 only' && isRecord(data.KeyConditions) && Object.keys(data.KeyConditions).length > 2;
}

const QUERY_LIMIT = /Value '-?\d+' at 'limit' (failed to satisfy constraint: Member must have value greater than or equal to 1)/;
