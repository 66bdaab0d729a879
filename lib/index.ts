// The public surface of dynamorm: explicit named exports; nothing internal leaks.
// In the CommonJS build, the exports of features (Query, UpdateBuilder, transaction,
// createTable, parseStreamEvent, MultiAccount, ...) are getters that load the feature's chunk
// when first read, not with dynamorm (import time; see scripts/build.mjs).

export { BaseModel } from './model/base-model';
export type { ActiveRecord } from './record/active-record';
export type { ModelClass, ModelAttributes, ModelInput, ModelKey, ModelProperty } from './record/active-record';
export type { ReadOptions, SaveOptions } from './record/operation-options';
export type { BatchCreateOptions } from './batch/batch-create';

export { Model, PartitionKey, SortKey, Attribute, Index, CreatedAt, UpdatedAt, Version, TTL } from './metadata/decorators';
export {
  BeforeValidate,
  BeforeCreate,
  BeforeUpdate,
  BeforeSave,
  AfterCreate,
  AfterUpdate,
  AfterSave,
  BeforeDelete,
  AfterDelete,
  AfterLoad,
} from './metadata/hook-decorators';
export type { AttributeOptions, AttributeTypeHint, IndexOptions, ModelOptions, DateFormat, IndexRole, HookEvent } from './metadata/options';
export { preRegister } from './metadata/registry';

export { connect } from './connection/connect';
export { getConnection } from './connection/connection-context';
export { Connection } from './connection/connection';
export type { ConnectionConfig, RequestOptions } from './connection/config';
export type { ObservabilityOptions, RequestLogRecord } from './observability/observability-options';
export type { TracerLike, SpanLike, SpanOptionsLike, SpanAttributes, SpanAttributeValue } from './observability/tracer-types';
export type { LoggedExpressions } from './observability/debug-expressions';

export { connectLambda } from './lambda/connect-lambda';
export type { LambdaConnectionConfig } from './lambda/connect-lambda';
export { withLambdaTimeout } from './lambda/with-lambda-timeout';
export type { LambdaTimeoutContext, LambdaTimeoutOptions } from './lambda/with-lambda-timeout';

export { MultiAccount } from './accounts/multi-account';
export type { MultiAccountOptions } from './accounts/multi-account';
export type { PartnerAccount } from './accounts/partner-account';
export type { TemporaryCredentialsOptions } from './accounts/credential-providers-peer';
export type { CredentialsProvider } from './accounts/refreshing-credentials';

export { Query } from './query/query';
export type { Page, Explanation, Selected } from './query/query';
export type { FilterOperator } from './query/query-state';
export type { WhereOperator } from './query/planner';

export { UpdateBuilder } from './update/update-builder';
export type { UpdateParams } from './update/compile-update';
export type { NumberProperty, SetProperty, ListProperty, SetMember, ListElement } from './update/update-types';

export { transaction } from './transaction/transaction';
export type { TransactionOptions } from './transaction/transaction';
export type { Transaction } from './transaction/transaction-builder';
export { transactGet } from './transaction/transact-get';
export type { ModelKeyRef, TransactGetResult } from './transaction/transact-get';

export { createTable, ensureTable, deleteTable, describeTable } from './schema/tables';
export type { CreateTableOptions } from './schema/table-definition';
export { autoMigrate } from './schema/auto-migrate';
export type { MigrationReport, MigrationTarget } from './schema/auto-migrate';

export {
  DynamormError,
  ItemNotFoundError,
  ItemExistsError,
  ConditionFailedError,
  VersionConflictError,
  UniqueConstraintError,
  QueryError,
  InvalidCursorError,
  BatchError,
  TransactionError,
  TransactionCanceledError,
  ModelDefinitionError,
  LambdaTimeoutError,
} from './errors/dynamorm-error';
export type { CancellationReason, ErrorContext, LambdaTimeoutOutcome } from './errors/dynamorm-error';
export { ValidationError } from './errors/validation-error';
export type { DecodeIssue } from './marshal/item-codec';
export type { ValidationIssue } from './errors/validation-error';

export { parseStreamEvent } from './streams/parse-stream-event';
export type { StreamChange, StreamChangeOf, ParseStreamOptions } from './streams/parse-stream-event';
export type { StreamRecordError } from './streams/record-error';
export type { DynamoDBStreamEvent, DynamoDBRecord, StreamRecord, StreamImage, StreamAttributeValue } from './streams/stream-types';
