export { startLocalDynamo } from './local-dynamo';
export type { LocalDynamo, LocalDynamoOptions, StreamMark, StreamSource } from './local-dynamo';
export { stubConnection } from './stub-connection';
export type { StubbedConnection } from './stub-connection';
export { conditionalCheckFailed, transactionCanceled, provisionedThroughputExceeded, throttling, validationException, resourceNotFound } from './dynamo-errors';
export type { CancellationCode, CancellationReasonInput, DynamoErrorMetadata, DynamoErrorOptions, PlainItem } from './dynamo-errors';
export { factory } from './factory';
export type { Factory } from './factory';
