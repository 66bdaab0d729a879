import { execFileSync } from 'node:child_process';
import path from 'node:path';

let built = false;

/** Builds dist/ (npm run build) once per test run, for the specs that use the published package. */
export function buildPackageOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build'], { cwd: path.resolve(__dirname, '../..'), stdio: 'pipe' });
  built = true;
}
