// Runs parts of dynalite's own test suite (written against real DynamoDB) against
// startLocalDynamo, to check that the layer answers exactly what dynalite answers.
// Not part of `npm test`: it needs a copy of dynalite's repository for the tests.
//
//   node scripts/dynalite-suite.mjs --repo PATH [--plain] [--grep TEXT] [--list] [file ...]
//
//   --repo PATH  a dynalite checkout (with test/) or its bare git directory (HEAD is read);
//                default: $DYNALITE_REPO
//   --plain      run against plain dynalite instead of the layer, for reference
//   --grep TEXT  passed to mocha
//   --list       print the title of every failing test
//   --inject V   add ReturnValuesOnConditionCheckFailure: V to every PutItem, UpdateItem and
//                DeleteItem the suite sends (dynalite ignores it; the layer answers those itself).
//                The suite compares whole error bodies, so the Item a failed condition carries
//                under ALL_OLD is counted and removed before the suite sees the answer.
//   file ...     test files without .js (test/connection, test/query, ...); default:
//                describeTimeToLive updateTable putItem updateItem deleteItem
//
// Each file is best run on its own: the suite's files share tables and a few of them
// count what ListTables returns. Against the layer, the tests that expect a table still
// CREATING fail by design (startLocalDynamo makes tables ACTIVE at once).
//
// The suite's two dev dependencies the repo does not carry, aws4 (request signing) and
// should (assertions), are replaced by the small shims written below: dynalite checks
// that a signature is present, never that it is right, and the suite uses a handful
// of should's assertions.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repo = option('--repo') ?? process.env.DYNALITE_REPO;
const plain = args.includes('--plain');
const grep = option('--grep');
const list = args.includes('--list');
const inject = option('--inject');
const valued = new Set(['--repo', '--grep', '--inject']);
const files = args.filter((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1]));
const suites = files.length > 0 ? files : ['describeTimeToLive', 'updateTable', 'putItem', 'updateItem', 'deleteItem'];

if (!repo) {
  console.error('usage: node scripts/dynalite-suite.mjs --repo PATH_TO_DYNALITE [--plain] [--grep TEXT] [--list] [file ...]');
  process.exit(2);
}

