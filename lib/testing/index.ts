export { startLocalDynamo } from './local-dynamo';
export type { LocalDynamo, LocalDynamoOptions, StreamMark, StreamSource } from './local-dynamo';
export { stubConnection } from './stub-connection';
export type { StubbedConnection } from './stub-connection';
