import { buildCreate } from './create-item';
import { buildSave } from './save-item';
import { sendPrepared } from './send-write';
import type { WriteContext } from './write-context';
import { beforeWrite } from './write-pipeline';

/**
 * `model.create()` and `model.save()`, sent alone: the before-stages of the pipeline, then a
 * conditional Put (create, or save of a new instance) or one UpdateItem of the attributes
 * that changed since the instance was loaded (save; nothing at all when none did). Untouched
 * attributes are never re-encoded or rewritten, whatever form another writer stored them in.
 *
 * @example
 * await writeModel(startWrite(schemaOf(User), user, 'save', {}));
 */
export async function writeModel(ctx: WriteContext): Promise<void> {
  // Awaited only when there is something to await: most models have no hooks or constraints.
  const preparing = beforeWrite(ctx);
  if (preparing) await preparing;
  const write = ctx.action === 'create' ? buildCreate(ctx) : buildSave(ctx);
  if (write) await sendPrepared(write);
}
