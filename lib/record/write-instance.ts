import type { ModelSchema } from '../metadata/model-schema';
import { buildCreate } from './create-item';
import { prepareDelete } from './delete-item';
import type { SaveOptions } from './operation-options';
import { buildSave } from './save-item';
import { sendPrepared } from './send-write';
import { startWrite, type WriteAction } from './write-context';
import { beforeWrite } from './write-pipeline';

/**
 * `model.create()`, `model.save()` and `model.delete()`, each sent alone (transactions,
 * batches and query writes run the same stages on their own contexts): the write starts here,
 * its context made once, then runs the stages of its action and sends one request. A create
 * (or the save of a new instance) is a conditional Put (buildCreate); a save of a loaded
 * instance one UpdateItem of what changed, or nothing at all (buildSave); a delete a
 * DeleteItem by the key (prepareDelete).
 *
 * @example
 * await writeInstance(schemaOf(User), user, 'save'); // what user.save() does
 */
export async function writeInstance(schema: ModelSchema, model: object, action: WriteAction, options?: SaveOptions): Promise<void> {
  const ctx = startWrite(schema, model, action, options);
  if (ctx.action === 'delete') return sendPrepared(await prepareDelete(ctx));
  // Awaited only when there is something to await: most models have no hooks or constraints.
  const preparing = beforeWrite(ctx);
  if (preparing) await preparing;
  const write = ctx.action === 'create' ? buildCreate(ctx) : buildSave(ctx);
  if (write) await sendPrepared(write);
}
