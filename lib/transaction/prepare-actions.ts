import type { Connection } from '../connection/connection';
import { cond, conditionParams } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import { keyOfItem } from '../marshal/key-codec';
import { buildCreate } from '../record/create-item';
import { prepareDelete } from '../record/delete-item';
import type { PreparedWrite, PrimaryWrite } from '../record/prepared-write';
import { buildSave } from '../record/save-item';
import { NO_GUARDS, type GuardChanges } from '../record/unique-guards';
import { startWrite, type WriteContext } from '../record/write-context';
import { beforeWrite, expectedVersionOf, itemExists, versionCondition } from '../record/write-pipeline';
import { updateStateOf, type UpdateBuilder } from '../update/update-builder';
import type { TransactionOperation } from './transaction-builder';

/** A ConditionCheck: the one action of `conditionCheck`, and of a save with nothing to change. */
interface ConditionCheck {
  kind: 'ConditionCheck';
  params: {
    TableName: string;
    Key: StoredItem;
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
}

/** One user operation made ready: its main action, its guards and, for instance writes, the write itself. */
export interface PreparedAction {
  readonly index: number;
  readonly kind: TransactionOperation['kind'];
  readonly schema: ModelSchema;
  readonly key: StoredItem;
  readonly primary: PrimaryWrite | ConditionCheck;
  guards: GuardChanges;
  /** create/save/delete: settle, restore and after-hooks. */
  readonly write?: PreparedWrite;
  /** The builder's upsert flag (update), for explaining a failed condition. */
  readonly upsert?: boolean;
  readonly expectedVersion?: number;
}

function fromWrite(index: number, kind: TransactionOperation['kind'], write: PreparedWrite): PreparedAction {
  return { index, kind, schema: write.ctx.schema, key: write.key, primary: write.primary, guards: write.guards, write, expectedVersion: write.expectedVersion };
}

/** A loaded model saved with no changes still asserts it is stored at its version. */
function unchangedSave(index: number, ctx: WriteContext): PreparedAction {
  const { schema } = ctx;
  const key = keyOfItem(ctx.state.loaded!, schema.tableKey);
  const expectedVersion = schema.version ? expectedVersionOf(ctx) : undefined;
  const check = conditionParams(cond.and(itemExists(schema), versionCondition(schema, expectedVersion))!);
  return {
    index,
    kind: 'save',
    schema,
    key,
    primary: { kind: 'ConditionCheck', params: { TableName: ctx.conn.tableName(schema.table), Key: key, ...check } },
    guards: NO_GUARDS,
    expectedVersion,
  };
}

async function prepareOne(operation: TransactionOperation, index: number, conn: Connection): Promise<PreparedAction> {
  const { schema } = operation;
  switch (operation.kind) {
    case 'create':
    case 'save': {
      const ctx = startWrite(schema, operation.model, operation.kind, operation.options, conn);
      const preparing = beforeWrite(ctx);
      if (preparing) await preparing;
      if (ctx.action === 'create') return fromWrite(index, 'create', buildCreate(ctx)); // tx.save of a new model creates it
      const write = buildSave(ctx);
      return write ? fromWrite(index, 'save', write) : unchangedSave(index, ctx);
    }
    case 'delete':
      return fromWrite(index, 'delete', await prepareDelete(startWrite(schema, operation.model, 'delete', undefined, conn)));
    case 'update': {
      const builder = operation.slot.current as UpdateBuilder<unknown>;
      const state = updateStateOf(builder);
      const { ReturnValues: _none, ...params } = builder.toParams();
      return { index, kind: 'update', schema, key: state.key, primary: { kind: 'Update', params }, guards: NO_GUARDS, upsert: state.upsert };
    }
    case 'check': {
      const params = { TableName: conn.tableName(schema.table), Key: operation.key, ...conditionParams(operation.condition) };
      return { index, kind: 'check', schema, key: operation.key, primary: { kind: 'ConditionCheck', params }, guards: NO_GUARDS };
    }
  }
}

/**
 * Runs each operation's pipeline in call order — before-hooks, validation, stamps, guards —
 * exactly as the instance methods would. If one fails, the values already stamped on the
 * others are put back and nothing is sent.
 */
export async function prepareActions(operations: readonly TransactionOperation[], conn: Connection): Promise<PreparedAction[]> {
  const prepared: PreparedAction[] = [];
  try {
    for (const [index, operation] of operations.entries()) prepared.push(await prepareOne(operation, index, conn));
  } catch (error) {
    for (const action of prepared) action.write?.restore();
    throw error;
  }
  return prepared;
}

/** The text that names an operation in errors: `User.save (id="1")`. */
export function describeOperation(action: Pick<PreparedAction, 'schema' | 'kind'>): string {
  const verb = action.kind === 'check' ? 'conditionCheck' : action.kind;
  return `${action.schema.className}.${verb}`;
}
