// Import time of dynamorm on top of the SDK, measured in fresh child processes on the
// built package (bench/.build, the same bundles as dist/), as a Lambda function would
// load it: first `@aws-sdk/client-dynamodb` + `@aws-sdk/lib-dynamodb`, then, separately
// timed, dynamorm.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_DIR, ENTRY, ensureBuild, ROOT } from './build';
import { median } from './measure';

export interface ImportSample {
  sdkMs: number;
  dynamormMs: number;
  sdkCpuMs: number;
  dynamormCpuMs: number;
  /** Files of class-validator, class-transformer, reflect-metadata or dynalite in require.cache. */
  peers: string[];
  /** Modules dynamorm added to require.cache: its own files, and any others. */
  ownModules: number;
  otherModules: string[];
}

export interface ImportResult {
  runs: number;
  /** Medians: wall-clock and CPU milliseconds. */
  sdkMs: number;
  dynamormMs: number;
  sdkCpuMs: number;
  dynamormCpuMs: number;
  dynamormMsAll: number[];
  dynamormCpuMsAll: number[];
  peersLoaded: string[];
  ownModules: number;
  otherModules: string[];
  build: string;
}

const CHILD = `
const { performance } = require('node:perf_hooks');
const before = new Set(Object.keys(require.cache));
const c0 = process.cpuUsage();
const t0 = performance.now();
require('@aws-sdk/client-dynamodb');
require('@aws-sdk/lib-dynamodb');
const t1 = performance.now();
const c1 = process.cpuUsage();
const sdkLoaded = new Set(Object.keys(require.cache));
require(process.argv[1]);
const t2 = performance.now();
const c2 = process.cpuUsage(c1);
const all = Object.keys(require.cache);
const added = all.filter((f) => !sdkLoaded.has(f));
const dist = require('node:path').dirname(process.argv[1]);
process.stdout.write(JSON.stringify({
  sdkMs: t1 - t0,
  dynamormMs: t2 - t1,
  sdkCpuMs: (c1.user + c1.system - c0.user - c0.system) / 1000,
  dynamormCpuMs: (c2.user + c2.system) / 1000,
  peers: all.filter((f) => /node_modules[\\\\/](class-validator|class-transformer|reflect-metadata|dynalite)[\\\\/]/.test(f)),
  ownModules: added.filter((f) => f.startsWith(dist)).length,
  otherModules: added.filter((f) => !f.startsWith(dist)),
}));
`;

/** The median of `runs` fresh processes (one extra, untimed, warms the file cache first). */
export function measureImport(root: string, runs: number, build: string): ImportResult {
  const entry = ENTRY;
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const once = (): ImportSample => JSON.parse(execFileSync(process.execPath, ['-e', CHILD, entry], { cwd: root, env, encoding: 'utf8' })) as ImportSample;
  once();
  const samples: ImportSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(once());
  const last = samples[samples.length - 1];
  return {
    runs,
    sdkMs: median(samples.map((s) => s.sdkMs)),
    dynamormMs: median(samples.map((s) => s.dynamormMs)),
    sdkCpuMs: median(samples.map((s) => s.sdkCpuMs)),
    dynamormCpuMs: median(samples.map((s) => s.dynamormCpuMs)),
    dynamormMsAll: samples.map((s) => s.dynamormMs),
    dynamormCpuMsAll: samples.map((s) => s.dynamormCpuMs),
    peersLoaded: [...new Set(samples.flatMap((s) => s.peers.map((f) => f.slice(f.lastIndexOf('node_modules')))))],
    ownModules: last.ownModules,
    otherModules: last.otherModules.map((f) => path.relative(root, f)),
    build,
  };
}

/** The arms of the side-by-side import time: each a fresh process that loads the SDK, then one package. */
export const IMPORT_ARMS = {
  onetableCjs: 'OneTable, CommonJS (require)',
  dynamormCjs: 'dynamorm, CommonJS (require of index.js)',
  dynamormEsm: 'dynamorm, ESM (import() of esm/index.mjs)',
  onetableEsm: 'OneTable, ESM (import())',
} as const;
export type ImportArm = keyof typeof IMPORT_ARMS;

export interface SideBySide {
  runs: number;
  /** Each arm's milliseconds after the SDK, one figure per fresh process. */
  ms: Record<ImportArm, number[]>;
  /** Of which garbage collection (V8's pauses), one figure per fresh process. */
  gcMs: Record<ImportArm, number[]>;
  /** Medians. */
  median: Record<ImportArm, number>;
  gcMedian: Record<ImportArm, number>;
  /** Medians of the milliseconds without the GC pauses. */
  withoutGc: Record<ImportArm, number>;
  /** dynamorm's median over OneTable's CommonJS median (the target: ≤ 0.5). */
  ratioCjs: number;
  ratioEsm: number;
}

export const TARGET_IMPORT_RATIO = 0.5;

