// What a Lambda bundle of an app pulls in, and what it costs at a cold start:
//   npm run bench:bundles
// Bundles examples/lambda's handlers with esbuild as a user would (the built package through
// its `exports`, @aws-sdk external as the Lambda runtime provides it), CommonJS and ESM, and
// prints the bytes each package adds, minified and not. Then times a cold `require` of the
// notes handler's bundle against the same handler written with the raw SDK
// (bench/raw-notes-handler.ts), median of fresh processes, interleaved.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleLambda, lambdaFolder } from './lambda-bundle';
import { median } from './measure';

const root = path.resolve(__dirname, '..');
const work = lambdaFolder();
const bundle = (entry: string, format: 'cjs' | 'esm', minify: boolean) => bundleLambda(work, entry, format, minify);

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
        const others =
          Object.entries(bytes)
            .filter(([name]) => !['app', 'dynamorm', 'class-validator'].includes(name))
            .map(([name, n]) => `${name} ${kb(n)}`)
            .join(', ') || 'none';
        const validator = bytes['class-validator'];
        console.log(
          `| ${path.basename(entry, '.ts')} | ${format === 'cjs' ? 'CommonJS' : 'ESM'} | ${minify ? 'yes' : 'no'} | ${kb(total)} | ${kb(bytes.dynamorm ?? 0)} | ${validator ? kb(validator) : '—'} | ${others} |`,
        );
      }
    }
  }

  const runs = 31;
  const ours = await bundle('examples/lambda/notes-handler.ts', 'cjs', true);
  const raw = await bundle('bench/raw-notes-handler.ts', 'cjs', true);
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const time = (file: string) => Number(execFileSync(process.execPath, ['-e', CHILD, file], { cwd: work, env, encoding: 'utf8' }));
  time(ours.file);
  time(raw.file); // warm the file cache
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(ours.file));
    b.push(time(raw.file));
  }
  console.log(`\ncold require of the minified CommonJS notes handler (SDK included; median of ${runs} fresh processes, interleaved):`);
  const delta = median(a) - median(b);
  console.log(
    `  with dynamorm ${median(a).toFixed(1)} ms, raw SDK ${median(b).toFixed(1)} ms: ${delta >= 0 ? '+' : '-'}${Math.abs(delta).toFixed(1)} ms (run to run, ±3 ms)`,
  );
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
