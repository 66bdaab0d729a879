export { startLocalDynamo } from './local-dynamo';
export type { LocalDynamo, LocalDynamoOptions } from './local-dynamo';