function readTest(name) {
  const worktree = path.join(repo, 'test', name);
  if (fs.existsSync(worktree)) return fs.readFileSync(worktree, 'utf8');
  return execFileSync('git', ['--git-dir', repo, 'show', `HEAD:test/${name}`], { encoding: 'utf8' });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dynalite-suite-'));
fs.mkdirSync(path.join(dir, 'test'));
for (const name of suites) fs.writeFileSync(path.join(dir, 'test', `${name}.js`), readTest(`${name}.js`));
let helpers = readTest('helpers.js');
if (inject !== undefined) {
  const signature = 'function opts (target, data) {';
  if (!helpers.includes(signature)) throw new Error('test/helpers.js has no opts(target, data) to patch for --inject');
  helpers = helpers.replace(
    signature,
    `${signature}
  if (/^(Put|Update|Delete)Item$/.test(target) && data && typeof data == 'object' && !Array.isArray(data) &&
      !('ReturnValuesOnConditionCheckFailure' in data)) {
    data = Object.assign({}, data, { ReturnValuesOnConditionCheckFailure: ${JSON.stringify(inject)} })
  }`,
  );
  const parse = 'res.body = JSON.parse(res.rawBody)';
  if (!helpers.includes(parse)) throw new Error('test/helpers.js has no response parsing to patch for --inject');
  helpers = helpers.replaceAll(
    parse,
    `${parse}
          if (res.body && res.body.__type == 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' && res.body.Item) {
            delete res.body.Item
            require('fs').appendFileSync(${JSON.stringify(path.join(dir, 'items-returned'))}, '.')
          }`,
  );
}
fs.writeFileSync(path.join(dir, 'test', 'helpers.js'), helpers);

// test/helpers.js starts "dynalite" with require('..'): this file stands in for it. The
// layer serves plain HTTP only, so the one test that asks for SSL gets dynalite itself.
const realDynalite = JSON.stringify(require.resolve('dynalite'));
fs.writeFileSync(
  path.join(dir, 'index.js'),
  plain
    ? `module.exports = require(${realDynalite})\n`
    : `const { startLocalDynamo } = require(${JSON.stringify(path.join(root, 'lib/testing/local-dynamo'))})
module.exports = function (options) {
  if (options && options.ssl) return require(${realDynalite})(options)
  let local
  return {
    listen (port, cb) { startLocalDynamo({ port }).then((started) => { local = started; cb() }, cb) },
    close (cb) { (local ? local.stop() : Promise.resolve()).then(() => cb(), cb) },
  }
}
`,
);

// A few tests read dynalite's constants through require('../db').
fs.mkdirSync(path.join(dir, 'db'));
fs.writeFileSync(path.join(dir, 'db', 'index.js'), `module.exports = require(${JSON.stringify(require.resolve('dynalite/db'))})\n`);

const shims = path.join(dir, 'node_modules');
fs.mkdirSync(path.join(shims, 'aws4'), { recursive: true });
fs.mkdirSync(path.join(shims, 'should'), { recursive: true });
fs.writeFileSync(
  path.join(shims, 'aws4', 'index.js'),
  `exports.sign = function (opts) {
  opts.headers = opts.headers || {}
  opts.headers.Host = opts.host + (opts.port ? ':' + opts.port : '')
  var date = new Date().toISOString().replace(/[:-]|\\.\\d{3}/g, '')
  var credential = 'local/' + date.slice(0, 8) + '/us-east-1/dynamodb/aws4_request'
  if (opts.signQuery) {
    opts.path = (opts.path || '/') + '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=' + encodeURIComponent(credential) +
      '&X-Amz-Date=' + date + '&X-Amz-SignedHeaders=host&X-Amz-Signature=0'
    return opts
  }
  opts.headers['X-Amz-Date'] = date
  if (opts.body != null) opts.headers['Content-Length'] = Buffer.byteLength(opts.body)
  opts.headers.Authorization = 'AWS4-HMAC-SHA256 Credential=' + credential + ', ' +
    'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0'
  return opts
}
`,
);
fs.writeFileSync(
  path.join(shims, 'should', 'index.js'),
  `'use strict'
const assert = require('assert')
const util = require('util')
const show = (value) => util.inspect(value, { depth: 6, breakLength: Infinity })
function matches (value, other) {
  if (other instanceof RegExp) return typeof value === 'string' && other.test(value)
  return util.isDeepStrictEqual(value, other)
}
class Assertion {
  constructor (obj, negated) { this.obj = obj; this.negated = Boolean(negated) }
  get be () { return this }
  get have () { return this }
  get an () { return this }
  get not () { return new Assertion(this.obj, !this.negated) }
  check (pass, message) {
    assert.ok(this.negated ? !pass : pass, (this.negated ? 'not: ' : '') + message)
    return this
  }
  equal (other) {
    if (!this.negated) { assert.strictEqual(this.obj, other); return this }
    return this.check(this.obj === other, show(this.obj) + ' should equal ' + show(other))
  }
  eql (other) {
    if (!this.negated) { assert.deepStrictEqual(this.obj, other); return this }
    return this.check(util.isDeepStrictEqual(this.obj, other), show(this.obj) + ' should eql ' + show(other))
  }
  above (n) { return this.check(this.obj > n, show(this.obj) + ' should be above ' + n) }
  below (n) { return this.check(this.obj < n, show(this.obj) + ' should be below ' + n) }
  lengthOf (n) { return this.check(this.obj.length === n, show(this.obj) + ' should have length ' + n) }
  length (n) { return this.lengthOf(n) }
  get empty () { return this.check(Object.keys(this.obj).length === 0, show(this.obj) + ' should be empty') }
  get null () { return this.check(this.obj === null, show(this.obj) + ' should be null') }
  instanceOf (type) { return this.check(this.obj instanceof type, show(this.obj) + ' should be an instance of ' + type.name) }
  containEql (other) { return this.check(this.obj.some((x) => util.isDeepStrictEqual(x, other)), show(this.obj) + ' should contain ' + show(other)) }
  match (other) { return this.check(matches(this.obj, other), show(this.obj) + ' should match ' + show(other)) }
  matchAny (other) { return this.check(this.obj.some((x) => matches(x, other)), show(this.obj) + ' should have an element matching ' + show(other)) }
  startWith (prefix) { return this.check(String(this.obj).startsWith(prefix), show(this.obj) + ' should start with ' + show(prefix)) }
}
// What require('should') gives: should(x), should.exist(x), should.not.exist(x).
module.exports = function should (obj) { return new Assertion(obj) }
module.exports.exist = (value) => assert.ok(value != null, show(value) + ' should exist')
module.exports.not = { exist: (value) => assert.ok(value == null, show(value) + ' should not exist') }
Object.defineProperty(Object.prototype, 'should', {
  get () { return new Assertion(this) },
  set (value) { Object.defineProperty(this, 'should', { value, writable: true, configurable: true, enumerable: true }) },
  configurable: true,
  enumerable: false,
})
`,
);

const report = path.join(dir, 'report.json');
const mochaArgs = [
  require.resolve('mocha/bin/mocha.js'),
  '--no-config',
  '--require',
  require.resolve('tsx/cjs'),
  '--require',
  path.join(shims, 'should'),
  '--timeout',
  '10000',
  '--reporter',
  'json',
  '--reporter-option',
  `output=${report}`,
  ...(grep ? ['--grep', grep] : []),
  ...suites.map((name) => path.join(dir, 'test', `${name}.js`)),
];
const run = spawnSync(process.execPath, mochaArgs, {
  cwd: dir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (!fs.existsSync(report)) {
  console.error(`mocha wrote no report (exit ${run.status})`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(2);
}
const result = JSON.parse(fs.readFileSync(report, 'utf8'));
const perFile = new Map();
for (const test of [...result.passes, ...result.failures]) {
  const file = path.basename(test.file ?? '?', '.js');
  const entry = perFile.get(file) ?? { passes: 0, failures: 0 };
  if (result.failures.includes(test)) entry.failures += 1;
  else entry.passes += 1;
  perFile.set(file, entry);
}
console.log(`against ${plain ? 'plain dynalite' : 'startLocalDynamo'}${inject === undefined ? '' : `, with ReturnValuesOnConditionCheckFailure: ${inject}`}:`);
for (const [file, { passes, failures }] of perFile) console.log(`  ${file}: ${passes} passing, ${failures} failing`);
console.log(`  total: ${result.stats.passes} passing, ${result.stats.failures} failing, ${result.stats.pending} pending`);
if (inject !== undefined) {
  const returned = path.join(dir, 'items-returned');
  const count = fs.existsSync(returned) ? fs.readFileSync(returned, 'utf8').length : 0;
  console.log(`  ConditionalCheckFailedExceptions that carried an Item: ${count}`);
}
if (list) {
  for (const failure of result.failures) {
    console.log(
      `\n✗ ${failure.fullTitle}\n    ${String(failure.err.message ?? '')
        .split('\n')
        .slice(0, 6)
        .join('\n    ')}`,
    );
  }
}
fs.rmSync(dir, { recursive: true, force: true });
process.exit(result.stats.failures > 0 ? 1 : 0);
