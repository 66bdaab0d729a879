// Runs nubo-db/dynamodb-conformance (an independent suite of ~600 vitest tests, written and
// checked against real DynamoDB) against startLocalDynamo and against plain dynalite, and
// prints what passes per tier, as issue #17's table does. Not part of `npm test`: it needs a
// copy of the suite's repository, and installs the suite's own dependencies from npm.
//
//   node scripts/conformance-suite.mjs --repo PATH [--plain | --layer] [--grep TEXT] [--list] [--out DIR] [file ...]
//
//   --repo PATH  a dynamodb-conformance checkout or its bare git directory (HEAD is read);
//                default: $CONFORMANCE_REPO
//   --plain      only plain dynalite (with the options the layer gives it: tables ACTIVE at once)
//   --layer      only startLocalDynamo; default: both, one after the other, side by side
//   --grep TEXT  only the tests whose name matches (vitest's --testNamePattern)
//   --list       print every failing test per target, grouped by file
//   --out DIR    keep vitest's JSON report of each target there (plain.json, layer.json)
//   file ...     vitest's file filters (tier3, tests/tier1/query, transactWriteItems, ...)
//
// The suite is copied into a temporary directory, where `npm install` fetches its
// dependencies (vitest, the AWS SDK's DynamoDB and DynamoDB Streams clients): they are the
// suite's, not ours. Both targets run in this process; vitest runs in a child process and
// reaches them through DYNAMODB_ENDPOINT, with dummy credentials.
//
// The exit code is 0 when the suite ran, whatever it found (the table is the result), and
// non-zero when it could not run: no repository, npm install failing, no report written.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repo = option('--repo') ?? process.env.CONFORMANCE_REPO;
const grep = option('--grep');
const list = args.includes('--list');
const out = option('--out');
const valued = new Set(['--repo', '--grep', '--out']);
const filters = args.filter((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1]));
const targets = args.includes('--plain') ? ['plain'] : args.includes('--layer') ? ['layer'] : ['plain', 'layer'];
const names = { plain: `plain dynalite ${require('dynalite/package.json').version}`, layer: 'startLocalDynamo (the layer)' };
const tiers = ['tier1', 'tier2', 'tier3'];

if (!repo) {
  console.error(
    'usage: node scripts/conformance-suite.mjs --repo PATH_TO_DYNAMODB_CONFORMANCE [--plain | --layer] [--grep TEXT] [--list] [--out DIR] [file ...]',
  );
  process.exit(2);
}

