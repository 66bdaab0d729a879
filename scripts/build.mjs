// Builds the package: a CommonJS and an ESM build of the same entries, and tsc's declarations.
//
//   dist/internal.js            the core of lib/: what every app loads (models, decorators, find,
//                               create, save, delete, connections, errors, ...)
//   dist/chunks/<feature>.js    the rest of lib/, one file per feature (FEATURES below), which
//                               Node reads and compiles only when an app first uses the feature
//   dist/index.js               `dynamorm`: getters for the public names of ./internal.js
//   dist/testing/index.js       `dynamorm/testing`, using ../internal.js for what it shares
//   dist/class-validator.js     `dynamorm/class-validator`, registers the app's class-validator
//   dist/class-transformer.js   `dynamorm/class-transformer`, likewise
//   dist/esm/...                the same as ES modules (.mjs), the core and the features in one
//                               internal.mjs: an ES module cannot load a file synchronously
//   dist/**/*.d.ts              tsc's declarations; dist/esm/*.d.mts re-export them for ES importers
//
// Why the chunks: import time. Node compiles a file as a whole when it is required, and
// compiling all of lib/ was most of dynamorm's import time; a Lambda that only finds and
// creates items should not compile the query layer, the update builder, batches,
// transactions, the table admin or stream decoding. The core stays one bundled file, which
// imports in a third of the time of its files required one by one.
//
// Every lib/ file is in exactly one output (spec/integration/packaging.spec.ts checks it):
// two copies of a file would be two module instances, two classes of each error (a broken
// `instanceof`) and two copies of its state. So where one output's file imports another
// output's file, the build links them instead of copying (linkOutputs below):
//   - a feature file importing a core file gets the core's own values, through
//     require('../internal.js') (read when the chunk loads: the core is loaded by then);
//   - the core reaches a feature only through an explicit `lazy(() => require('./file'))` in
//     source (lib/lazy.ts; e.g. lib/model/base-model.ts), or through a re-export of lib/index.ts
//     (`export { transaction } from ...`): both become getters that require the chunk on first
//     use. Any other import from the core into a feature is a build error: it would load the
//     feature with dynamorm;
//   - a feature file importing another feature's file gets getters too, so that the update
//     builder does not load the query layer unless it parses a condition string.
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

/**
 * The feature chunks of the CommonJS build: lib/ folders (ending in '/') and files, relative
 * to lib/. Every other file of lib/ reachable from lib/internal.ts is the core.
 */
const FEATURES = {
  query: [
    'query/',
    // The expression strings of where()/filter() (and of update conditions), and the rest
    // only queries use.
    'expressions/parser.ts',
    'expressions/tokenizer.ts',
    'expressions/expression-error.ts',
    'expressions/structured.ts',
    'expressions/projection.ts',
  ],
  update: ['update/'],
  batch: ['batch/'],
  transaction: ['transaction/'],
  schema: ['schema/'],
  streams: ['streams/'],
  accounts: ['accounts/'],
};

/** The output a lib/ file belongs to: a feature's name, or 'core'. */
function ownerOf(file) {
  const rel = path.relative(lib, file).split(path.sep).join('/');
  for (const [name, members] of Object.entries(FEATURES)) {
    if (members.some((m) => (m.endsWith('/') ? rel.startsWith(m) : rel === m))) return name;
  }
  return 'core';
}

const libPath = (file) => path.relative(lib, file).split(path.sep).join('/');

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
 * What the CommonJS outputs need to know of lib/ before they are built: each file's imports
 * (from one bundle of everything, as the ESM build is) and each file's export names.
 */
