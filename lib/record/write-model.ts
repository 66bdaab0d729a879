import type { ModelSchema } from '../metadata/model-schema';
import { buildCreate } from './create-item';
import { prepareDelete } from './delete-item';
import type { SaveOptions } from './operation-options';
import { buildSave } from './save-item';
import { sendPrepared } from './send-write';
import { startWrite, type WriteAction } from './write-context';
import { beforeWrite } from './write-pipeline';

/**
 * `model.create()`, `model.save()` and `model.delete()`, each sent alone: the write starts
 * here (its context, made once), runs the stages of its action and sends one request. A create
 * (or the save of a new instance) is a conditional Put; a save of a loaded instance one
 * UpdateItem of the attributes that changed since it was loaded (nothing at all when none
 * did), so untouched attributes are never re-encoded or rewritten, whatever form another
 * writer stored them in; a delete a DeleteItem by the key (see prepareDelete).
 *
 * @example
 * await writeModel(schemaOf(User), user, 'save'); // what user.save() does
 */
export async function writeModel(schema: ModelSchema, model: object, action: WriteAction, options?: SaveOptions): Promise<void> {
  const ctx = startWrite(schema, model, action, options);
  if (ctx.action === 'delete') return sendPrepared(await prepareDelete(ctx));
  // Awaited only when there is something to await: most models have no hooks or constraints.
  const preparing = beforeWrite(ctx);
  if (preparing) await preparing;
  const write = ctx.action === 'create' ? buildCreate(ctx) : buildSave(ctx);
  if (write) await sendPrepared(write);
}
