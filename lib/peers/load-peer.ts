import { createRequire } from 'node:module';
import { moduleAnchor } from './module-anchor';

let load: NodeRequire | undefined;

const loader = (): NodeRequire => (load ??= createRequire(moduleAnchor()));

/**
 * An optional peer package as the application's installation resolves it, or undefined
 * when it is not installed. The name is never a literal in a require() call, so bundlers do
 * not follow it: an app bundle gets a peer only when the app imports it itself (for
 * class-validator and class-transformer, through `dynamorm/class-validator` and
 * `dynamorm/class-transformer`).
 */
export function loadPeer<T>(name: string): T | undefined {
  try {
    return loader()(name) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`)) return undefined;
    throw error;
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
  const marker = `${'/'}node_modules/${name}/`;
  return Object.keys(loader().cache).some((file) => file.replace(/\\/g, '/').includes(marker));
}
