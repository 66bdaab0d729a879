// `npm run bench`: dynamorm's CPU cost per call over hand-written @aws-sdk/lib-dynamodb
// calls, and its import time over the SDK's. Prints a markdown table and writes it, with
// the per-round figures, to bench/results.md.
//
// 1. compiles lib/ (build.ts) if needed;
// 2. times the calls in BENCH_PROCESSES child processes in turn, in plain Node (timing.ts
//    through plain-node.cjs): from one process to the next, the same code can settle ~30 µs
//    apart (JIT decisions), so the figures are medians across processes;
// 3. times the import in fresh child processes (import-time.ts), and side by side with
//    OneTable, CommonJS and ESM;
// 4. reports.
//
// Settings (environment): BENCH_PROCESSES timing processes (default 5), BENCH_ROUNDS,
// BENCH_CALLS, BENCH_BLOCK, BENCH_WARMUP (per process, see timing.ts), BENCH_IMPORT_RUNS
// fresh processes for the import time (default 15), BENCH_IMPORT_SIDE_RUNS rounds of the
// side-by-side import time with OneTable (default 10; alone: `npm run bench:import`).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, ROOT } from './build';
import { ARM_NAMES, ROWS, TARGET_IMPORT_MS, type ArmFigures, type ArmKey, type Row, type TimingReport } from './cases';
import { measureImport, measureSideBySide, sideBySideLines, TARGET_IMPORT_RATIO, type ImportResult, type SideBySide } from './import-time';
import { median, pairedDifferences, trimmedMean } from './measure';

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const PROCESSES = intEnv('BENCH_PROCESSES', 5);
const IMPORT_RUNS = intEnv('BENCH_IMPORT_RUNS', 15);
const SIDE_BY_SIDE_RUNS = intEnv('BENCH_IMPORT_SIDE_RUNS', 10);

const fmt = (us: number) => us.toFixed(1);
const signed = (us: number) => `${us >= 0 ? '+' : '−'}${Math.abs(us).toFixed(1)}`;

function runTiming(): TimingReport {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'plain-node.cjs'), path.join(__dirname, 'timing.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as TimingReport;
}

const TRIM = 0.1;

/** One process's figure for an arm: the trimmed mean of its blocks, µs per call. */
const level = (arm: ArmFigures) => trimmedMean(arm.blockCpuUs, TRIM);

/** One process's overhead for a row: the trimmed mean of the block-by-block differences. */
const overheadOf = (report: TimingReport, row: Row) =>
  trimmedMean(pairedDifferences(report.arms[row.subject]!.blockCpuUs, report.arms[row.baseline]!.blockCpuUs), TRIM);

function table(reports: TimingReport[], imports: ImportResult | Error, sideBySide: SideBySide | Error): { markdown: string; failures: string[] } {
  const failures: string[] = [];
  const lines = ['| operation | raw SDK µs | dynamorm µs | overhead µs | ratio | target |', '|---|---:|---:|---:|---:|---|'];
  for (const row of ROWS) {
    const base = median(reports.map((r) => level(r.arms[row.baseline]!)));
    const subject = median(reports.map((r) => level(r.arms[row.subject]!)));
    const overhead = median(reports.map((r) => overheadOf(r, row)));
    let target = '—';
    if (row.targetUs !== undefined) {
      const ok = overhead <= row.targetUs;
      target = `≤ +${row.targetUs} ${ok ? '✅' : '❌'}`;
      if (!ok) failures.push(`${row.operation}: ${signed(overhead)} µs, over the target of +${row.targetUs} µs`);
    }
    lines.push(`| ${row.operation} | ${fmt(base)} | ${fmt(subject)} | ${signed(overhead)} | ${(subject / base).toFixed(2)}× | ${target} |`);
  }
  let importLine: string;
  if (imports instanceof Error) {
    importLine = `**import**: not measured: ${imports.message.split('\n')[0]}`;
    failures.push('import time not measured');
  } else {
    const ok = imports.dynamormMs <= TARGET_IMPORT_MS;
    const peersOk = imports.peersLoaded.length === 0;
    if (!ok) failures.push(`import: +${imports.dynamormMs.toFixed(2)} ms, over the target of ${TARGET_IMPORT_MS} ms`);
    if (!peersOk) failures.push(`the import loaded ${imports.peersLoaded.join(', ')}`);
    importLine =
      `**import** (median of ${imports.runs} fresh processes, compiled build): \`@aws-sdk/client-dynamodb\` + \`@aws-sdk/lib-dynamodb\` ${imports.sdkMs.toFixed(1)} ms, ` +
      `then \`dynamorm\` **+${imports.dynamormMs.toFixed(2)} ms** (target ≤ ${TARGET_IMPORT_MS} ms ${ok ? '✅' : '❌'}); ` +
      `class-validator / class-transformer loaded: ${peersOk ? 'no ✅' : `**yes** ❌ (${imports.peersLoaded.join(', ')})`}`;
  }
  let sideLines: string[];
  if (sideBySide instanceof Error) {
    sideLines = [`**import, side by side with OneTable**: not measured: ${sideBySide.message.split('\n')[0]}`];
    failures.push('import time side by side not measured');
  } else {
    sideLines = sideBySideLines(sideBySide);
    for (const [entry, ratio] of [
      ['CommonJS', sideBySide.ratioCjs],
      ['ESM', sideBySide.ratioEsm],
    ] as const) {
      if (ratio > TARGET_IMPORT_RATIO) failures.push(`import (${entry}): ${ratio.toFixed(2)} × OneTable's, over the target of ${TARGET_IMPORT_RATIO}`);
    }
  }
  return { markdown: `${lines.join('\n')}\n\n${importLine}\n\n${sideLines.join('\n')}\n`, failures };
}