async function analyse() {
  const whole = await build({
    entryPoints: [path.join(lib, 'internal.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    outfile: path.join(outdir, 'analysis.mjs'),
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const files = Object.keys(whole.metafile.inputs).map((f) => path.resolve(root, f));
  const imports = new Map(
    files.map((f) => [
      f,
      whole.metafile.inputs[path.relative(root, f)].imports.filter((i) => !i.external).map((i) => ({ target: path.resolve(root, i.path), kind: i.kind })),
    ]),
  );
  const single = await build({
    entryPoints: files,
    bundle: false,
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    outdir: path.join(outdir, 'analysis'),
    outbase: lib,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const exportsOf = new Map();
  for (const output of Object.values(single.metafile.outputs)) {
    if (output.entryPoint) exportsOf.set(path.resolve(root, output.entryPoint), output.exports);
  }
  return { files, imports, exportsOf };
}

/**
 * Checks the edges between outputs, and lists the files each output shares with the others
 * (what its `__lib` holds for them, see outputEntry).
 */
function crossings({ files, imports }) {
  const shared = new Map([['core', new Set()], ...Object.keys(FEATURES).map((name) => [name, new Set()])]);
  const errors = [];
  for (const file of files) {
    const from = ownerOf(file);
    for (const { target, kind } of imports.get(file)) {
      const to = ownerOf(target);
      if (to === from) continue;
      const lazyOrReexport = kind === 'require-call' || file === path.join(lib, 'index.ts');
      if (from === 'core' && !lazyOrReexport) {
        errors.push(
          `lib/${libPath(file)} imports lib/${libPath(target)} (the ${to} feature): that would load the feature with dynamorm. ` +
            `Load it on first use (lazy(() => require(...)), lib/lazy.ts), or move the file out of FEATURES.${to} in scripts/build.mjs.`,
        );
      }
      shared.get(to).add(target);
    }
  }
  if (errors.length) throw new Error(errors.join('\n'));
  return shared;
}

/**
 * lib/index.ts's re-exports of features (`export { ... } from './feature/file';`, one line
 * each): in the CommonJS core each becomes a loader of the feature's file (lazyReexports), and
 * its names getters that call it (outputEntry).
 */
function featureReexports() {
  const text = fs.readFileSync(path.join(lib, 'index.ts'), 'utf8');
  const found = [];
  for (const [line, list, from] of text.matchAll(/^export \{([^}]*)\} from '(\.[^']+)';$/gm)) {
    const target = resolveLib(path.resolve(lib, from));
    if (!target || ownerOf(target) === 'core') continue;
    const names = list
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => n.split(/\s+as\s+/));
    found.push({ line, names: names.map(([own, as = own]) => ({ own, as })), owner: ownerOf(target), file: libPath(target), loader: `lazy$${found.length}` });
  }
  return found;
}

/**
 * What the core exports (lib/internal.ts: lib/index.ts and a few internals): the names whose
 * values are the core's own (`values`), and those re-exported from a feature (`lazy`: name =>
 * its loader and its name in the feature's file), which must stay getters: reading one loads
 * the feature's chunk.
 */
function coreExports({ exportsOf }, reexports) {
  const names = [...new Set([...exportsOf.get(path.join(lib, 'index.ts')), ...exportsOf.get(path.join(lib, 'internal.ts'))])];
  const lazy = new Map(reexports.flatMap((r) => r.names.map(({ own, as }) => [as, { loader: r.loader, own }])));
  return { values: names.filter((n) => !lazy.has(n)), lazy };
}

/**
 * For the CommonJS core: each re-export of a feature in lib/index.ts becomes, on the same line,
 * a function that requires the feature's chunk on first call (see featureReexports). As an
 * `export { ... } from` it would be a link module set up at import, whose getters esbuild
 * copies again (__toESM): ~1 ms of the import for names most apps read late or never.
 */
function lazyReexports(reexports) {
  return {
    name: 'lazy-reexports',
    setup(b) {
      const file = path.join(lib, 'index.ts');
      b.onLoad({ filter: /[\\/]index\.ts$/ }, async (a) => {
        if (a.path !== file) return undefined;
        let text = await fs.promises.readFile(file, 'utf8');
        for (const r of reexports) {
          const m = `${r.loader}$m`;
          text = text.replace(
            r.line,
            `let ${m}: Record<string, unknown> | undefined; export const ${r.loader} = (): Record<string, unknown> => ` +
              `(${m} ??= require('dynamorm-output:${r.owner}').__lib[${JSON.stringify(r.file)}]);`,
          );
        }
        return { contents: text, loader: 'ts' };
      });
    },
  };
}

/**
 * Requires the built core in a fresh process: it must load no chunk, and export the names of
 * lib/internal.ts (a feature's name exported as a value would load its chunk with dynamorm).
 */
function checkCore(file, exported) {
  const script = `const core = require(${JSON.stringify(file)});
    const chunks = Object.keys(require.cache).filter((f) => /[\\\\/]chunks[\\\\/]/.test(f));
    process.stdout.write(JSON.stringify({ chunks, names: Object.keys(core).sort() }));`;
  // NODE_PATH: the SDK from this repository wherever --outdir is.
  const env = { ...process.env, NODE_PATH: path.join(root, 'node_modules') };
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, env, encoding: 'utf8' }));
  const expected = [...exported.values, ...exported.lazy.keys(), '__lib'].sort();
  if (out.chunks.length) throw new Error(`requiring ${path.relative(root, file)} loads ${out.chunks.join(', ')}: a feature's export read at import`);
  if (JSON.stringify(out.names) !== JSON.stringify(expected))
    throw new Error(`${path.relative(root, file)} exports ${out.names.join(', ')}, not ${expected.join(', ')}`);
}

