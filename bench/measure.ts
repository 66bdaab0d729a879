// Interleaved timing of asynchronous calls: every arm makes the same number of sequential
// calls per round, in small blocks taken in turn (rotating order), and each arm's figure is
// the median of its rounds.

import fs from 'node:fs';

/** One side of a comparison: a call made `callsPerRound` times per round. */
export interface Arm {
  readonly name: string;
  readonly call: (i: number) => Promise<unknown>;
}

export interface ArmResult {
  readonly name: string;
  /** Wall-clock µs per call, one figure per round (the main thread is busy all along: no I/O waits). */
  readonly wallUs: number[];
  /** Process CPU µs per call (all threads, so GC helper threads included), one figure per round. */
  readonly cpuUs: number[];
  /** Main-thread CPU µs per call (Linux schedstat; empty elsewhere), one figure per round. */
  readonly mainUs: number[];
  /** Process CPU µs per call of every block, in order (block b of every arm ran in the same turn). */
  readonly blockCpuUs: number[];
}

export interface RunOptions {
  warmupCalls: number;
  rounds: number;
  callsPerRound: number;
  /** Calls an arm makes in a row before the next arm's turn. */
  blockCalls: number;
  onRound?: (round: number) => void;
}

// No forced GC between blocks: tried, it made every arm ~100 µs/call slower and noisier
// (V8 loses warm code and feedback on forced full GCs).
let nextIndex = 0;

// The main thread's own CPU time (ns), from Linux's schedstat: unlike process.cpuUsage() it
// leaves out background GC and compiler threads, and like it the time given to other processes.
const schedstat = (() => {
  try {
    const fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    const buffer = Buffer.alloc(128);
    return () => {
      const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return Number(buffer.toString('latin1', 0, n).split(' ', 1)[0]);
    };
  } catch {
    return undefined;
  }
})();

/** Total µs of one block: wall, process CPU, main-thread CPU. */
async function batch(arm: Arm, calls: number): Promise<{ wall: number; cpu: number; main: number }> {
  const main0 = schedstat?.() ?? 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < calls; n++) await arm.call(nextIndex++);
  const t1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const main1 = schedstat?.() ?? 0;
  return { wall: Number(t1 - t0) / 1000, cpu: cpu.user + cpu.system, main: (main1 - main0) / 1000 };
}

/**
 * Warms every arm up, then times them round after round. A round is made of small blocks:
 * in each block every arm makes `blockCalls` calls, in an order that rotates from block to
 * block, so that drift (other processes, heap growth, CPU frequency) is shared by all arms
 * alike; an arm's figure for the round is its total time over its calls.
 */
export async function runInterleaved(arms: readonly Arm[], options: RunOptions): Promise<ArmResult[]> {
  // Warm-up: interleaved too, so the JIT has seen every path of every arm before timing.
  const warmBlocks = Math.max(1, Math.ceil(options.warmupCalls / options.blockCalls));
  for (let b = 0; b < warmBlocks; b++) for (const arm of arms) await batch(arm, options.blockCalls);

  const results = arms.map((arm) => ({ name: arm.name, wallUs: [] as number[], cpuUs: [] as number[], mainUs: [] as number[], blockCpuUs: [] as number[] }));
  const blocks = Math.max(1, Math.round(options.callsPerRound / options.blockCalls));
  let rotation = 0;
  for (let round = 0; round < options.rounds; round++) {
    const wall = arms.map(() => 0);
    const cpu = arms.map(() => 0);
    const main = arms.map(() => 0);
    for (let b = 0; b < blocks; b++, rotation++) {
      for (let j = 0; j < arms.length; j++) {
        const k = (j + rotation) % arms.length;
        const t = await batch(arms[k], options.blockCalls);
        wall[k] += t.wall;
        cpu[k] += t.cpu;
        results[k].blockCpuUs.push(t.cpu / options.blockCalls);
        main[k] += t.main;
      }
    }
    const calls = blocks * options.blockCalls;
    arms.forEach((_, k) => {
      results[k].wallUs.push(wall[k] / calls);
      results[k].cpuUs.push(cpu[k] / calls);
      if (schedstat) results[k].mainUs.push(main[k] / calls);
    });
    options.onRound?.(round);
  }
  return results;
}

/** The q-quantile (0..1), interpolated between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return low + 1 < sorted.length ? sorted[low] + (sorted[low + 1] - sorted[low]) * (at - low) : sorted[low];
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The mean of the values left once the `cut` share of the lowest and of the highest is dropped. */
export function trimmedMean(values: readonly number[], cut: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const drop = Math.floor(sorted.length * cut);
  const kept = sorted.slice(drop, sorted.length - drop);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** Per-round differences subject − baseline (the two ran in the same round, close in time). */
export function pairedDifferences(subject: readonly number[], baseline: readonly number[]): number[] {
  return subject.map((value, round) => value - baseline[round]);
}
