import { createRequire } from 'node:module';
import { DynamormError } from '../errors/dynamorm-error';
import { moduleAnchor } from './module-anchor';

let load: NodeJS.Require | undefined;

const loader = (): NodeJS.Require => (load ??= createRequire(moduleAnchor()));

/**
 * An optional peer package as the application's installation resolves it, or undefined
 * when it is not installed. The name is never a literal in a require() call, so bundlers do
 * not follow it: an app bundle gets a peer only when the app imports it itself (for
 * class-validator and class-transformer, through `dynamorm/class-validator` and
 * `dynamorm/class-transformer`).
 *
 * Not installed means that the name does not resolve. A peer that resolves but fails to load
 * (it throws, a dependency of its own is missing) is a DynamormError whose `cause` is the
 * failure: telling the app to install what it has installed would hide the real problem.
 */
export function loadPeer<T>(name: string): T | undefined {
  let file: string | undefined;
  try {
    file = loader().resolve(name);
    return loader()(file) as T;
  } catch (error) {
    if (file === undefined && (error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND') return undefined;
    throw new DynamormError(
      `The optional peer dependency ${name} is installed but failed to load: ${(error as Error)?.message ?? error} (reinstall it if its install is broken).`,
      { cause: error },
    );
  }
}

/** Like loadPeer, for a module that must be there (its error passes through). */
export function requirePeer<T>(name: string): T {
  return loader()(name) as T;
}

/**
 * True when the application has already loaded the peer (it sits in the module cache), so
 * that looking for what it declared costs nothing when it has not.
 */
export function peerInCache(name: string): boolean {
  const marker = `/node_modules/${name}/`;
  return Object.keys(loader().cache).some((file) => file.replace(/\\/g, '/').includes(marker));
}
