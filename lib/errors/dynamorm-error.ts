/** Extra context every dynamorm error may carry, for debugging. */
export interface ErrorContext {
  /** The SDK (or other) error this one wraps. */
  cause?: unknown;
  /** The request that failed, when one was built. */
  params?: unknown;
}

/**
 * The base of every error dynamorm throws. `cause` keeps the original SDK error and
 * `params` the request that failed, so `err.params` shows what was sent.
 *
 * @example
 * try { await User.find('1'); } catch (err) { if (err instanceof DynamormError) console.log(err.params); }
 */
export class DynamormError extends Error {
  readonly params?: unknown;

  constructor(message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    if (context.params !== undefined) this.params = context.params;
  }
}

/** `find` (or a save of an item deleted meanwhile) found no item under the key. */
export class ItemNotFoundError extends DynamormError {}

/** `create` found an item under the key already. */
export class ItemExistsError extends DynamormError {}

/** A condition (`if(...)`, an implicit existence check) did not hold. */
export class ConditionFailedError extends DynamormError {}

/** The item's `@Version` moved on since it was loaded: reload and retry. */
export class VersionConflictError extends ConditionFailedError {}

/** A `{ unique: true }` attribute value is already taken by another item. */
export class UniqueConstraintError extends DynamormError {
  constructor(message: string, readonly attribute: string, context: ErrorContext = {}) {
    super(message, context);
  }
}

/** The shape of a query, update or request is wrong (unknown property, bad operator, ...). */
export class QueryError extends DynamormError {}

/** A pagination cursor does not belong to this query, or was tampered with. */
export class InvalidCursorError extends DynamormError {}

/** A batch could not process every key after its retries; `.unprocessed` lists them. */
export class BatchError extends DynamormError {
  constructor(message: string, readonly unprocessed: readonly unknown[], context: ErrorContext = {}) {
    super(message, context);
  }
}

/** A transaction is malformed (too many actions, two on one item, bad token). */
export class TransactionError extends DynamormError {}

/** One reason per operation of a cancelled transaction. */
export interface CancellationReason {
  index: number;
  model?: string;
  key?: Record<string, unknown>;
  code: string;
  message?: string;
}

/** DynamoDB cancelled a transaction; `reasons[i]` explains operation i. */
export class TransactionCanceledError extends DynamormError {
  constructor(message: string, readonly reasons: readonly CancellationReason[], context: ErrorContext = {}) {
    super(message, context);
  }
}

/** A model class is declared wrongly; thrown when its metadata is first resolved. */
export class ModelDefinitionError extends DynamormError {}
