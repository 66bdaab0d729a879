// The per-call timing, run by run.ts in a child process through plain-node.cjs (plain Node,
// tsx unregistered once the bench's modules are loaded): the arms of arms.ts, group by group
// (cases.ts). Writes a TimingReport as JSON on stdout; progress goes to stderr.
//
// Settings (environment): BENCH_ROUNDS (default 5), BENCH_CALLS calls per arm and round
// (default 400), BENCH_BLOCK calls an arm makes before the next arm's turn (default 25),
// BENCH_WARMUP calls per arm before timing (default 1000).

import { ARM_NAMES, GROUPS, type TimingReport } from './cases';
import { arm, checkEquivalence } from './arms';
import { buildNote } from './dynamorm';
import { runInterleaved } from './measure';

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const settings = {
  rounds: intEnv('BENCH_ROUNDS', 5),
  calls: intEnv('BENCH_CALLS', 400),
  block: intEnv('BENCH_BLOCK', 25),
  warmup: intEnv('BENCH_WARMUP', 1000),
};

export async function main(): Promise<void> {
  const report: TimingReport = { arms: {}, settings, build: buildNote };
  const problems = await checkEquivalence();
  if (problems.length > 0) {
    report.problems = problems;
  } else {
    process.stderr.write('  requests checked: each dynamorm call sends the same request as its raw counterpart (timestamps aside)\n');
    for (const { arms: group, roundsFactor } of GROUPS) {
      const rounds = settings.rounds * roundsFactor;
      process.stderr.write(`\x1b[2K  timing ${group.map((k) => ARM_NAMES[k]).join(' | ')}\n`);
      const results = await runInterleaved(group.map(arm), {
        warmupCalls: settings.warmup,
        rounds,
        callsPerRound: settings.calls,
        blockCalls: settings.block,
        onRound: (round) => process.stderr.write(`  round ${round + 1}/${rounds}\r`),
      });
      group.forEach((key, k) => {
        const r = results[k];
        report.arms[key] = { name: ARM_NAMES[key], cpuUs: r.cpuUs, mainUs: r.mainUs, wallUs: r.wallUs, blockCpuUs: r.blockCpuUs };
      });
    }
  }
  process.stdout.write(JSON.stringify(report));
}
