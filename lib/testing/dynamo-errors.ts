import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

// What a stub rejects with to reproduce DynamoDB: the SDK's own exception classes, shaped as
// the SDK's deserializer leaves them (name, message, `$fault`, `$metadata`, `__type` and the
// modelled fields), so that dynamorm — and `err instanceof ConditionalCheckFailedException`
// in the app — see exactly what a real rejection gives. Old items are plain objects marshalled
// with @aws-sdk/util-dynamodb: errors are never unmarshalled by the DocumentClient, so a real
// `Item` is in AttributeValue form. spec/unit/testing/dynamo-errors.spec.ts compares each one
// with what the SDK makes of the local server's (or a throttling server's) answer.

/** The `$metadata` of an SDK error: what the SDK tells of the HTTP exchange and its retries. */
export interface DynamoErrorMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  /** Sends of the request, retries included (the SDK's `maxAttempts` once it gave up). */
  attempts?: number;
  /** Milliseconds the SDK waited between those sends. */
  totalRetryDelay?: number;
}

/** Options every error factory takes. */
export interface DynamoErrorOptions {
  /** Replaces DynamoDB's own message. */
  message?: string;
  /** Merged over `{ httpStatusCode: 400, requestId, attempts: 1, totalRetryDelay: 0 }`. */
  metadata?: DynamoErrorMetadata;
}

/** An item as stored (attribute names, stored values: strings, numbers, Sets, ...), marshalled for you. */
export type PlainItem = Record<string, unknown>;

/** A cancellation reason's code, as DynamoDB gives it. */
export type CancellationCode =
  | 'None'
  | 'ConditionalCheckFailed'
  | 'ItemCollectionSizeLimitExceeded'
  | 'TransactionConflict'
  | 'ProvisionedThroughputExceeded'
  | 'ThrottlingError'
  | 'ValidationError';

/** One action's reason in {@link transactionCanceled}: a code alone, or with the old item (ReturnValuesOnConditionCheckFailure). */
export type CancellationReasonInput = CancellationCode | { code: CancellationCode; item?: PlainItem; message?: string };

const NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

const REASON_MESSAGES: Partial<Record<CancellationCode, string>> = {
  ConditionalCheckFailed: 'The conditional request failed',
  TransactionConflict: 'Transaction is ongoing for the item',
  ItemCollectionSizeLimitExceeded: 'Collection size exceeded.',
  ProvisionedThroughputExceeded: 'The level of configured provisioned throughput for the table was exceeded.',
  ThrottlingError: 'Throughput exceeds the current capacity for one or more global secondary indexes.',
};

function metadataOf(
  options: DynamoErrorOptions,
  defaults: DynamoErrorMetadata = {},
): Required<Pick<DynamoErrorMetadata, 'httpStatusCode' | 'attempts' | 'totalRetryDelay'>> & DynamoErrorMetadata {
  return {
    httpStatusCode: 400,
    requestId: 'STUBBED0000000000000000000000000000000000000000000000',
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0,
    ...defaults,
    ...options.metadata,
  };
}

/** The SDK's constructors leave `$response` (and TransactionCanceledException's `Message`) as own keys its deserializer does not; and it adds `__type`. */
function asDeserialized<E extends Error>(error: E, type: string, message: string): E {
  const own = error as unknown as Record<string, unknown>;
  for (const key of ['$response', 'Message']) if (own[key] === undefined) delete own[key];
  // The deserializer assigns both: enumerable own keys, as an app logging the error sees them.
  for (const [key, value] of [
    ['message', message],
    ['__type', type],
  ])
    Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
  return error;
}

function marshalled(item: PlainItem): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true, convertTopLevelContainer: false as const });
}