// The SDK is loaded the way the package is: required for the CommonJS arms, imported for the
// ESM ones (an ES module app imports it), so each arm times its package alone. Each child
// prints [ms, GC ms within them]: after the SDK, its young generation is nearly full, so the
// first package to allocate a few hundred KB pays for a scavenge of the SDK's objects (the GC
// entries arrive on a later tick, hence the setImmediate).
const GC_OBSERVER = `
const { PerformanceObserver, performance } = require('node:perf_hooks');
const gcs = [];
const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const report = (t, t2) => setImmediate(() => {
  const gc = [...gcs, ...observer.takeRecords()].filter((e) => e.startTime >= t && e.startTime < t2).reduce((sum, e) => sum + e.duration, 0);
  process.stdout.write(JSON.stringify([t2 - t, gc]));
  observer.disconnect();
});
`;
const CJS_CHILD = `${GC_OBSERVER}
require('@aws-sdk/client-dynamodb');
require('@aws-sdk/lib-dynamodb');
const t = performance.now();
require(process.argv[1]);
report(t, performance.now());
`;
const ESM_CHILD = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
${GC_OBSERVER}
await import('@aws-sdk/client-dynamodb');
await import('@aws-sdk/lib-dynamodb');
const t = performance.now();
await import(process.argv[1]);
report(t, performance.now());
`;

/**
 * The import time of dynamorm's CommonJS and ESM builds (bench/.build, as dist/) and of
 * OneTable (dynamodb-onetable, a devDependency), after the SDK: `runs` rounds, each a fresh
 * process per arm, the arms in turn so that a busy moment of the machine falls on all of them.
 * One untimed round first warms the file cache.
 */
export function measureSideBySide(root: string, runs: number): SideBySide {
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const onetable = require.resolve('dynamodb-onetable', { paths: [root] });
  const args: Record<ImportArm, string[]> = {
    onetableCjs: ['-e', CJS_CHILD, onetable],
    dynamormCjs: ['-e', CJS_CHILD, ENTRY],
    dynamormEsm: ['--input-type=module', '-e', ESM_CHILD, pathToFileURL(path.join(BUILD_DIR, 'esm', 'index.mjs')).href],
    onetableEsm: ['--input-type=module', '-e', ESM_CHILD, 'dynamodb-onetable'],
  };
  const arms = Object.keys(IMPORT_ARMS) as ImportArm[];
  const once = (arm: ImportArm): [number, number] =>
    JSON.parse(execFileSync(process.execPath, args[arm], { cwd: root, env, encoding: 'utf8' })) as [number, number];
  for (const arm of arms) once(arm);
  const perArm = <T>(f: (arm: ImportArm) => T) => Object.fromEntries(arms.map((arm) => [arm, f(arm)])) as Record<ImportArm, T>;
  const samples = perArm((): Array<[number, number]> => []);
  for (let i = 0; i < runs; i++) for (const arm of arms) samples[arm].push(once(arm));
  const ms = perArm((arm) => samples[arm].map(([total]) => total));
  const gcMs = perArm((arm) => samples[arm].map(([, gc]) => gc));
  const med = perArm((arm) => median(ms[arm]));
  return {
    runs,
    ms,
    gcMs,
    median: med,
    gcMedian: perArm((arm) => median(gcMs[arm])),
    withoutGc: perArm((arm) => median(samples[arm].map(([total, gc]) => total - gc))),
    ratioCjs: med.dynamormCjs / med.onetableCjs,
    ratioEsm: med.dynamormEsm / med.onetableCjs,
  };
}

/** The side-by-side figures as markdown lines. */
export function sideBySideLines(r: SideBySide): string[] {
  const ok = (ratio: number): string => (ratio <= TARGET_IMPORT_RATIO ? '✅' : '❌');
  return [
    `**import, side by side** (after the SDK, median of ${r.runs} fresh processes each, arms in turn; target: dynamorm ≤ ${TARGET_IMPORT_RATIO} × OneTable's CommonJS):`,
    '',
    '| package, entry | median ms | of which GC | median without GC | each run, ms |',
    '|---|---:|---:|---:|---|',
    ...(Object.keys(IMPORT_ARMS) as ImportArm[]).map(
      (arm) =>
        `| ${IMPORT_ARMS[arm]} | ${r.median[arm].toFixed(2)} | ${r.gcMedian[arm].toFixed(2)} | ${r.withoutGc[arm].toFixed(2)} | ${r.ms[arm].map((v) => v.toFixed(1)).join(' · ')} |`,
    ),
    '',
    `dynamorm / OneTable: CommonJS **${r.ratioCjs.toFixed(2)}** ${ok(r.ratioCjs)}, ESM **${r.ratioEsm.toFixed(2)}** ${ok(r.ratioEsm)} ` +
      `(ESM over OneTable's ESM: ${(r.median.dynamormEsm / r.median.onetableEsm).toFixed(2)}; without GC: CommonJS ` +
      `${(r.withoutGc.dynamormCjs / r.withoutGc.onetableCjs).toFixed(2)}, ESM ${(r.withoutGc.dynamormEsm / r.withoutGc.onetableCjs).toFixed(2)}).`,
  ];
}

// `npm run bench:import [runs]`: the side-by-side import time alone, on a fresh build of lib/.
if (require.main === module) {
  const runs = Number(process.argv[2]) || 10;
  console.log(ensureBuild());
  console.log(sideBySideLines(measureSideBySide(ROOT, runs)).join('\n'));
}
