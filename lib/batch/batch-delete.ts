import type { ModelSchema } from '../metadata/model-schema';
import { keyFromInput, keyOfItem, type KeyInput } from '../marshal/key-codec';
import { keyIdentity } from './key-identity';
import { refuseUnbatchable } from './batch-checks';
import { writeModels, type ModelWrite } from './batch-write-models';
import { applyTemplates } from '../record/derived-values';
import { markDeleted } from '../record/dirty-tracking';
import { stateOf } from '../record/instance-state';
import { runHooks } from '../record/run-hooks';

/**
 * `Model.batchDelete(keysOrInstances)`: unconditional DeleteRequests in chunks of 25,
 * unprocessed ones retried. Keys run no instance hooks; instances run @BeforeDelete (every
 * one, before anything is sent) and @AfterDelete once their chunk is done, and are no longer
 * persisted. Every key is encoded first, so a bad key sends nothing; a key given twice is
 * sent once. No @Version check (delete() and deleteAll() make one). Once something is
 * deleted, whatever stops the run is a BatchError whose `.completed` and `.unprocessed` list
 * the inputs as passed (keys or instances).
 */
export async function batchDeleteModels(schema: ModelSchema, inputs: ReadonlyArray<object | KeyInput>): Promise<void> {
  refuseUnbatchable(schema, 'batchDelete', true); // a delete restarts no version
  await deleteInBatches(schema, inputs, `${schema.className}.batchDelete`);
}

/** What batchDelete does once the model may be batched; `deleteAll()` of a model without @Version or unique attributes too. */
export async function deleteInBatches(schema: ModelSchema, inputs: ReadonlyArray<object | KeyInput>, action: string): Promise<void> {
  const byKey = new Map<string, ModelWrite & { inputs: unknown[]; models: object[] }>();
  for (const input of inputs) {
    const model = input instanceof schema.ctor ? (input as object) : undefined;
    // An instance read with select() is fine here: projections always hold the table key.
    const state = model && stateOf(model);
    if (model) applyTemplates(schema, model);
    const key = state?.persisted && state.loaded ? keyOfItem(state.loaded, schema.tableKey) : keyFromInput(schema, input as KeyInput);
    const id = keyIdentity(key, schema.tableKey);
    let write = byKey.get(id);
    if (!write) {
      const passed: unknown[] = []; // a key given twice: both inputs, as the caller passed them
      const models: object[] = [];
      write = {
        request: { DeleteRequest: { Key: key } },
        inputs: passed,
        completed: passed,
        models,
        stored: () => {
          for (const m of models) markDeleted(stateOf(m));
        },
      };
      byKey.set(id, write);
    }
    write.inputs.push(input);
    if (model) write.models.push(model);
  }
  for (const write of byKey.values()) for (const model of write.models) await runHooks(schema, model, 'beforeDelete');
  await writeModels(schema, action, [...byKey.values()], AFTER_DELETE);
}

const AFTER_DELETE = Object.freeze(['afterDelete'] as const);
