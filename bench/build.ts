// The dynamorm the bench measures is the built package, as users run it (scripts/build.mjs,
// like dist/), not lib/ through tsx, whose transpiler adds helpers of
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

/** Compiles lib/ into bench/.build when missing or older than lib/ or scripts/build.mjs; says what it did. */
export function ensureBuild(): string {
  // The build script counts as a source: it decides what the bundles hold.
  const libNewest = Math.max(newestMtime(path.join(ROOT, 'lib')), fs.statSync(path.join(ROOT, 'scripts', 'build.mjs')).mtimeMs);
  if (fs.existsSync(ENTRY) && fs.statSync(ENTRY).mtimeMs >= libNewest) return 'compiled build of lib/ up to date';
  const why = fs.existsSync(ENTRY) ? 'lib/ or scripts/build.mjs changed since the last build' : 'no build yet';
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--outdir', BUILD_DIR, '--no-types'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string };
    throw new Error(`building lib/ (scripts/build.mjs) failed:\n${`${out.stdout ?? ''}${out.stderr ?? ''}`.trim()}`, { cause: error });
  }
  return `${why}: built lib/ with scripts/build.mjs (the package's bundles) into bench/.build`;
}