/**
 * A ConditionalCheckFailedException, as DynamoDB rejects a PutItem, UpdateItem or DeleteItem
 * whose condition did not hold. `item`: the old item, returned when the request asked for it
 * with ReturnValuesOnConditionCheckFailure ALL_OLD (dynamorm does on `save()` and `delete()`)
 * and an item exists.
 *
 * What dynamorm raises: `create()` → ItemExistsError. `save()`/`delete()` of a loaded model
 * with `@Version`, given an `item` at another version → VersionConflictError, with no extra
 * request; without `item`, dynamorm reads the item (a consistent `get`) to tell why:
 * ItemNotFoundError when the get finds nothing, VersionConflictError when it finds another
 * version. `Model.update(key)...execute()` given the old `item` → ConditionFailedError (its `if`
 * did not hold); without it dynamorm reads, and no item is ItemNotFoundError.
 *
 * @example
 * const conn = stubConnection(sandbox);
 * conn.get.resolves({ Item: { id: '1', email: 'ann@example.com', age: 30, version: 1 } });
 * const user = await User.find('1');
 * conn.update.rejects(conditionalCheckFailed({ item: { id: '1', email: 'ann@example.com', age: 30, version: 2 } }));
 * user.age = 31;
 * await user.save(); // rejects with VersionConflictError ("expected version 1; it is now at version 2")
 */
export function conditionalCheckFailed(options: DynamoErrorOptions & { item?: PlainItem } = {}): ConditionalCheckFailedException {
  const message = options.message ?? 'The conditional request failed';
  const error = new ConditionalCheckFailedException({
    message,
    $metadata: metadataOf(options),
    ...(options.item ? { Item: marshalled(options.item) } : {}),
  });
  return asDeserialized(error, `${NAMESPACE}ConditionalCheckFailedException`, message);
}

/**
 * A TransactionCanceledException, as DynamoDB cancels a TransactWriteItems (or
 * TransactGetItems): one reason per action of the request, in request order, `'None'` for
 * the actions that did not fail. The message lists the codes as DynamoDB's does.
 *
 * Mind which actions dynamorm sends: `transaction()` sends each operation's action followed by
 * the unique guards it moves; a `create()`/`save()` of a model with unique attributes sends
 * the item first, then one guard Put per unique value it takes, then one guard Delete per
 * value it gives up.
 *
 * What dynamorm raises: `transaction()` → TransactionCanceledError whose `reasons[i]` explains
 * operation i (`code` DynamoDB's, or 'UniqueConstraint' for a failed guard). A `create()` of a
 * model with unique attributes: ItemExistsError when the item's own action failed,
 * UniqueConstraintError (`.attribute`) when a guard Put failed.
 *
 * @example
 * conn.transactWrite.rejects(transactionCanceled(['None', { code: 'ConditionalCheckFailed', item: { id: '2', version: 3 } }]));
 * await transaction((tx) => { tx.create(a); tx.save(b); }); // TransactionCanceledError; reasons[1].code 'ConditionalCheckFailed'
 * conn.transactWrite.rejects(transactionCanceled(['None', 'ConditionalCheckFailed']));
 * await User.create({ id: '3', email: 'taken@example.com', age: 1 }); // UniqueConstraintError, attribute 'email'
 */
export function transactionCanceled(reasons: readonly CancellationReasonInput[], options: DynamoErrorOptions = {}): TransactionCanceledException {
  const CancellationReasons = reasons.map((reason) => {
    const { code, item, message } = typeof reason === 'string' ? { code: reason, item: undefined, message: undefined } : reason;
    const text = message ?? REASON_MESSAGES[code];
    return { ...(item ? { Item: marshalled(item) } : {}), Code: code, ...(text === undefined ? {} : { Message: text }) };
  });
  const message =
    options.message ?? `Transaction cancelled, please refer cancellation reasons for specific reasons [${CancellationReasons.map((r) => r.Code).join(', ')}]`;
  const error = new TransactionCanceledException({ message, $metadata: metadataOf(options), CancellationReasons });
  return asDeserialized(error, `${NAMESPACE}TransactionCanceledException`, message);
}

