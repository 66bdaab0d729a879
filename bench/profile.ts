// A CPU profile of one arm of the bench, alone: warm-up calls, then the profiler (V8's, through
// node:inspector) runs over `calls` calls only, so start-up, module loading and warm-up are
// left out and the per-call figures of cpuprofile-summary.ts are the arm's own. Runs in
// plain Node like the timing (plain-node.cjs).
//
//   node bench/plain-node.cjs bench/profile.ts saveApp [calls=20000] [out=/tmp/<arm>.cpuprofile]
//   npx tsx bench/cpuprofile-summary.ts /tmp/saveApp.cpuprofile 20000 30
//
// Arms: the keys of ARM_NAMES in cases.ts. Sampling every 50 µs (BENCH_PROFILE_INTERVAL_US).

import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { calls } from './arms';
import { ARM_NAMES, type ArmKey } from './cases';

const WARMUP_CALLS = 3000;

export async function main(args: string[]): Promise<void> {
  const [key, callsArg, outArg] = args;
  if (!key || !(key in ARM_NAMES)) throw new Error(`usage: profile.ts <arm> [calls] [out file]; arms: ${Object.keys(ARM_NAMES).join(', ')}`);
  const call = calls[key as ArmKey];
  const count = Number(callsArg ?? 20000) || 20000;
  const out = outArg ?? path.join(os.tmpdir(), `${key}.cpuprofile`);
  const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US) || 50;

  let i = 0;
  for (let n = 0; n < WARMUP_CALLS; n++) await call(i++);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval });
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < count; n++) await call(i++);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  fs.writeFileSync(out, JSON.stringify(profile));
  process.stderr.write(
    `${ARM_NAMES[key as ArmKey]}: ${count} profiled calls after ${WARMUP_CALLS} warm-up calls: ${((wall * 1000) / count).toFixed(1)} µs/call wall, ` +
      `${((cpu.user + cpu.system) / count).toFixed(1)} µs/call process CPU (profiler included); profile in ${out}\n`,
  );
}
