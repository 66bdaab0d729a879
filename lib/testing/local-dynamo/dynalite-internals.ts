import { DynamoError } from './errors';
import type { TableDescription, WireBody, WireItem } from './wire';

/**
 * Typed access to the parts of dynalite (v4) this layer reuses: its request
 * validation (exact DynamoDB messages, expressions parsed once) and its condition
 * evaluator. Loaded on first use so that importing `dynamorm/testing` stays cheap.
 */

type Operation = 'putItem' | 'updateItem' | 'deleteItem' | 'getItem' | 'createTable';

interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: WireBody, store: unknown) => string | undefined;
}

interface ValidationsModule {
  checkTypes(data: WireBody, types: Record<string, unknown>): WireBody;
  checkValidations(data: WireBody, types: Record<string, unknown>, custom: ActionValidation['custom'], store: unknown): void;
}

/** dynalite's errors carry the wire body and status code. */
interface DynaliteError {
  statusCode?: number;
  body?: unknown;
}

interface DbModule {
  MAX_SIZE: number;
  checkConditional(data: WireBody, item: WireItem | undefined): DynaliteError | null | undefined;
  validateKey(key: WireItem, table: TableDescription): DynaliteError | null | undefined;
  validateItem(item: WireItem, table: TableDescription): DynaliteError | null | undefined;
  validateUpdates(attributeUpdates: unknown, expressionUpdates: unknown, table: TableDescription): DynaliteError | null | undefined;
  createKey(item: WireItem, table: TableDescription): string;
}

/** A request body after dynalite's validation, with parsed expressions in `_condition` / `_updates`. */
export type ValidatedRequest = WireBody;

let cached: { validations: ValidationsModule; db: DbModule; actions: Partial<Record<Operation, ActionValidation>> } | undefined;

function load() {
  if (!cached) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    cached = {
      validations: require('dynalite/validations') as ValidationsModule,
      db: require('dynalite/db') as DbModule,
      actions: {},
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return cached;
}

function actionValidation(operation: Operation): ActionValidation {
  const internals = load();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  internals.actions[operation] ??= require(`dynalite/validations/${operation}`) as ActionValidation;
  return internals.actions[operation] as ActionValidation;
}

function rethrow(err: unknown): never {
  const dynaliteErr = err as DynaliteError;
  if (dynaliteErr && typeof dynaliteErr.statusCode === 'number') throw DynamoError.fromWire(dynaliteErr.statusCode, dynaliteErr.body);
  throw err;
}

function check(result: DynaliteError | null | undefined): void {
  if (result) rethrow(result);
}

/**
 * Validates `body` as dynalite validates a request for `operation`, without
 * running it. Throws the ValidationException (or SerializationException) dynalite
 * would send; returns a copy with parsed expressions.
 */
export function validateRequest(operation: Operation, body: WireBody): ValidatedRequest {
  const { validations, db } = load();
  const { types, custom } = actionValidation(operation);
  const fakeStore = { options: { maxItemSize: db.MAX_SIZE } };
  try {
    const data = validations.checkTypes(structuredClone(body), types);
    validations.checkValidations(data, types, custom, fakeStore);
    return data;
  } catch (err) {
    rethrow(err);
  }
}

/** Whether the condition of a validated request holds for `item` (undefined: no item). */
export function conditionHolds(request: ValidatedRequest, item: WireItem | undefined): boolean {
  return !load().db.checkConditional(request, item);
}

/** Throws the ValidationException dynalite gives when `key` does not fit the table's key schema. */
export function assertKey(key: WireItem, table: TableDescription): void {
  check(load().db.validateKey(key, table));
}

/** Throws the ValidationException dynalite gives when a Put item's keys (or index keys) do not fit the table. */
export function assertItem(item: WireItem, table: TableDescription): void {
  check(load().db.validateItem(item, table));
}

/** Throws when an Update touches key attributes or gives an index key the wrong type. */
export function assertUpdates(request: ValidatedRequest, table: TableDescription): void {
  check(load().db.validateUpdates(request.AttributeUpdates, request._updates, table));
}

/** dynalite's storage key for an item: equal for two keys exactly when they name the same item. */
export function itemIdentity(tableName: string, keyOrItem: WireItem, table: TableDescription): string {
  return `${tableName}\u0000${load().db.createKey(keyOrItem, table)}`;
}
