import type { WireItem } from './wire';

const DYNAMO = 'com.amazonaws.dynamodb.v20120810#';

/** One entry of a TransactionCanceledException, in request order. */
export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: WireItem;
}

/**
 * An error in DynamoDB's wire shape. The SDK picks the error name from the part of
 * `__type` after `#`, so the namespaces below are the ones dynalite and DynamoDB use.
 */
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
    readonly extra: Record<string, unknown> = {},
    private readonly namespace = DYNAMO,
    /** A body received from dynalite, sent back exactly as it came. */
    private readonly wire?: Record<string, unknown>,
  ) {
    super(message);
    this.name = type;
  }

  /** The JSON body to send. */
  toBody(): Record<string, unknown> {
    return this.wire ? { ...this.wire } : { __type: this.namespace + this.type, message: this.message, ...this.extra };
  }

  /** The same error with more fields in its body, e.g. the `Item` of a failed condition. */
  withFields(fields: Record<string, unknown>): DynamoError {
    const wire = this.wire && { ...this.wire, ...fields };
    return new DynamoError(this.type, this.message, this.statusCode, { ...this.extra, ...fields }, this.namespace, wire);
  }

  /**
   * Wraps an error body received from dynalite. The body is kept untouched: dynalite
   * words some errors as DynamoDB does, down to the key (its SerializationExceptions
   * say `Message`, not `message`, and a malformed request gets no message at all).
   */
  static fromWire(statusCode: number, body: unknown): DynamoError {
    const record = (body ?? {}) as Record<string, unknown>;
    const fullType = typeof record.__type === 'string' ? record.__type : `${DYNAMO}InternalServerError`;
    const hash = fullType.indexOf('#');
    const message = String(record.message ?? record.Message ?? '');
    const { __type: _type, message: _m, Message: _M, ...extra } = record;
    const wire = typeof record.__type === 'string' ? record : undefined;
    return new DynamoError(fullType.slice(hash + 1), message, statusCode, extra, fullType.slice(0, hash + 1), wire);
  }
}

export const validationError = (message: string): DynamoError => new DynamoError('ValidationException', message, 400, {}, 'com.amazon.coral.validate#');

/** What DynamoDB (and dynalite) answer to a body that is not JSON: a type, no message. */
export const malformedRequest = (): DynamoError => DynamoError.fromWire(400, { __type: 'com.amazon.coral.service#SerializationException' });

/** UpdateTable creating a GSI under a name the table's indexes already use, as DynamoDB words it. */
export const indexAlreadyExists = (): DynamoError => validationError('Attempting to create an index which already exists');

export const resourceNotFound = (message = 'Requested resource not found'): DynamoError => new DynamoError('ResourceNotFoundException', message);

export const limitExceeded = (message: string): DynamoError => new DynamoError('LimitExceededException', message);

export const idempotentParameterMismatch = (): DynamoError =>
  new DynamoError(
    'IdempotentParameterMismatchException',
    'The request uses the same client token as a previous, but non-identical, request within the last 10 minutes',
  );

/** What DynamoDB answers to an `X-Amz-Target` it does not know. */
export const unknownOperation = (): DynamoError => DynamoError.fromWire(400, { __type: 'com.amazon.coral.service#UnknownOperationException' });

export const internalError = (message: string): DynamoError => new DynamoError('InternalServerError', message, 500);

/** DynamoDB lists every reason code in the message, in request order. */
export function transactionCanceled(reasons: CancellationReason[]): DynamoError {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`;
  return new DynamoError('TransactionCanceledException', message, 400, { Message: message, CancellationReasons: reasons });
}

/** True when `err` is a DynamoError whose short type is `type`. */
export function isDynamoError(err: unknown, type?: string): err is DynamoError {
  return err instanceof DynamoError && (type === undefined || err.type === type);
}
