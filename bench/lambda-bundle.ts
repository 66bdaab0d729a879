// Bundles a handler as a Lambda user would, for the bundle spec and `npm run bench:bundles`:
// esbuild, the built package resolved through its `exports`, @aws-sdk external (the Lambda
// runtime provides it), the app's own tsconfig settings (decorators, no path mapping).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

const root = path.resolve(__dirname, '..');

export type Format = 'cjs' | 'esm';

export interface LambdaBundle {
  file: string;
  /** Bytes each package adds ('dynamorm' for the package's own dist/, 'app' for the handler's files). */
  bytes: Record<string, number>;
  total: number;
}

/** A folder like a Lambda's: the AWS SDK beside the bundles, and no other package. */
export function lambdaFolder(): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamorm-bundles-'));
  fs.mkdirSync(path.join(work, 'node_modules'));
  fs.symlinkSync(path.join(root, 'node_modules', '@aws-sdk'), path.join(work, 'node_modules', '@aws-sdk'), 'dir');
  return work;
}

function bytesByPackage(metafile: Metafile): Record<string, number> {
  const [output] = Object.values(metafile.outputs);
  const bytes: Record<string, number> = {};
  for (const [file, input] of Object.entries(output.inputs)) {
    const at = file.lastIndexOf('node_modules/');
    let name = 'app';
    if (at >= 0) {
      const rest = file.slice(at + 'node_modules/'.length).split('/');
      name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    } else if (file.startsWith('dist/')) name = 'dynamorm';
    bytes[name] = (bytes[name] ?? 0) + input.bytesInOutput;
  }
  return bytes;
}

/** Bundles `entry` (a path from the repository root) into `work`. */
export async function bundleLambda(work: string, entry: string, format: Format, minify = true): Promise<LambdaBundle> {
  const file = path.join(work, `${path.basename(entry, '.ts')}-${format}${minify ? '-min' : ''}`, format === 'cjs' ? 'index.js' : 'index.mjs');
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify,
    external: ['@aws-sdk/*'],
    outfile: file,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
  });
  return { file, bytes: bytesByPackage(result.metafile), total: fs.statSync(file).size };
}
