// The public surface of dynamorm: explicit named exports; nothing internal leaks.

export { BaseModel } from './model/base-model';
export type { ModelClass, ModelAttributes, ModelInput, ModelKey, ModelProperty, ReadOptions, SaveOptions } from './model/model-types';
export type { BatchCreateOptions } from './model/batch-create';

export { Model, PartitionKey, SortKey, Attribute, Index, CreatedAt, UpdatedAt, Version, TTL } from './metadata/decorators';
export {
  BeforeValidate, BeforeCreate, BeforeUpdate, BeforeSave, AfterCreate, AfterUpdate, AfterSave,
  BeforeDelete, AfterDelete, AfterLoad,
} from './metadata/hook-decorators';
export type { AttributeOptions, IndexOptions, ModelOptions, DateFormat, IndexRole, HookEvent } from './metadata/options';
export { preRegister } from './metadata/registry';

export { connect } from './connection/connect';
export { getConnection } from './connection/connection-context';
export { Connection } from './connection/connection';
export type { ConnectionConfig, RequestLogRecord, RequestOptions } from './connection/config';
export type { TracerLike, SpanLike, SpanOptionsLike, SpanAttributes, SpanAttributeValue } from './observability/tracer-types';
export type { LoggedExpressions } from './observability/debug-expressions';

export { Query } from './query/query';
export type { Page, Explanation, Selected } from './query/query';
export type { FilterOperator } from './query/query-state';
export type { WhereOperator } from './query/planner';

export { UpdateBuilder } from './update/update-builder';
export type { UpdateParams } from './update/compile-update';
export type { NumberProperty, SetProperty, ListProperty, SetMember, ListElement } from './update/update-types';

export { createTable, ensureTable, deleteTable, describeTable } from './schema/tables';
export type { CreateTableOptions } from './schema/table-definition';

export {
  DynamormError, ItemNotFoundError, ItemExistsError, ConditionFailedError, VersionConflictError,
  UniqueConstraintError, QueryError, InvalidCursorError, BatchError, TransactionError,
  TransactionCanceledError, ModelDefinitionError,
} from './errors/dynamorm-error';
export type { CancellationReason, ErrorContext } from './errors/dynamorm-error';
export { ValidationError } from './errors/validation-error';
export type { DecodeIssue } from './marshal/item-codec';
export type { ValidationIssue } from './errors/validation-error';
