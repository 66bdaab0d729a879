import { requirePeer } from '../../peers/load-peer';
import { DynamoError, isDynamoError, validationError } from './errors';
import { syntaxErrorDetail } from './validation/expression-syntax';
import { isRecord, type TableDescription, type WireBody, type WireItem } from './wire';

/**
 * Typed access to the parts of dynalite (v4) this layer reuses: its request
 * validation (exact DynamoDB messages, expressions parsed once) and its condition
 * evaluator. Loaded on first use so that importing `dynamorm/testing` stays cheap.
 */

/** The operations whose validation is reused, named as dynalite names its modules. */
export type Operation =
  | 'putItem'
  | 'updateItem'
  | 'deleteItem'
  | 'getItem'
  | 'query'
  | 'scan'
  | 'batchGetItem'
  | 'batchWriteItem'
  | 'createTable'
  | 'updateTable'
  | 'describeTimeToLive';

/** A parameter table in dynalite's format, e.g. `{ TableName: { type: 'String', required: true } }`. */
export type ParameterTypes = Record<string, unknown>;

interface ActionValidation {
  types: ParameterTypes;
  custom?: (data: WireBody, store: unknown) => string | undefined;
}

interface ValidationsModule {
  checkTypes(data: WireBody, types: ParameterTypes): WireBody;
  checkValidations(data: WireBody, types: ParameterTypes, custom: ActionValidation['custom'], store: unknown): void;
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
  itemSize(item: WireItem, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number;
  validateKeyPiece(key: WireItem, attr: string, type: string, isHash: boolean): DynaliteError | null | undefined;
  validateKeyPaths(nestedPaths: unknown, table: TableDescription): DynaliteError | null | undefined;
  matchesExprFilter(item: WireItem, expression: unknown): boolean;
  matchesFilter(item: WireItem, filter: unknown, conditionalOperator: unknown): boolean;
  mapPaths(paths: unknown[], item: WireItem): WireItem;
  compare(operator: string, value: unknown, values: unknown): boolean;
}

/** A request body after dynalite's validation, with parsed expressions in `_condition` / `_updates`. */
export type ValidatedRequest = WireBody;

let cached: { validations: ValidationsModule; db: DbModule; actions: Partial<Record<Operation, ActionValidation>> } | undefined;

function load() {
  // Through the peer loader: a literal require() is not available in the ESM build.
  cached ??= {
    validations: requirePeer<ValidationsModule>('dynalite/validations'),
    db: requirePeer<DbModule>('dynalite/db'),
    actions: {},
  };
  return cached;
}

function actionValidation(operation: Operation): ActionValidation {
  const internals = load();
  internals.actions[operation] ??= requirePeer<ActionValidation>(`dynalite/validations/${operation}`);
  return internals.actions[operation];
}

function fromDynalite(err: unknown): unknown {
  const dynaliteErr = err as DynaliteError;
  return dynaliteErr && typeof dynaliteErr.statusCode === 'number' ? DynamoError.fromWire(dynaliteErr.statusCode, dynaliteErr.body) : err;
}

function rethrow(err: unknown): never {
  throw fromDynalite(err);
}

function check(result: DynaliteError | null | undefined): void {
  if (result) rethrow(result);
}

/** dynalite's parameter table for `operation`, for a caller that needs a variant of it. Do not modify it. */
export function parameterTypes(operation: Operation): ParameterTypes {
  return actionValidation(operation).types;
}

/**
 * Validates `body` as dynalite validates a request for `operation`, without
 * running it: the type checks (SerializationException), then the constraints and
 * the operation's own rules (ValidationException), each with dynalite's exact body.
 * `types` replaces dynalite's entries of the same name in place and adds the rest
 * after them (parameters dynalite does not know, which DynamoDB lists after the
 * older ones). Returns a copy with parsed expressions.
 */
export function validateRequest(
  operation: Operation,
  body: unknown,
  types: ParameterTypes = {},
  tolerated?: (message: string, data: WireBody) => boolean,
): ValidatedRequest {
  const action = actionValidation(operation);
  const custom = action.custom;
  // A rule of dynalite's that DynamoDB no longer has for some requests (e.g. a Query's two key
  // conditions at most, on an index with multi-attribute keys) is passed over for them.
  const lenient: ActionValidation['custom'] =
    tolerated && custom
      ? (data, store) => {
          const message = custom(data, store);
          return message !== undefined && tolerated(message, data) ? undefined : message;
        }
      : custom;
  return validate({ ...action.types, ...types }, lenient, body);
}

/** The same checks for an operation dynalite lacks, from a parameter table written here. */
export function validateParameters(types: ParameterTypes, body: unknown): ValidatedRequest {
  return validate(types, undefined, body);
}

function validate(types: ParameterTypes, custom: ActionValidation['custom'], body: unknown): ValidatedRequest {
  const { validations, db } = load();
  const fakeStore = { options: { maxItemSize: db.MAX_SIZE } };
  try {
    // A body that is JSON but not an object reads as an empty request, as in dynalite.
    const data = validations.checkTypes(isRecord(body) ? structuredClone(body) : {}, types);
    validations.checkValidations(data, types, custom, fakeStore);
    return data;
  } catch (err) {
    const error = fromDynalite(err);
    throw isRecord(body) ? withSyntaxWording(error, body) : error;
  }
}

/** dynalite's expression parsers, named after the expressions they parse. */
interface ExpressionParser {
  parse(expression: string, options: { context: Record<string, unknown> }): unknown;
}

const PARSER_OF: Record<string, string> = {
  UpdateExpression: 'dynalite/db/updateParser',
  ConditionExpression: 'dynalite/db/conditionParser',
  KeyConditionExpression: 'dynalite/db/conditionParser',
  FilterExpression: 'dynalite/db/conditionParser',
  ProjectionExpression: 'dynalite/db/projectionParser',
};

const SYNTAX_ERROR = /^Invalid (\w+Expression): Syntax error; /;

/**
 * A syntax error worded as DynamoDB words it (`token: "!", near: "!!"`) where dynalite
 * says what its parser expected: the expression is parsed again to learn where it stopped.
 * Any other error is returned as it is.
 */
function withSyntaxWording(error: unknown, body: WireBody): unknown {
  if (!isDynamoError(error, 'ValidationException')) return error;
  const name = SYNTAX_ERROR.exec(error.message)?.[1];
  const expression = name === undefined ? undefined : body[name];
  if (name === undefined || typeof expression !== 'string' || !Object.hasOwn(PARSER_OF, name)) return error;
  const offset = syntaxErrorOffset(requirePeer<ExpressionParser>(PARSER_OF[name]), expression, body);
  return offset === undefined ? error : validationError(`Invalid ${name}: Syntax error; ${syntaxErrorDetail(expression, offset)}`);
}

/**
 * The error DynamoDB answers where dynalite answered `message` to the request `body`: a syntax
 * error of an expression, worded with the token and the text near it. Undefined when `message`
 * is no syntax error, or when where parsing stopped cannot be found.
 *
 * @example
 * dynamoSyntaxError('Invalid ProjectionExpression: Syntax error; Expected ... but "!" found.', { ProjectionExpression: '!!' })
 * // ValidationException 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'
 */
export function dynamoSyntaxError(message: string, body: WireBody): DynamoError | undefined {
  if (!SYNTAX_ERROR.test(message)) return undefined;
  const error = withSyntaxWording(validationError(message), body);
  return error instanceof DynamoError && error.message !== message ? error : undefined;
}

function syntaxErrorOffset(parser: ExpressionParser, expression: string, body: WireBody): number | undefined {
  const context = {
    attrNames: body.ExpressionAttributeNames,
    attrVals: body.ExpressionAttributeValues,
    unusedAttrNames: {},
    unusedAttrVals: {},
    isReserved: () => false,
    compare: () => false,
  };
  try {
    parser.parse(expression, { context });
  } catch (err) {
    const location = (err as { name?: string; location?: { start?: { offset?: unknown } } }).location;
    if ((err as Error).name === 'SyntaxError' && typeof location?.start?.offset === 'number') return location.start.offset;
  }
  return undefined;
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

/**
 * An item's size as dynalite counts it for DynamoDB's 400 KB item limit: each attribute's
 * name and value.
 *
 * @example
 * itemSizeOf({ pk: { S: 'a' }, n: { N: '12' } }); // 6
 */
export function itemSizeOf(item: WireItem): number {
  return load().db.itemSize(item);
}

/** dynalite's storage key for an item: equal for two keys exactly when they name the same item. */
export function itemIdentity(tableName: string, keyOrItem: WireItem, table: TableDescription): string {
  return `${tableName}\u0000${load().db.createKey(keyOrItem, table)}`;
}

/** Throws dynalite's error when one attribute of a key (e.g. of an ExclusiveStartKey) is missing, of the wrong type, empty or too long. */
export function assertKeyPiece(key: WireItem, attr: string, type: string, isHash: boolean): void {
  check(load().db.validateKeyPiece(key, attr, type, isHash));
}

/** Throws when an expression's nested path (`a.b`, `a[0]`) goes into a key attribute of `table` or of one of its indexes. */
export function assertKeyPaths(nestedPaths: unknown, table: TableDescription): void {
  check(load().db.validateKeyPaths(nestedPaths, table));
}

/**
 * An index entry's size as dynalite counts it towards a Query or Scan page's 1 MB: a
 * compressed form of the item plus overhead (`rangeKey`: the table's sort key, counted apart).
 */
export function pageSizeOf(item: WireItem, rangeKey: string | undefined): number {
  return load().db.itemSize(item, true, true, rangeKey);
}

/** Whether `item` passes a validated read's FilterExpression (or legacy QueryFilter / ScanFilter); true without one. */
export function filterHolds(request: ValidatedRequest, item: WireItem): boolean {
  const { db } = load();
  const filter = request._filter as { expression: unknown } | undefined;
  if (filter) return db.matchesExprFilter(item, filter.expression);
  const legacy = request.QueryFilter ?? request.ScanFilter;
  return legacy ? db.matchesFilter(item, legacy, request.ConditionalOperator) : true;
}

/** `item` cut down to a validated read's ProjectionExpression (or AttributesToGet); the item itself without one. */
export function projected(request: ValidatedRequest, item: WireItem): WireItem {
  const paths = (request._projection as { paths?: unknown[] } | undefined)?.paths ?? (request.AttributesToGet as unknown[] | undefined);
  return paths ? load().db.mapPaths(paths, item) : item;
}

/**
 * Runs `validation` (synchronous) with dynalite's expression checks ordering strings by their
 * UTF-8 bytes, as DynamoDB does, rather than by JavaScript's UTF-16 order: a BETWEEN whose
 * bounds are `'\uffff'` and `'😀'` is in order for DynamoDB and not for dynalite. The parsers
 * read `db.compare` when they run, so it is swapped for the duration of the call.
 */
export function withByteOrderedStrings<T>(validation: () => T): T {
  const { db } = load();
  const original = db.compare;
  db.compare = (operator, value, values) => {
    const [bound] = Array.isArray(values) ? (values as unknown[]) : [values];
    const a = (value as { S?: unknown } | null)?.S;
    const b = (bound as { S?: unknown } | null)?.S;
    if (operator === 'GT' && typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
    return original(operator, value, values);
  };
  try {
    return validation();
  } finally {
    db.compare = original;
  }
}