function details(reports: TimingReport[], imports: ImportResult | Error): string {
  const lines = ['| arm | µs/call in each process | median |', '|---|---|---:|'];
  for (const [key, name] of Object.entries(ARM_NAMES) as Array<[ArmKey, string]>) {
    const levels = reports.map((r) => level(r.arms[key]!));
    lines.push(`| ${name} | ${levels.map(fmt).join(' · ')} | ${fmt(median(levels))} |`);
  }
  lines.push('', '| operation | overhead µs in each process | median | main-thread CPU overhead (median of rounds), each process |', '|---|---|---:|---|');
  for (const row of ROWS) {
    const estimates = reports.map((r) => overheadOf(r, row));
    const main = reports.map((r) => {
      const subject = r.arms[row.subject]!;
      const base = r.arms[row.baseline]!;
      return subject.mainUs.length ? signed(median(pairedDifferences(subject.mainUs, base.mainUs))) : 'n/a';
    });
    lines.push(`| ${row.operation} | ${estimates.map(signed).join(' · ')} | ${signed(median(estimates))} | ${main.join(' · ')} |`);
  }
  const across = (key: ArmKey) => median(reports.map((r) => level(r.arms[key]!)));
  lines.push(
    '',
    `What constraints cost (from medians of different groups, so less precise): class-validator's \`validate()\` by hand ` +
      `${signed(across('rawPutValidated') - across('rawPut'))} µs over a bare put; \`CheckedUser.create\` ${signed(across('createChecked') - across('rawPut'))} µs over a bare put.`,
    '',
    `Building and compiling the query of the query row, alone (\`${ARM_NAMES.queryParams}\`: the builder calls, the planner and ` +
      `compileRequest, which today run on every call; no request): ${fmt(across('queryParams'))} µs/call, ` +
      `out of the row's ${signed(
        median(
          reports.map((r) =>
            overheadOf(
              r,
              ROWS.find((row) => row.subject === 'query')!,
            ),
          ),
        ),
      )} µs.`,
  );
  if (!(imports instanceof Error)) {
    lines.push(
      '',
      `dynamorm import, each run, ms: ${imports.dynamormMsAll.map((v) => v.toFixed(2)).join(' · ')} (process CPU, median: ${imports.dynamormCpuMs.toFixed(2)} ms); ` +
        `${imports.ownModules} dynamorm modules loaded${imports.otherModules.length ? `, plus ${imports.otherModules.join(', ')}` : ', nothing else'}.`,
    );
  }
  return lines.join('\n');
}

