// Builds the package: three CommonJS bundles and tsc's declarations.
//
//   dist/internal.js        all of lib/ (bundled: one file imports in a third of the time of 40)
//   dist/index.js           the public surface, re-exported from ./internal.js
//   dist/testing/index.js   dynamorm/testing, using ../internal.js for what it shares with it
//
// Usage: node scripts/build.mjs [--outdir DIR] [--no-types]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const lib = path.join(root, 'lib');
const args = process.argv.slice(2);
const outdir = path.resolve(root, args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : 'dist');
const withTypes = !args.includes('--no-types');

/** Sends imports of lib/ files outside `keep` to the shared internal bundle. */
function shareInternal(entry, keep, internalPath) {
  return {
    name: 'share-internal',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        const resolved = path.resolve(a.resolveDir, a.path);
        const inside = resolved.startsWith(lib + path.sep) && !(keep && resolved.startsWith(keep + path.sep));
        if (a.importer === entry || (keep && inside)) return { path: internalPath, external: true };
        return undefined;
      });
    },
  };
}

fs.rmSync(outdir, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: true, keepNames: true, minifyWhitespace: true, minifySyntax: true };
await build({ ...common, entryPoints: [path.join(lib, 'internal.ts')], outfile: path.join(outdir, 'internal.js') });
const indexEntry = path.join(lib, 'index.ts');
await build({ ...common, entryPoints: [indexEntry], outfile: path.join(outdir, 'index.js'), plugins: [shareInternal(indexEntry, undefined, './internal.js')] });
const testingDir = path.join(lib, 'testing');
await build({
  ...common,
  entryPoints: [path.join(testingDir, 'index.ts')],
  outfile: path.join(outdir, 'testing', 'index.js'),
  plugins: [shareInternal(undefined, testingDir, '../internal.js')],
});

if (withTypes) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', outdir], { cwd: root, stdio: 'inherit' });
}