// What a request the SDK gave up on after its retries carries: dynamorm's default maxAttempts.
const RETRIED = { attempts: 5, totalRetryDelay: 1200 };

/**
 * A ProvisionedThroughputExceededException as the SDK surfaces it once its retries are spent
 * (`$metadata.attempts` 5, dynamorm's default `maxAttempts`; set `metadata` to change it): a
 * table or index over its provisioned capacity.
 *
 * What dynamorm raises: on `find`, `create`, `save`, `delete`, queries and `transaction()` a
 * DynamormError ("… failed: The level of configured provisioned throughput …", `cause` this
 * error). `batchGet`/`batchCreate`/`batchDelete` send a throttled chunk again with their
 * own backoff (8 sends in all), then a BatchError (`.unprocessed`; its `cause` the DynamormError
 * wrapping this error).
 *
 * @example
 * conn.get.rejects(provisionedThroughputExceeded());
 * await User.find('1'); // DynamormError, err.cause.name 'ProvisionedThroughputExceededException'
 */
export function provisionedThroughputExceeded(options: DynamoErrorOptions = {}): ProvisionedThroughputExceededException {
  const message =
    options.message ??
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
  const error = new ProvisionedThroughputExceededException({ message, $metadata: metadataOf(options, RETRIED) });
  return asDeserialized(error, `${NAMESPACE}ProvisionedThroughputExceededException`, message);
}

/**
 * A ThrottlingException as the SDK surfaces it once its retries are spent (on-demand tables
 * over their throughput, or control-plane calls such as CreateTable too often). dynamorm
 * raises what it raises for {@link provisionedThroughputExceeded}.
 *
 * @example
 * conn.query.rejects(throttling());
 * await User.where('email', '=', 'ann@example.com').all(); // DynamormError, cause this error
 */
export function throttling(options: DynamoErrorOptions = {}): ThrottlingException {
  const message = options.message ?? 'Rate of requests exceeds the allowed throughput.';
  const error = new ThrottlingException({ message, $metadata: metadataOf(options, RETRIED) });
  return asDeserialized(error, `${NAMESPACE}ThrottlingException`, message);
}

/**
 * A ValidationException: DynamoDB refused the request as malformed (a key that does not match
 * the table's schema, an item over 400 KB, an expression it cannot parse). The SDK has no class
 * of its own for it: it is a DynamoDBServiceException named 'ValidationException'.
 *
 * What dynamorm raises: ValidationError ("… DynamoDB rejected the request: <message>"), on
 * every model call; in `transaction()` too.
 *
 * @example
 * conn.put.rejects(validationException('One or more parameter values were invalid: Missing the key id in the item'));
 * await User.create({ id: '1', email: 'ann@example.com', age: 30 }); // ValidationError
 */
export function validationException(
  message = 'The provided key element does not match the schema',
  options: Omit<DynamoErrorOptions, 'message'> = {},
): DynamoDBServiceException {
  const error = new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message, $metadata: metadataOf(options) });
  return asDeserialized(error, 'com.amazon.coral.validate#ValidationException', message);
}

/**
 * A ResourceNotFoundException: the table (or index) does not exist, or is not ACTIVE yet.
 *
 * What dynamorm raises: a DynamormError naming the table and saying to create it with
 * `ensureTable()` (or to check the connection's tablePrefix and region).
 *
 * @example
 * conn.get.rejects(resourceNotFound());
 * await User.find('1'); // DynamormError: "User.find (id=\"1\"): table 'users' does not exist. …"
 */
export function resourceNotFound(options: DynamoErrorOptions = {}): ResourceNotFoundException {
  const message = options.message ?? 'Requested resource not found';
  const error = new ResourceNotFoundException({ message, $metadata: metadataOf(options) });
  return asDeserialized(error, `${NAMESPACE}ResourceNotFoundException`, message);
}
