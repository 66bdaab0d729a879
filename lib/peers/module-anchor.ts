import path from 'node:path';

/**
 * Where dynamorm resolves its optional peers from: this file in the CommonJS build (so the
 * app's node_modules are found as for any dependency), the current directory elsewhere. The
 * ESM build replaces this module with one that answers `import.meta.url` (scripts/build.mjs).
 */
export function moduleAnchor(): string {
  return typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'noop.js');
}
