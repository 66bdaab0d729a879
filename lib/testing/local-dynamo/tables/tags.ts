import type { DynaliteClient } from '../dynalite-client';
import { DynamoError, isDynamoError, validationError } from '../errors';
import type { WireBody } from '../wire';

/** The tagging operations, which name their table by `ResourceArn`. */
type TagOperation = 'TagResource' | 'UntagResource' | 'ListTagsOfResource';

/**
 * Runs a tagging request through dynalite, answering two ARNs as DynamoDB does
 * (pinned by the conformance suite), where dynalite answers otherwise:
 *
 * - An ARN that is not an ARN at all (e.g. `not-a-valid-arn`): DynamoDB refuses it with
 *   a ValidationException, where dynalite denies access (it does so for nothing else).
 * - A well-formed ARN naming no table: DynamoDB checks the caller's permission on the
 *   ARN before looking for the table, and denies access to an ARN outside the caller's
 *   account (the suite's placeholder account 000000000000 is the one dynalite gives every
 *   table, so the layer cannot tell the two cases apart) with an AccessDeniedException,
 *   where dynalite says ResourceNotFoundException.
 */
export async function tagOperation(client: DynaliteClient, operation: TagOperation, body: WireBody): Promise<WireBody> {
  // Translating dynalite's answers, rather than checking first, keeps its order of checks.
  try {
    return await client.call(operation, body);
  } catch (err) {
    const arn = String(body.ResourceArn);
    if (isDynamoError(err, 'AccessDeniedException')) throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
    if (isDynamoError(err, 'ResourceNotFoundException')) throw accessDenied(operation, arn);
    throw err;
  }
}

/** DynamoDB's refusal, worded and shaped as dynalite words its own AccessDeniedException. */
function accessDenied(operation: TagOperation, arn: string): DynamoError {
  const account = arn.split(':')[4];
  return DynamoError.fromWire(400, {
    __type: 'com.amazon.coral.service#AccessDeniedException',
    Message: `User: arn:aws:iam::${account}:dynalite is not authorized to perform: dynamodb:${operation} on resource: ${arn}`,
  });
}
