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
  // `declare`: no own `params: undefined` on errors that have none (it showed in every trace).
  declare readonly params?: unknown;

  constructor(message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    if (context.params !== undefined) (this as { params?: unknown }).params = context.params;
  }

  /**
   * `err instanceof ItemNotFoundError` holds for the errors of every copy of dynamorm in the
   * process: an app may load the CommonJS and the ESM build side by side (its own code and a
   * dependency), and each has its own classes. Errors are matched by their class names.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const name = ((this as Function).prototype as { name?: unknown } | undefined)?.name;
    type Proto = Record<PropertyKey, unknown> | null;
    for (
      let proto = (value === null || typeof value !== 'object' ? null : Object.getPrototypeOf(value)) as Proto;
      proto;
      proto = Object.getPrototypeOf(proto) as Proto
    ) {
      if (Object.prototype.hasOwnProperty.call(proto, 'name') && proto.name === name && proto[ERROR_BRAND] === true) return true;
    }
    return false;
  }
}

// Marks the prototypes of dynamorm's errors, whichever copy of dynamorm made them.
const ERROR_BRAND = Symbol.for('dynamorm.error');
Object.defineProperty(DynamormError.prototype, ERROR_BRAND, { value: true });

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
  constructor(
    message: string,
    readonly attribute: string,
    context: ErrorContext = {},
  ) {
    super(message, context);
  }
}

/** The shape of a query, update or request is wrong (unknown property, bad operator, ...). */
export class QueryError extends DynamormError {}

/** A pagination cursor does not belong to this query, or was tampered with. */
export class InvalidCursorError extends DynamormError {}

/**
 * A batch (or a query-level write) stopped before every item was done; `cause` is what
 * stopped it (DynamoDB, a hook, validation). `.completed` lists what was done, `.unprocessed`
 * the rest, as the caller passed it, so that it can be sent again.
 *
 * @example
 * try { await User.batchCreate(list); } catch (err) {
 *   if (err instanceof BatchError) await User.batchCreate(err.unprocessed as typeof list); // the written ones are in err.completed
 * }
 */
export class BatchError extends DynamormError {
  /**
   * What was done before the batch stopped: the instances written, in their stored state and
   * after-hooks run (batchCreate, deleteAll, updateAll), the keys or instances deleted as
   * passed (batchDelete), the instances read (batchGet).
   */
  readonly completed: readonly unknown[];

  constructor(
    message: string,
    readonly unprocessed: readonly unknown[],
    context: ErrorContext & { completed?: readonly unknown[] } = {},
  ) {
    super(message, context);
    this.completed = context.completed ?? [];
  }
}

/** A transaction is malformed (too many actions, two on one item, bad token). */
export class TransactionError extends DynamormError {}

/**
 * Why one operation of a cancelled transaction failed (`code: 'None'`: it did not). `code` is
 * DynamoDB's (ConditionalCheckFailed, TransactionConflict, ...), or 'UniqueConstraint' when a
 * unique value the operation takes belongs to another item (`attribute` names it).
 */
export interface CancellationReason {
  /** The operation's position in the transaction (or the key's, in transactGet). */
  index: number;
  /** The model class name. */
  model?: string;
  /** The item's table key, as stored. */
  key?: Record<string, unknown>;
  code: string;
  message?: string;
  /** The unique attribute whose value is taken (code 'UniqueConstraint'). */
  attribute?: string;
}

/** DynamoDB cancelled a transaction; `reasons[i]` explains operation i. */
export class TransactionCanceledError extends DynamormError {
  constructor(
    message: string,
    readonly reasons: readonly CancellationReason[],
    context: ErrorContext = {},
  ) {
    super(message, context);
  }
}

/** A model class is declared wrongly; thrown when its metadata is first resolved. */
export class ModelDefinitionError extends DynamormError {}

/** What is known of a request stopped by a Lambda deadline: never sent, or sent and its fate unknown. */
export type LambdaTimeoutOutcome = 'not-sent' | 'unknown';

/**
 * A request inside `withLambdaTimeout` met the deadline. `outcome` is `'not-sent'` when the
 * deadline had passed before it was sent (nothing happened), `'unknown'` when it was aborted
 * in flight (a write may have been applied: a retry must expect its own write).
 */
export class LambdaTimeoutError extends DynamormError {
  constructor(
    message: string,
    readonly outcome: LambdaTimeoutOutcome,
    context: ErrorContext & { operation?: string; table?: string; model?: string; unprocessed?: readonly unknown[]; completed?: readonly unknown[] } = {},
  ) {
    super(message, context);
    for (const field of ['operation', 'table', 'model', 'unprocessed', 'completed'] as const) {
      if (context[field] !== undefined) (this as Record<string, unknown>)[field] = context[field];
    }
  }

  /** The DynamoDB operation (GetItem, Query, ...), when a request was stopped. */
  declare readonly operation?: string;
  /** The full table name(s) of that request. */
  declare readonly table?: string;
  /** The model class registered for the table. */
  declare readonly model?: string;
  /** A batch (or query-level write) the deadline stopped: the keys not done, as BatchError's. */
  declare readonly unprocessed?: readonly unknown[];
  /** A batch (or query-level write) the deadline stopped: what was done, as BatchError's. */
  declare readonly completed?: readonly unknown[];
}

/**
 * Names each error class on its prototype, as the built-in errors are: a literal, so that an
 * app minified with renamed classes still reports `ItemNotFoundError`, and not an own
 * property of every instance.
 */
export function nameErrors(classes: Record<string, Function>): void {
  for (const [name, cls] of Object.entries(classes)) Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

nameErrors({
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
});