/** Which lib/ was measured: the commit, and whether lib/ had uncommitted changes. */
function libRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'lib') !== '';
    return `lib/ at ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'lib/ outside git';
  }
}

function version(pkg: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

const HOW = [
  '## How it is measured',
  '',
  '- Both sides run in one process, each on its own `DynamoDBClient` whose `requestHandler` is an in-process fake',
  '  (`bench/fake-dynamo.ts`) answering at once: `{}` for PutItem, the marshalled item of the table for GetItem,',
  '  25 marshalled orders (one page) for Query;',
  '  dynamorm gets its client as an application would, `connect({ client })`. The whole SDK stack runs on both',
  '  sides (middleware, serialisation, SigV4 signing with static dummy credentials, deserialisation, DocumentClient',
  "  marshalling), so the difference is dynamorm's own work.",
  '- The raw side is what one would write by hand: `PutCommand` of the same item (dates as ISO strings, timestamps,',
  '  version 1) with `ConditionExpression: attribute_not_exists(#n1)`, and a bare `GetCommand` returning `Item` (no',
  '  conversion to Dates or to a class). Before timing, the bench checks that each pair sends the same request body',
  '  (the time of the call aside).',
  "- The query row: `BenchOrder.where('customerId', '=', c).where('placedAt', 'between', from, to).orderBy('placedAt', 'desc').all()`",
  '  (the builder is made afresh on every call, as a request handler does) against a `QueryCommand` with the same',
  '  KeyConditionExpression, names, values and `ScanIndexForward: false`, following `LastEvaluatedKey` and returning',
  '  `Items` as the DocumentClient gives them. dynamorm turns each of the 25 items into a `BenchOrder`: a string key, a',
  '  Date sort key, 2 strings, 2 numbers, a `Set<string>`, an optional Date, `@CreatedAt`, `@UpdatedAt`, `@Version`',
  '  (numbers read exactly through `wrapNumbers`, then converted).',
  '- Model (`bench/models.ts`): string key, 3 strings, a number, a boolean, a Date, a `Set<string>`, a 4-field map,',
  '  `@CreatedAt`, `@UpdatedAt`, `@Version`. Without constraints dynamorm skips validation. `CheckedUser` adds',
  '  class-validator decorators, so class-validator runs on each write; its baseline calls `validate()` on a DTO with',
  '  the same constraints, then puts.',
  '- The typical user table (`AppUser`): string id, an email GSI, name, age, status, a `Set<string>`, `@CreatedAt`,',
  '  `@UpdatedAt`, `@Version`, `@TTL`. Its raw put is the careful hand-written create: timestamps, version 1, the',
  '  expiry as epoch seconds, the Set, and `attribute_not_exists(#n1) OR #n2 < :v1` (an expired item, which DynamoDB',
  '  deletes only eventually, may be replaced), which is the request dynamorm sends; its raw get is a `GetCommand`',
  '  that treats a missing or expired item as an error and returns `Item` as it is.',
  '- dynamorm is the package build of lib/ (`scripts/build.mjs`: esbuild bundles, as in dist/), compiled into',
  '  bench/.build when lib/ changes. The timing runs in plain Node: tsx compiles the bench files, then is unregistered',
  '  (`plain-node.cjs`), so run-time `require()` calls cost what they cost in production.',
  '- Calls are sequential `await`s with no I/O. The figure is process CPU time per call (`process.cpuUsage()` around',
  '  each block of calls: GC and compiler threads included, time the OS gives other processes excluded; on a quiet',
  '  machine it equals wall time). After warm-up, the arms of a group take turns in blocks of a few dozen calls, in',
  "  rotating order, so drift affects them alike. In each process, an arm's figure is the 10%-trimmed mean of its",
  "  blocks and an overhead the 10%-trimmed mean of the block-by-block differences (a block against the other arm's",
  '  block of the same turn). The same code can settle ~30 µs/call apart from one process to the next (JIT',
  '  decisions), so several processes are run in turn and the table shows the medians across them.',
  '- Import: fresh `node` processes require the two SDK packages, then (timed separately) the compiled entry point',
  '  (`bench/.build/index.js`, same as `dist/index.js`); median of the runs, after one untimed run to warm the file',
  '  cache. `require.cache` then tells whether class-validator or class-transformer were loaded.',
  "- Profiling one arm: `node bench/plain-node.cjs bench/profile.ts <arm> [calls]` (the arm's calls alone, after",
  '  warm-up), then `npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> <calls>` (see those files).',
].join('\n');

function main(): void {
  const started = performance.now();
  const build = ensureBuild();
  console.log(`dynamorm: ${build}`);
  const reports: TimingReport[] = [];
  for (let p = 0; p < PROCESSES; p++) {
    console.log(`timing process ${p + 1}/${PROCESSES}`);
    const report = runTiming();
    if (report.problems) {
      console.error(`The two sides are not equivalent, nothing timed:\n${report.problems.join('\n')}`);
      process.exitCode = 1;
      return;
    }
    reports.push(report);
  }

  console.log(`measuring import time (${IMPORT_RUNS} fresh processes)...`);
  let imports: ImportResult | Error;
  try {
    imports = measureImport(ROOT, IMPORT_RUNS, build);
  } catch (error) {
    imports = error as Error;
    console.error((error as Error).message);
  }
  console.log(`measuring import time side by side with OneTable (${SIDE_BY_SIDE_RUNS} fresh processes per arm)...`);
  let sideBySide: SideBySide | Error;
  try {
    sideBySide = measureSideBySide(ROOT, SIDE_BY_SIDE_RUNS);
  } catch (error) {
    sideBySide = error as Error;
    console.error((error as Error).message);
  }

  const { markdown, failures } = table(reports, imports, sideBySide);
  const { rounds, calls, block, warmup } = reports[0].settings;
  const setup =
    `${libRevision()}; Node ${process.version}, @aws-sdk/client-dynamodb ${version('@aws-sdk/client-dynamodb')}, @aws-sdk/lib-dynamodb ${version('@aws-sdk/lib-dynamodb')}, ` +
    `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} (load average ${os.loadavg()[0].toFixed(1)}); ` +
    `${PROCESSES} processes × ${rounds} rounds (${rounds * 2} for get) × ${calls} calls per arm (blocks of ${block}) after ${warmup} warm-up calls; ` +
    `µs are CPU µs per call; ` +
    `total ${((performance.now() - started) / 1000).toFixed(0)} s.`;
  const doc = [
    '# dynamorm overhead benchmark',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. ${setup}`,
    '',
    markdown,
    HOW,
    '',
    '## Per-process figures',
    '',
    details(reports, imports),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(__dirname, 'results.md'), doc);

  console.log(`\n${markdown}`);
  console.log(setup);
  if (failures.length > 0) console.log(`\nOver target:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\nwritten to ${path.relative(process.cwd(), path.join(__dirname, 'results.md'))}`);
}

main();