if (!fs.existsSync(repo)) {
  console.error(`no such directory: ${repo} (--repo or $CONFORMANCE_REPO: a dynamodb-conformance checkout or its bare git directory)`);
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-suite-'));
let server;
const cleanUp = async () => {
  const stopping = server;
  server = undefined;
  if (stopping) await stopping.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

function fail(message) {
  console.error(message);
  return cleanUp().then(() => process.exit(2));
}

// A checkout is copied as it is (without its node_modules); a bare git directory gives HEAD.
function copySuite() {
  const suite = path.join(dir, 'suite');
  if (fs.existsSync(path.join(repo, 'package.json'))) {
    fs.cpSync(repo, suite, { recursive: true, filter: (source) => !/[/\\](node_modules|\.git)$/.test(source) });
  } else {
    fs.mkdirSync(suite);
    const archive = path.join(dir, 'suite.tar');
    execFileSync('git', ['--git-dir', repo, 'archive', '--format=tar', '-o', archive, 'HEAD']);
    execFileSync('tar', ['-xf', archive, '-C', suite]);
  }
  return suite;
}

// Each target listens on a free port in this process; stop() drops every table it held.
async function start(target) {
  if (target === 'layer') {
    require('tsx/cjs');
    const { startLocalDynamo } = require(path.join(root, 'lib/testing'));
    return startLocalDynamo();
  }
  const dynalite = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve, reject) => {
    dynalite.once('error', reject);
    dynalite.listen(0, '127.0.0.1', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${dynalite.address().port}`,
    stop: () => new Promise((resolve) => dynalite.close(() => resolve())),
  };
}

// Async, not spawnSync: the server answering vitest runs on this process's event loop.
function runVitest(suite, endpoint, report, log) {
  const vitest = path.join(suite, 'node_modules', 'vitest', 'vitest.mjs');
  const vitestArgs = [vitest, 'run', '--reporter=json', `--outputFile=${report}`, ...(grep ? ['--testNamePattern', grep] : []), ...filters];
  const env = {
    ...process.env,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  const out = fs.openSync(log, 'w');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, vitestArgs, { cwd: suite, env, stdio: ['ignore', out, out] });
    child.on('close', (code) => {
      fs.closeSync(out);
      resolve(code);
    });
  });
}

function summarize(report, suite) {
  const result = JSON.parse(fs.readFileSync(report, 'utf8'));
  const counts = Object.fromEntries(tiers.map((tier) => [tier, { passed: 0, failed: 0, skipped: 0 }]));
  const tests = new Map();
  for (const file of result.testResults ?? []) {
    const relative = path.relative(suite, file.name);
    const tier = tiers.find((name) => relative.includes(`${name}/`));
    // A file that failed to load has no assertion results; its message says why.
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      tests.set(`${relative} › (file)`, { file: relative, title: '(the file failed to run)', status: 'failed', message: file.message ?? '' });
    }
    for (const test of file.assertionResults ?? []) {
      const status = test.status === 'passed' || test.status === 'failed' ? test.status : 'skipped';
      if (tier) counts[tier][status] += 1;
      tests.set(`${relative} › ${test.fullName}`, { file: relative, title: test.fullName, status, message: (test.failureMessages ?? [])[0] ?? '' });
    }
  }
  return { counts, tests };
}

const cell = ({ passed, failed, skipped }) => `${passed}/${passed + failed}${skipped > 0 ? ` (+${skipped} skipped)` : ''}`;
const totals = (counts) =>
  tiers.reduce(
    (sum, tier) => ({ passed: sum.passed + counts[tier].passed, failed: sum.failed + counts[tier].failed, skipped: sum.skipped + counts[tier].skipped }),
    {
      passed: 0,
      failed: 0,
      skipped: 0,
    },
  );

function printFailures(name, tests) {
  const byFile = new Map();
  for (const test of tests.values()) {
    if (test.status !== 'failed') continue;
    byFile.set(test.file, [...(byFile.get(test.file) ?? []), test]);
  }
  const count = [...byFile.values()].reduce((sum, failed) => sum + failed.length, 0);
  console.log(`\nfailing on ${name} (${count}):`);
  for (const [file, failed] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${file}`);
    for (const test of failed) {
      const reason = test.message.split('\n').find((line) => line.trim() !== '') ?? '';
      console.log(`    ✗ ${test.title}\n        ${reason.trim().slice(0, 200)}`);
    }
  }
}

try {
  const suite = copySuite();
  console.log(`installing the suite's dependencies in ${suite} ...`);
  const npmInstall = () =>
    spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: suite, stdio: ['ignore', 'inherit', 'inherit'] });
  let install = npmInstall();
  // The suite's lockfile may pin a version the registry no longer serves (it names
  // @aws-sdk/client-dynamodb-streams@3.1012.0, which npm answers with a 404): then its
  // package.json's ranges decide.
  if (install.status !== 0 && fs.existsSync(path.join(suite, 'package-lock.json'))) {
    console.log("npm install failed with the suite's package-lock.json; again from its package.json alone ...");
    fs.rmSync(path.join(suite, 'package-lock.json'));
    fs.rmSync(path.join(suite, 'node_modules'), { recursive: true, force: true });
    install = npmInstall();
  }
  if (install.status !== 0) await fail(`npm install failed in the suite's copy (exit ${install.status})`);

  const results = {};
  for (const target of targets) {
    server = await start(target);
    const report = path.join(dir, `${target}.json`);
    const log = path.join(dir, `${target}.log`);
    console.log(`running the suite against ${names[target]} at ${server.endpoint} ...`);
    const code = await runVitest(suite, server.endpoint, report, log);
    const stopping = server;
    server = undefined;
    await stopping.stop();
    if (!fs.existsSync(report)) {
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
      await fail(`vitest wrote no report (exit ${code}); the end of its output:\n${tail}`);
    }
    results[target] = summarize(report, suite);
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.copyFileSync(report, path.join(out, `${target}.json`));
    }
  }

  console.log(`\n| target | tier 1 | tier 2 | tier 3 | passed / failed / skipped |\n|---|---|---|---|---|`);
  for (const target of targets) {
    const { counts } = results[target];
    const all = totals(counts);
    console.log(`| ${names[target]} | ${tiers.map((tier) => cell(counts[tier])).join(' | ')} | ${all.passed} / ${all.failed} / ${all.skipped} |`);
  }

  if (grep) console.log('(vitest counts the tests --grep leaves out as skipped)');

  if (results.plain && results.layer) {
    const regressions = [...results.layer.tests].filter(([key, test]) => test.status === 'failed' && results.plain.tests.get(key)?.status === 'passed');
    console.log(`\npasses on plain dynalite, fails on the layer (${regressions.length}):`);
    for (const [key] of regressions) console.log(`  ✗ ${key}`);
  }
  if (list) for (const target of targets) printFailures(names[target], results[target].tests);
} catch (err) {
  await fail(`the suite could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}
await cleanUp();
