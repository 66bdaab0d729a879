// The dynamorm the bench measures is the compiled package, as users run it (tsc output of
// tsconfig.build.json, like dist/), not lib/ through tsx, whose transpiler adds helpers of
// its own (keepNames' __name() around inner closures). It is compiled into bench/.build
// rather than dist/ so that a concurrent `npm run build` (which empties dist/) cannot pull
// it away mid-run, and recompiled whenever a file of lib/ is newer than the build.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const BUILD_DIR = path.join(__dirname, '.build');
/** The compiled entry point, the counterpart of dist/index.js. */
export const ENTRY = path.join(BUILD_DIR, 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles lib/ into bench/.build when missing or older than lib/; says what it did. */
export function ensureBuild(): string {
  const libNewest = newestMtime(path.join(ROOT, 'lib'));
  if (fs.existsSync(ENTRY) && fs.statSync(ENTRY).mtimeMs >= libNewest) return 'compiled build of lib/ up to date';
  const why = fs.existsSync(ENTRY) ? 'lib/ changed since the last build' : 'no build yet';
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR, '--declaration', 'false', '--sourceMap', 'false'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc emits despite type errors (someone's work in progress elsewhere in lib/): go on
    // with what it emitted, and say so.
    const out = error as { stdout?: string; stderr?: string };
    const text = `${out.stdout ?? ''}${out.stderr ?? ''}`.trim();
    if (!fs.existsSync(ENTRY)) throw new Error(`compiling lib/ (tsc -p tsconfig.build.json) failed:\n${text}`);
    return `${why}: compiled lib/ into bench/.build, with type errors (${text.split('\n')[0]})`;
  }
  return `${why}: compiled lib/ with tsc -p tsconfig.build.json into bench/.build`;
}