/**
 * The names the features use of each core file: what the core hands them (`__lib`). From
 * ESM builds of the features with the core left out, whose import statements esbuild
 * writes with exactly the names the kept code uses.
 */
async function coreNamesUsed(shared) {
  const used = new Map();
  for (const feature of Object.keys(FEATURES)) {
    const result = await build({
      stdin: outputEntry(feature, shared),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'core-outside',
          setup(b) {
            b.onResolve({ filter: /^\.\.?\// }, (a) => {
              const target = resolveLib(path.resolve(a.resolveDir, a.path));
              if (!target || ownerOf(target) === feature) return undefined;
              return { path: `${ownerOf(target)}:${libPath(target)}`, external: true };
            });
          },
        },
      ],
    });
    for (const [, names, file] of result.outputFiles[0].text.matchAll(/^import \{([^}]*)\} from "core:([^"]+)";$/gm)) {
      const set = used.get(file) ?? new Set();
      for (const name of names.split(',')) set.add(name.trim().split(/\s+as\s+/)[0]);
      used.set(file, set);
    }
  }
  const missing = [...shared.get('core')].map(libPath).filter((file) => !used.has(file));
  if (missing.length) throw new Error(`could not read which names the features use of ${missing.join(', ')} (esbuild's output changed?)`);
  return used;
}

/** The output file of `owner`, relative to the output file of `from` (both in `dir`). */
function outputPath(owner, from) {
  const file = (o) => (o === 'core' ? 'internal.js' : `chunks/${o}.js`);
  let rel = path
    .relative(path.dirname(file(from)), file(owner))
    .split(path.sep)
    .join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/**
 * Builds `output`'s own files; an import of another output's file becomes a small module
 * that takes that output's instance (see the comment at the top).
 */
function linkOutputs(output, exportsOf, coreNames) {
  return {
    name: 'link-outputs',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        if (a.namespace !== 'file' || !a.importer.startsWith(lib + path.sep)) return undefined;
        const target = resolveLib(path.resolve(a.resolveDir, a.path));
        if (!target) return undefined;
        const owner = ownerOf(target);
        if (owner === output) return { path: target };
        return { path: `${owner}:${libPath(target)}`, namespace: 'dynamorm-link', pluginData: { owner, target } };
      });
      b.onResolve({ filter: /^dynamorm-output:/ }, (a) => ({ path: outputPath(a.path.slice('dynamorm-output:'.length), output), external: true }));
      // One require() of the core per chunk, shared by the chunk's links to it.
      b.onResolve({ filter: /^dynamorm-core$/ }, () => ({ path: 'core', namespace: 'dynamorm-core' }));
      b.onLoad({ filter: /.*/, namespace: 'dynamorm-core' }, () => ({ loader: 'js', contents: "export { __lib } from 'dynamorm-output:core';\n" }));
      b.onLoad({ filter: /.*/, namespace: 'dynamorm-link' }, (a) => {
        const { owner, target } = a.pluginData;
        const names = exportsOf.get(target);
        if (!names || names.includes('default')) throw new Error(`lib/${libPath(target)}: no named exports known to link to`);
        const key = JSON.stringify(libPath(target));
        if (owner === 'core') {
          // The core is loaded (it loaded this chunk): the values the features use.
          return {
            loader: 'js',
            contents:
              `import { __lib } from 'dynamorm-core';\nconst m = __lib[${key}];\n` +
              [...coreNames.get(libPath(target))].map((n) => `export const ${n} = m.${n};\n`).join(''),
          };
        }
        // Another chunk, required when one of its exports is first read.
        return {
          loader: 'js',
          contents:
            `let m;\nconst load = () => (m ??= require('dynamorm-output:${owner}').__lib[${key}]);\n` +
            `Object.defineProperties(exports, {\n${names.map((n) => `  ${n}: { enumerable: true, get: () => load().${n} },\n`).join('')}});\n`,
        };
      });
    },
  };
}

