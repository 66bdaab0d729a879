import { ConditionFailedError, DynamormError } from './dynamorm-error';
import { ValidationError } from './validation-error';

/** What was being done when an SDK call failed, for the message. */
export interface FailureContext {
  /** e.g. 'User.find' */
  action: string;
  /** The full table name. */
  table?: string;
  /** A readable key, e.g. id="1". */
  key?: string;
  params?: unknown;
}

/** The AWS error name (`ConditionalCheckFailedException`, ...) or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown })?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Wraps an SDK error in the dynamorm error that says what it means (SDK errors are
 * always wrapped; `cause` keeps the original). dynamorm errors pass through unchanged.
 */
export function translateError(error: unknown, context: FailureContext): DynamormError {
  if (error instanceof DynamormError) return error;
  const where = `${context.action}${context.key ? ` (${context.key})` : ''}`;
  const message = String((error as { message?: unknown } | undefined)?.message ?? error);
  const options = { cause: error, params: context.params };
  switch (awsErrorName(error)) {
    case 'ConditionalCheckFailedException':
      return new ConditionFailedError(`${where}: the condition did not hold, nothing was written.`, options);
    case 'ValidationException':
      return new ValidationError(`${where}: DynamoDB rejected the request: ${message}`, [], options);
    case 'ResourceNotFoundException':
      return new DynamormError(
        `${where}: table '${context.table ?? '?'}' does not exist. Create it with ensureTable() (or check the connection's tablePrefix and region).`,
        options,
      );
    case 'AbortError':
      return new DynamormError(`${where}: the request was aborted.`, options);
    default:
      return new DynamormError(`${where} failed: ${message}`, options);
  }
}
