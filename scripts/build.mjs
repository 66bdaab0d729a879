// Builds the package: a CommonJS and an ESM build of the same entries, and tsc's declarations.
//
//   dist/internal.js            all of lib/ (one bundled file imports in a third of the time of 40)
//   dist/index.js               `dynamorm`, re-exported from ./internal.js
//   dist/testing/index.js       `dynamorm/testing`, using ../internal.js for what it shares
//   dist/class-validator.js     `dynamorm/class-validator`, registers the app's class-validator
//   dist/class-transformer.js   `dynamorm/class-transformer`, likewise
//   dist/esm/...                the same as ES modules (.mjs)
//   dist/**/*.d.ts              tsc's declarations; dist/esm/*.d.mts re-export them for ES importers
//
// Readable code with source maps: apps bundle and minify it themselves, and a stack trace
// should point at a line, not at a 90 KB one. Process-wide state lives on globalThis, so the
// two builds loaded in one process share it (lib/process-state.ts).
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

/** Sends imports of lib/ files (from `entry`, or from outside `keep`) to the shared internal bundle. */
function shareInternal({ entry, keep, internalPath }) {
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

/**
 * For the ESM build, which is one file: each `require('./file')` of a lib/ file (the lazy
 * loads of lib/lazy.ts) becomes a namespace import of it. esbuild would otherwise wrap the
 * required files, and every file they import, in functions that run them on first call: a
 * larger file whose code apps' bundlers cannot tree-shake. The import goes at the end of
 * the file (imports are hoisted), so the source map's lines stay right.
 */
const lazyAsImports = {
  name: 'lazy-as-imports',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (a) => {
      if (!a.path.startsWith(lib + path.sep)) return undefined;
      const text = await fs.promises.readFile(a.path, 'utf8');
      const imports = [];
      const contents = text.replace(/\brequire\((['"])(\.\.?\/[^'"]+)\1\)/g, (_, quote, file) => {
        imports.push(`import * as lazy$${imports.length} from ${quote}${file}${quote};`);
        return `lazy$${imports.length - 1}`;
      });
      if (!imports.length) return undefined;
      return { contents: `${contents}\n${imports.join('\n')}\n`, loader: 'ts' };
    });
  },
};

const formats = [
  { format: 'cjs', dir: outdir, ext: '.js' },
  { format: 'esm', dir: path.join(outdir, 'esm'), ext: '.mjs' },
];

fs.rmSync(outdir, { recursive: true, force: true });
for (const { format, dir, ext } of formats) {
  const common = { bundle: true, platform: 'node', format, target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: true };
  await build({ ...common, entryPoints: [path.join(lib, 'internal.ts')], outfile: path.join(dir, `internal${ext}`), plugins: [lazyAsImports] });
  for (const [entry, out] of [
    ['index.ts', 'index'],
    ['integrations/class-validator.ts', 'class-validator'],
    ['integrations/class-transformer.ts', 'class-transformer'],
  ]) {
    const file = path.join(lib, entry);
    await build({ ...common, entryPoints: [file], outfile: path.join(dir, `${out}${ext}`), plugins: [shareInternal({ entry: file, internalPath: `./internal${ext}` })] });
  }
  const testingDir = path.join(lib, 'testing');
  await build({
    ...common,
    entryPoints: [path.join(testingDir, 'index.ts')],
    outfile: path.join(dir, 'testing', `index${ext}`),
    plugins: [shareInternal({ keep: testingDir, internalPath: `../internal${ext}` })],
  });
}

if (withTypes) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', outdir], { cwd: root, stdio: 'inherit' });
  // The subpaths' declarations: side-effect modules, nothing to import by name.
  fs.writeFileSync(path.join(outdir, 'class-validator.d.ts'), 'export {};\n');
  fs.writeFileSync(path.join(outdir, 'class-transformer.d.ts'), 'export {};\n');
  // The ES modules' declarations (the `import` condition's types). A .d.ts there would make
  // TypeScript (node16, bundler) type the ESM build as CommonJS, so that `import dynamorm
  // from 'dynamorm'` would compile and fail in Node. Each .d.mts re-exports the CommonJS
  // declarations: one set of types for both builds, as they share one registry at run time.
  const esmTypes = {
    'index.d.mts': "export * from '../index.js';\n",
    'testing/index.d.mts': "export * from '../../testing/index.js';\n",
    'class-validator.d.mts': 'export {};\n',
    'class-transformer.d.mts': 'export {};\n',
  };
  for (const [file, text] of Object.entries(esmTypes)) fs.writeFileSync(path.join(outdir, 'esm', file), text);
}
