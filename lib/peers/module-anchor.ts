// Named imports: a default import of a Node module costs a copy of all its properties at
// import time in the CommonJS build (esbuild's __toESM).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { esmUrl } from './esm-url';

/**
 * Where dynamorm resolves its optional peers from: its own file, so that the app's
 * node_modules are found as for any dependency, whatever the current directory. That is the
 * ES module's URL in the ESM build, else CommonJS's `__filename`; the current directory
 * only where a bundler took both away (esbuild leaves `import.meta` empty when it bundles
 * the ESM build into CommonJS, webpack may bake in a path of the machine that built it).
 */
export function moduleAnchor(): string {
  const url = esmUrl();
  if (url?.startsWith('file:') && existsSync(new URL(url))) return url;
  // `node -e` and `tsx -e` give '[eval]', which createRequire refuses.
  return typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js');
}
