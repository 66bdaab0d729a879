// What a Lambda bundle of an app pulls in, and what it costs at a cold start:
//   npm run bench:bundles
// Bundles examples/lambda's handlers with esbuild as a user would (the built package through
// its `exports`, @aws-sdk external as the Lambda runtime provides it), CommonJS and ESM, and
// prints the bytes each package adds, minified and not. Then times a cold `require` of the
// notes handler's bundle against the same handler written with the raw SDK
// (bench/raw-notes-handler.ts), median of fresh processes, interleaved.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { median } from './measure';

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamorm-bundle-bench-'));
fs.mkdirSync(path.join(work, 'node_modules'));
fs.symlinkSync(path.join(root, 'node_modules', '@aws-sdk'), path.join(work, 'node_modules', '@aws-sdk'), 'dir');

function byPackage(metafile: Metafile): Map<string, number> {
  const [output] = Object.values(metafile.outputs);
  const bytes = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const at = file.lastIndexOf('node_modules/');
    let name = 'app';
    if (at >= 0) {
      const rest = file.slice(at + 'node_modules/'.length).split('/');
      name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    } else if (file.startsWith('dist/')) name = 'dynamorm';
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  return bytes;
}

async function bundle(entry: string, format: 'cjs' | 'esm', minify: boolean): Promise<{ file: string; bytes: Map<string, number>; total: number }> {
  const file = path.join(work, `${path.basename(entry, '.ts')}-${format}${minify ? '-min' : ''}`, format === 'cjs' ? 'index.js' : 'index.mjs');
  const result = await build({
    entryPoints: [path.join(root, entry)], bundle: true, platform: 'node', target: 'node20', format, minify, external: ['@aws-sdk/*'],
    outfile: file, metafile: true, logLevel: 'silent', absWorkingDir: root, tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
  });
  return { file, bytes: byPackage(result.metafile), total: fs.statSync(file).size };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const CHILD = `
const { performance } = require('node:perf_hooks');
const t0 = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - t0));
`;

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  console.log('| bundle | format | minified | total | dynamorm | class-validator | other packages |');
  console.log('|---|---|---|---:|---:|---:|---|');
  for (const entry of ['examples/lambda/notes-handler.ts', 'examples/lambda/signups-handler.ts']) {
    for (const format of ['cjs', 'esm'] as const) {
      for (const minify of [false, true]) {
        const { bytes, total } = await bundle(entry, format, minify);
        const others = [...bytes].filter(([name]) => !['app', 'dynamorm', 'class-validator'].includes(name)).map(([name, n]) => `${name} ${kb(n)}`).join(', ') || 'none';
        console.log(`| ${path.basename(entry, '.ts')} | ${format === 'cjs' ? 'CommonJS' : 'ESM'} | ${minify ? 'yes' : 'no'} | ${kb(total)} | ${kb(bytes.get('dynamorm') ?? 0)} | ${bytes.has('class-validator') ? kb(bytes.get('class-validator')!) : '—'} | ${others} |`);
      }
    }
  }

  const runs = 31;
  const ours = await bundle('examples/lambda/notes-handler.ts', 'cjs', true);
  const raw = await bundle('bench/raw-notes-handler.ts', 'cjs', true);
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const time = (file: string) => Number(execFileSync(process.execPath, ['-e', CHILD, file], { cwd: work, env, encoding: 'utf8' }));
  time(ours.file); time(raw.file); // warm the file cache
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(ours.file));
    b.push(time(raw.file));
  }
  console.log(`\ncold require of the minified CommonJS notes handler (SDK included; median of ${runs} fresh processes, interleaved):`);
  const delta = median(a) - median(b);
  console.log(`  with dynamorm ${median(a).toFixed(1)} ms, raw SDK ${median(b).toFixed(1)} ms: ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} ms (run to run, ±3 ms)`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
