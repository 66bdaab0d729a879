// Import time of dynamorm on top of the SDK, measured in fresh child processes on the
// built package (bench/.build, the same bundles as dist/), as a Lambda function would
// load it: first `@aws-sdk/client-dynamodb` + `@aws-sdk/lib-dynamodb`, then, separately
// timed, dynamorm.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ENTRY } from './build';
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
