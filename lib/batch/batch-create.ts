import { getConnection } from '../connection/connection-context';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import { checkItemSize, toItem } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey, keyOfItem } from '../marshal/key-codec';
import { keyIdentity } from './key-identity';
import { refuseUnbatchable } from './batch-checks';
import { writeModels, type ModelWrite } from './batch-write-models';
import { checkKnownProperties } from '../record/derived-values';
import { markStored } from '../record/dirty-tracking';
import { startWrite } from '../record/write-context';
import { AFTER_HOOKS, beforeWrite, stampWrite } from '../record/write-pipeline';
import type { SaveOptions } from '../record/operation-options';

/** Options of `Model.batchCreate()`. */
export interface BatchCreateOptions extends SaveOptions {
  /**
   * Required (true) for a model with @Version: a batch overwrites existing items
   * unconditionally and restarts their version at 1.
   */
  overwrite?: boolean;
}

/**
 * `Model.batchCreate(items)`: the create pipeline for every item (defaults, templates,
 * @BeforeValidate, validation, @BeforeCreate, @BeforeSave, @CreatedAt/@UpdatedAt, version 1,
 * @TTL, the size check), all of it before anything is sent: an invalid item (or two items with
 * one key, which DynamoDB refuses in one batch) is an error and no chunk is written. Then
 * unconditional PutRequests in chunks of 25, unprocessed ones retried; @AfterCreate/@AfterSave
 * run per item once its chunk is written. Once something is written, whatever stops the run
 * is a BatchError: `.completed` the instances written (persisted, after-hooks run, whatever a
 * hook threw), `.unprocessed` the items not written as passed, instances given back their
 * values from before the call.
 */
export async function batchCreateModels<M>(schema: ModelSchema, inputs: readonly object[], options: BatchCreateOptions = {}): Promise<M[]> {
  const action = 'batchCreate';
  refuseUnbatchable(schema, action, options.overwrite === true);
  const conn = getConnection();
  const models = inputs.map((input) => (input instanceof schema.ctor ? input : build(schema, input)));
  const restores: Array<() => void> = [];
  const writes: ModelWrite[] = [];
  const seen = new Map<string, number>();
  const restore = () => restores.forEach((r) => r());
  try {
    for (const [index, model] of models.entries()) {
      const ctx = startWrite(schema, model, 'create', options, conn);
      const preparing = beforeWrite(ctx);
      if (preparing) await preparing;
      restores.push(stampWrite(ctx, new Date()));
      const item = toItem(schema, model);
      checkItemSize(schema, item);
      const key = keyOfItem(item, schema.tableKey);
      const id = keyIdentity(key, schema.tableKey);
      if (seen.has(id)) throw duplicate(schema, key, seen.get(id)!, index);
      seen.set(id, index);
      writes.push({
        request: { PutRequest: { Item: item } },
        inputs: [inputs[index]],
        completed: [model],
        models: [model],
        stored: () => {
          restores[index] = () => undefined; // written: nothing to put back if a later chunk fails
          markStored(ctx.state, item);
          ctx.state.decodeIssues = undefined; // every attribute was just written
        },
      });
    }
    await writeModels(schema, `${schema.className}.${action}`, writes, AFTER_HOOKS.create);
  } catch (error) {
    restore();
    throw error;
  }
  return models as M[];
}

// What build() does; the defaults come with beforeWrite.
function build(schema: ModelSchema, attrs: object): object {
  const model = new (schema.ctor as new () => object)();
  checkKnownProperties(schema, model, attrs, 'batchCreate');
  return Object.assign(model, attrs);
}

function duplicate(schema: ModelSchema, key: StoredItem, first: number, second: number): ValidationError {
  return new ValidationError(
    `${schema.className}.batchCreate: items ${first} and ${second} share one key (${formatKey(key)}); a batch takes one write per key.`,
  );
}
