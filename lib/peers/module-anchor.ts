import path from 'node:path';

/**
 * Where dynamorm resolves its optional peers from: this file where CommonJS gives its name
 * (so the app's node_modules are found as for any dependency), else the current directory.
 * Not `import.meta.url`: apps bundle dynamorm's ESM build into CommonJS too, where esbuild
 * warns about it and leaves it empty.
 */
export function moduleAnchor(): string {
  // `node -e` and `tsx -e` give '[eval]', which createRequire refuses.
  return typeof __filename === 'string' && path.isAbsolute(__filename) ? __filename : path.join(process.cwd(), 'noop.js');
}