/** The .ts file of lib/ an import resolves to, or undefined (a file outside lib/). */
function resolveLib(base) {
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.startsWith(lib + path.sep) && candidate.endsWith('.ts') && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The entry of an output, and its `__lib`: what other outputs use of its files, by lib/
 * path. A feature's `__lib` holds the modules of its files that others import; the core's,
 * the values the features use (`coreNames`), as plain objects: the core is fully loaded
 * before any feature, and getters for each export of each file would cost the core's import
 * time. Not an API: package.json `exports` lists neither internal.js nor the chunks.
 *
 * The core's own exports (`exported`, from coreExports) are set by the entry itself, at the end
 * of the file where every binding has its value: one object of values, with getters only for
 * the names of features, which load their chunk when first read. esbuild's own CommonJS
 * exports would be getters twice over (its __export, then __toCommonJS), ~0.5 ms of the import.
 */
function outputEntry(output, shared, coreNames, exported) {
  const files = [...shared.get(output)].sort();
  const lines = [];
  if (output === 'core') {
    lines.push(`import { ${exported.values.join(', ')} } from ${JSON.stringify(path.join(lib, 'internal.ts'))};`);
    const loaders = [...new Set([...exported.lazy.values()].map((l) => l.loader))];
    lines.push(`import { ${loaders.join(', ')} } from ${JSON.stringify(path.join(lib, 'index.ts'))};`);
    const values = files.map((file, i) => {
      const names = [...coreNames.get(libPath(file))];
      lines.push(`import { ${names.map((n) => `${n} as m${i}$${n}`).join(', ')} } from ${JSON.stringify(file)};`);
      return `  ${JSON.stringify(libPath(file))}: { ${names.map((n) => `${n}: m${i}$${n}`).join(', ')} },`;
    });
    lines.push(`const __lib = {\n${values.join('\n')}\n};`);
    const all = [...exported.values, ...exported.lazy.keys()].sort();
    const members = all.map((n) => {
      const l = exported.lazy.get(n);
      return l ? `  get ${n}() {\n    return ${l.loader}().${l.own};\n  },` : `  ${n},`;
    });
    lines.push(`module.exports = Object.defineProperty({\n${members.join('\n')}\n  __lib,\n}, '__esModule', { value: true });`);
  } else {
    files.forEach((file, i) => lines.push(`import * as m${i} from ${JSON.stringify(file)};`));
    lines.push(`export const __lib = {\n${files.map((file, i) => `  ${JSON.stringify(libPath(file))}: m${i},`).join('\n')}\n};`);
  }
  return { contents: lines.join('\n'), resolveDir: lib, sourcefile: `dynamorm-output:${output}`, loader: 'ts' };
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

/**
 * For the ESM build: lib/peers/esm-url.ts answers with the module's own URL, from which
 * dynamorm resolves its optional peers (lib/peers/module-anchor.ts). The CommonJS build
 * cannot name `import.meta`. In a try block because there esbuild does not warn, where an
 * app bundles this build into CommonJS, that `import.meta` will be empty (the anchor then
 * falls back to the bundle's own file).
 */
const esmUrl = {
  name: 'esm-url',
  setup(b) {
    const file = path.join(lib, 'peers', 'esm-url.ts');
    let swapped = false;
    b.onLoad({ filter: /[\\/]esm-url\.ts$/ }, (a) => {
      if (a.path !== file) return undefined;
      swapped = true;
      const contents = 'export const esmUrl = (): string | undefined => {\n  try {\n    return import.meta.url;\n  } catch {\n    return undefined;\n  }\n};\n';
      return { contents, loader: 'ts' };
    });
    b.onEnd(() => {
      if (!swapped) throw new Error(`the ESM build no longer bundles ${libPath(file)}: peers would resolve from the current directory`);
    });
  },
};

/**
 * For the CommonJS build: `node:module` is required when dynamorm first looks for a peer, not
 * at import. The SDK does not load it, and its first require compiles Node's ESM loader
 * (~0.4 ms of dynamorm's import in a CommonJS app). The import line of lib/peers/load-peer.ts
 * becomes a function on the same line (the source map stays right); an ES module has no
 * require, and Node's ESM loader has loaded the module anyway.
 */
const lazyNodeModule = {
  name: 'lazy-node-module',
  setup(b) {
    const file = path.join(lib, 'peers', 'load-peer.ts');
    const line = "import { createRequire } from 'node:module';";
    b.onLoad({ filter: /[\\/]load-peer\.ts$/ }, async (a) => {
      if (a.path !== file) return undefined;
      const text = await fs.promises.readFile(file, 'utf8');
      if (!text.includes(line)) throw new Error(`lib/${libPath(file)} no longer has the line ${line} (scripts/build.mjs, lazyNodeModule)`);
      const lazy = "const createRequire = (filename: string): NodeRequire => (require('node:module') as typeof import('node:module')).createRequire(filename);";
      return { contents: text.replace(line, lazy), loader: 'ts' };
    });
  },
};

const formats = [
  { format: 'cjs', dir: outdir, ext: '.js' },
  { format: 'esm', dir: path.join(outdir, 'esm'), ext: '.mjs' },
];

const analysis = await analyse();
const shared = crossings(analysis);
const coreNames = await coreNamesUsed(shared);
const reexports = featureReexports();
const exported = coreExports(analysis, reexports);
fs.rmSync(outdir, { recursive: true, force: true });
for (const { format, dir, ext } of formats) {
  const common = { bundle: true, platform: 'node', format, target: 'node20', packages: 'external', logLevel: 'warning', sourcemap: true };
  if (format === 'cjs') {
    for (const output of ['core', ...Object.keys(FEATURES)]) {
      const outfile = path.join(dir, output === 'core' ? 'internal.js' : path.join('chunks', `${output}.js`));
      await build({
        ...common,
        stdin: outputEntry(output, shared, coreNames, exported),
        outfile,
        plugins: [lazyNodeModule, lazyReexports(reexports), linkOutputs(output, analysis.exportsOf, coreNames)],
        // The core's entry sets module.exports itself (see outputEntry).
        logOverride: { 'commonjs-variable-in-esm': 'silent' },
      });
    }
    checkCore(path.join(dir, 'internal.js'), exported);
  } else {
    await build({ ...common, entryPoints: [path.join(lib, 'internal.ts')], outfile: path.join(dir, `internal${ext}`), plugins: [esmUrl, lazyAsImports] });
  }
  if (format === 'cjs') {
    // `dynamorm`: getters for the names lib/index.ts exports, read from internal.js. Written
    // here rather than bundled from lib/index.ts, whose CommonJS output costs ~0.2 ms more at
    // import (a getter per name made twice, and a require() per line of lib/index.ts). Getters,
    // not copies: reading a feature's export loads its chunk.
    const names = analysis.exportsOf.get(path.join(lib, 'index.ts'));
    fs.writeFileSync(
      path.join(dir, 'index.js'),
      [
        '"use strict";',
        '// `dynamorm`: the public names of ./internal.js (the exports of lib/index.ts). Built by scripts/build.mjs.',
        'const internal = require("./internal.js");',
        'Object.defineProperty(exports, "__esModule", { value: true });',
        `for (const name of ${JSON.stringify(names)}) {`,
        '  Object.defineProperty(exports, name, { enumerable: true, get: () => internal[name] });',
        '}',
        "// The names, for Node's import of CommonJS (cjs-module-lexer):",
        `0 && (module.exports = { ${names.join(', ')} });`,
        '',
      ].join('\n'),
    );
  } else {
    const file = path.join(lib, 'index.ts');
    await build({
      ...common,
      entryPoints: [file],
      outfile: path.join(dir, `index${ext}`),
      plugins: [shareInternal({ entry: file, internalPath: `./internal${ext}` })],
    });
  }
  for (const [entry, out] of [
    ['integrations/class-validator.ts', 'class-validator'],
    ['integrations/class-transformer.ts', 'class-transformer'],
  ]) {
    const file = path.join(lib, entry);
    await build({
      ...common,
      entryPoints: [file],
      outfile: path.join(dir, `${out}${ext}`),
      plugins: [shareInternal({ entry: file, internalPath: `./internal${ext}` })],
    });
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
