import type { DynaliteClient } from '../dynalite-client';
import { assertItem, assertKey, assertUpdates, itemIdentity, validateRequest, type ValidatedRequest } from '../dynalite-internals';
import { isDynamoError, resourceNotFound, transactionCanceled, validationError, type CancellationReason, type DynamoError } from '../errors';
import { isRecord, keyOf, type TableDescription, type WireBody, type WireItem } from '../wire';

/** DynamoDB's per-request limit for both transaction operations. */
const MAX_TRANSACT_ITEMS = 100;

export type ActionKind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete' | 'Get';

/** One validated action of a transaction, ready to run. */
export interface PlannedAction {
  kind: ActionKind;
  tableName: string;
  /** The action's parameters as the client sent them, minus what only transactions know. */
  request: WireBody;
  /** The same after dynalite's validation, with parsed expressions. */
  validated: ValidatedRequest;
  /** The primary key of the item the action targets. */
  key: WireItem;
  /** `ReturnValuesOnConditionCheckFailure: ALL_OLD`. */
  returnOldOnFailure: boolean;
}

const VALIDATED_AS = {
  ConditionCheck: 'deleteItem',
  Put: 'putItem',
  Update: 'updateItem',
  Delete: 'deleteItem',
  Get: 'getItem',
} as const;

/**
 * Key faults DynamoDB finds only while it runs the transaction, so they cancel it with a
 * `ValidationError` reason at the action's place rather than failing the request: a key
 * attribute missing or of the wrong type (of the table's key or an index's). Other key
 * faults (an empty string, a key too long) are input validation, a plain ValidationException.
 */
const CANCELLING_KEY_FAULT =
  /^(?:The provided key element does not match the schema$|One or more parameter values were invalid: (?:Missing the key |Type mismatch for (?:Index Key|key) ))/;

/**
 * Checks a TransactItems list and everything about it that does not depend on
 * stored data: its length, that each entry names one action of `kinds`, each
 * action's own parameters, that every table exists, that keys fit their tables
 * (a key that does not cancels the transaction, as on DynamoDB), and that no two
 * actions target one item.
 */
export async function planTransaction(
  client: DynaliteClient,
  transactItems: unknown,
  kinds: readonly ActionKind[],
  kindsMessage: string,
): Promise<PlannedAction[]> {
  const entries = checkLength(transactItems);
  const drafts = entries.map((entry) => draftAction(entry, kinds, kindsMessage));
  const tables = await describeTables(
    client,
    drafts.map((draft) => draft.tableName),
  );
  const keys = drafts.map((draft) => keyOrFault(draft, tables.get(draft.tableName)!));
  if (keys.some((key) => key.fault)) {
    throw transactionCanceled(keys.map((key): CancellationReason => (key.fault ? { Code: 'ValidationError', Message: key.fault.message } : { Code: 'None' })));
  }
  const seen = new Set<string>();
  return drafts.map((draft, i) => {
    const table = tables.get(draft.tableName)!;
    const key = keys[i].key!;
    const identity = itemIdentity(draft.tableName, key, table);
    if (seen.has(identity)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
    return { ...draft, key: keyOf(key, table.KeySchema) };
  });
}

function checkLength(transactItems: unknown): unknown[] {
  const constraint = (value: string, rule: string) =>
    validationError(`1 validation error detected: Value ${value} at 'transactItems' failed to satisfy constraint: ${rule}`);
  if (transactItems === undefined || transactItems === null) throw constraint('null', 'Member must not be null');
  if (!Array.isArray(transactItems)) throw validationError('Start of list found where not expected');
  if (transactItems.length < 1) throw constraint("'[]'", 'Member must have length greater than or equal to 1');
  if (transactItems.length > MAX_TRANSACT_ITEMS) {
    throw constraint(`'[${transactItems.length} items]'`, `Member must have length less than or equal to ${MAX_TRANSACT_ITEMS}`);
  }
  return transactItems;
}

function draftAction(entry: unknown, kinds: readonly ActionKind[], kindsMessage: string): Omit<PlannedAction, 'key'> {
  const present = isRecord(entry) ? kinds.filter((kind) => entry[kind] !== undefined && entry[kind] !== null) : [];
  if (present.length !== 1 || !isRecord(entry)) throw validationError(kindsMessage);
  const kind = present[0];
  const raw = entry[kind];
  if (!isRecord(raw)) throw validationError('Unexpected value type in payload');
  const { ReturnValuesOnConditionCheckFailure: returnOld, ...request } = raw;
  if (returnOld !== undefined && returnOld !== 'ALL_OLD' && returnOld !== 'NONE') {
    throw validationError(
      `1 validation error detected: Value '${String(returnOld)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
    );
  }
  // Transactions accept expressions only, so these are required where the single-item calls make them optional.
  const required = kind === 'ConditionCheck' ? 'ConditionExpression' : kind === 'Update' ? 'UpdateExpression' : undefined;
  if (required && typeof request[required] !== 'string') {
    const field = required[0].toLowerCase() + required.slice(1);
    throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  const validated = validateRequest(VALIDATED_AS[kind], request);
  return { kind, tableName: String(validated.TableName), request, validated, returnOldOnFailure: returnOld === 'ALL_OLD' };
}

async function describeTables(client: DynaliteClient, names: string[]): Promise<Map<string, TableDescription>> {
  const tables = new Map<string, TableDescription>();
  for (const name of new Set(names)) {
    try {
      const table = await client.describeTable(name);
      if (table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING') throw resourceNotFound();
      tables.set(name, table);
    } catch (err) {
      // A transaction names no table in its error, unlike DescribeTable.
      if (isDynamoError(err, 'ResourceNotFoundException')) throw resourceNotFound();
      throw err;
    }
  }
  return tables;
}

/** The action's key, or the fault that cancels the transaction; any other error is thrown. */
function keyOrFault(draft: Omit<PlannedAction, 'key'>, table: TableDescription): { key?: WireItem; fault?: DynamoError } {
  try {
    return { key: checkKeys(draft, table) };
  } catch (err) {
    if (isDynamoError(err, 'ValidationException') && CANCELLING_KEY_FAULT.test(err.message)) return { fault: err };
    throw err;
  }
}

function checkKeys(draft: Omit<PlannedAction, 'key'>, table: TableDescription): WireItem {
  if (draft.kind === 'Put') {
    const item = draft.request.Item as WireItem;
    assertItem(item, table);
    return item;
  }
  const key = draft.request.Key as WireItem;
  assertKey(key, table);
  if (draft.kind === 'Update') assertUpdates(draft.validated, table);
  return key;
}
