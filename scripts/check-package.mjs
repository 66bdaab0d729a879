// The package as users get it: builds dist/, packs it as `npm publish` would (into a temp
// directory), and checks the tarball with two tools that know the rules better than we would
// re-implement them:
//
//   publint                 package.json against the files packed: `exports` order and
//                           targets, the format (CJS/ESM) of each file a condition points at,
//                           the types beside them, files that are referenced but not packed.
//   @arethetypeswrong/cli   how TypeScript resolves each entry point's types under every module
//                           mode (profile "strict": node10 — typesVersions is there for it —,
//                           node16 from CommonJS, node16 from ESM, bundler), and whether the
//                           types match the format of the JavaScript they describe.
//
// Any finding fails (exit 1), except the ones named in IGNORED below, each with why.
// On the declarations of the same build, scripts/api-report.mjs checks that the public API
// matches its report in etc/ (npm run api:update rewrites it).
// spec/integration/install.spec.ts keeps checking what these do not: apps that install the
// tarball, compile with strict tsc and run against both builds.
//
//   npm run check:package
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { apiReports } from './api-report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** publint messages not to fail on, by code: only suggestions, each with the reason. */
const IGNORED = {
  // "Consider adding sideEffects: false". Not true of this package: dynamorm/class-validator
  // and dynamorm/class-transformer are side-effect imports (they register the app's copy,
  // DESIGN §11), which a bundler told `sideEffects: false` would drop. And the flag would
  // win nothing: esbuild already tree-shakes inside a module that is used.
  USE_SIDE_EFFECTS: 'the class-validator / class-transformer subpaths are side-effect imports',
};
/**
 * attw rules not to fail on. None: every rule holds for every entry point under the strict
 * profile. Add a rule only with a comment saying why the finding is intended.
 */
const ATTW_IGNORED_RULES = [];

const started = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamorm-pack-'));
let failed = false;
try {
  // A fresh dist/: npm pack would run `prepack` (the build) too, but explicitly, once.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }));
  const tarball = path.join(tmp, packed[0].filename);
  console.log(`check:package: ${packed[0].filename}, ${packed[0].entryCount} files`);

  // publint, strict (warnings are errors), every level down to suggestions.
  const data = fs.readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  const findings = messages.filter((m) => !(m.type === 'suggestion' && m.code in IGNORED));
  for (const m of findings) console.error(`publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`);
  const ignored = messages.filter((m) => !findings.includes(m)).map((m) => `${m.code} (${IGNORED[m.code]})`);
  console.log(`publint: ${findings.length ? `${findings.length} finding(s)` : 'no findings'}${ignored.length ? `; ignored: ${ignored.join('; ')}` : ''}`);
  if (findings.length) failed = true;

  // attw: exits 1 when any entry point has a problem under the profile.
  const cli = require.resolve('@arethetypeswrong/cli/package.json');
  const attw = path.join(path.dirname(cli), JSON.parse(fs.readFileSync(cli, 'utf8')).bin.attw);
  const args = [attw, tarball, '--profile', 'strict', '--format', 'table-flipped', '--no-emoji', '--no-color'];
  if (ATTW_IGNORED_RULES.length) args.push('--ignore-rules', ...ATTW_IGNORED_RULES);
  // attw runs in its own process while API Extractor (below) works in this one.
  const attwDone = new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: tmp });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });

  // The public API against its report in etc/, on the declarations of this build.
  const apiStarted = Date.now();
  if (apiReports()) console.log(`check:api: etc/*.api.md match the declarations (${((Date.now() - apiStarted) / 1000).toFixed(1)} s)`);
  else failed = true;

  const result = await attwDone;
  if (result.status !== 0) {
    process.stderr.write(result.output);
    console.error(`attw: exit code ${result.status}`);
    failed = true;
  } else {
    console.log('attw: no problems (node10, node16 from CJS, node16 from ESM, bundler; every entry point)');
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`check:package: ${failed ? 'FAILED' : 'ok'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
