// Where dynamorm's time goes, for the owner of lib/ (not part of `npm run bench`). Run in
// plain Node through plain-node.cjs (see there why):
//
//   node bench/plain-node.cjs bench/profile.ts          stage timings, SDK stubbed out
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/plain-node.cjs bench/profile.ts --loop create 20000 [--stub]
//   npx tsx bench/cpuprofile-summary.ts /tmp/prof/<file>.cpuprofile 20000
//   node bench/plain-node.cjs bench/profile.ts --split create 10000   in-flow cost per lib/ function
//   node bench/plain-node.cjs bench/profile.ts --what-if-validator    gain of caching require('class-validator')
//
// --loop arms: rawput, rawget, create, save, checked, find.
//
// Import time of the same code bundled into one file (43 modules -> 1), for comparison:
//   npx esbuild lib/index.ts --bundle --platform=node --format=cjs --target=node20 \
//     --external:@aws-sdk/* --external:class-validator --external:class-transformer \
//     --external:aws-xray-sdk-core --external:dynalite --outfile=bench/.build/bundle/index.js
//   node -e "require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb'); const t = performance.now();
//     require(process.argv[1]); console.log(performance.now() - t)" "$PWD/bench/.build/bundle/index.js"
//
// Stage timings call dynamorm with its Connection's put/get replaced by functions that
// resolve at once (what the DocumentClient would have received/returned), so only
// dynamorm's code is timed, hot and alone (in the real flow, between SDK calls, the same
// code costs 2-4 times more: see --split); the SDK-side differences (dynamorm's
// DocumentClient options, Connection's async layers) are timed through the fake handler.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { DynamoDBDocumentClient, GetCommand, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { validate } from 'class-validator';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, orm, useSource } from './dynamorm';
import { FakeDynamoHandler, fakeClient } from './fake-dynamo';
import { median, pairedDifferences, runInterleaved } from './measure';
import { BenchUser, CheckedUser, UserDto, userInput } from './models';

// Internals, for the stage timings only.
const internal = (file: string): unknown => require(useSource ? path.join('..', 'lib', file) : path.join(BUILD_DIR, `${file}.js`));
const { toItem } = internal('marshal/item-codec') as typeof import('../lib/marshal/item-codec');
const { schemaOf } = internal('metadata/registry') as typeof import('../lib/metadata/registry');
const { connect, getConnection } = orm;

type Fn = (i: number) => unknown;

async function timeUs(fn: Fn, calls: number, rounds = 9): Promise<number> {
  for (let i = 0; i < calls; i++) await fn(i); // warm-up
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn(i);
    perRound.push(Number(process.hrtime.bigint() - t0) / 1000 / calls);
  }
  return median(perRound);
}

const handler = new FakeDynamoHandler();
const conn = connect({ client: fakeClient(handler) });
// STORED_ITEM as dynamorm's DocumentClient (wrapNumbers) hands it over.
const storedItem = {
  id: 'user-000042', email: 'ada.lovelace@example.com', name: 'Ada Lovelace', status: 'active',
  age: new NumberValue('36'), active: true, birthday: '1815-12-10T00:00:00.000Z', tags: new Set(['admin', 'beta', 'math']),
  address: { street: '12 St James Square', city: 'London', zip: 'SW1Y 4JH', country: 'GB' },
  createdAt: '2024-03-01T09:30:00.000Z', updatedAt: '2024-06-15T17:05:12.345Z', version: new NumberValue('3'),
};

function stubConnection(): () => void {
  const c = conn as unknown as Record<string, unknown>;
  const put = c.put;
  const get = c.get;
  c.put = () => Promise.resolve({ $metadata: {} });
  c.get = () => Promise.resolve({ Item: storedItem, $metadata: {} });
  return () => {
    c.put = put;
    c.get = get;
  };
}

async function stages(): Promise<void> {
  const N = 5000;
  const schema = schemaOf(BenchUser);
  const built = BenchUser.build(userInput(1));
  const rows: Array<[string, number]> = [];
  const add = async (label: string, fn: Fn, calls = N) => {
    rows.push([label, await timeUs(fn, calls)]);
    process.stdout.write('.');
  };

  await add('userInput(i) (fixture, both sides)', (i) => userInput(i));
  await add('raw: item literal + new PutCommand (no send)', (i) => {
    const u = userInput(i);
    const now = new Date().toISOString();
    return new PutCommand({ TableName: 't', Item: { ...u, birthday: u.birthday.toISOString(), createdAt: now, updatedAt: now, version: 1 }, ConditionExpression: 'attribute_not_exists(#n1)', ExpressionAttributeNames: { '#n1': 'id' } });
  });
  await add('BenchUser.build(attrs)', (i) => BenchUser.build(userInput(i)));
  await add('toItem(schema, model) on a built model', () => toItem(schema, built));
  await add('getConnection()', () => getConnection());

  const restore = stubConnection();
  await add('BenchUser.create, SDK stubbed', (i) => BenchUser.create(userInput(i)));
  await add('BenchUser.build().save(), SDK stubbed', (i) => BenchUser.build(userInput(i)).save());
  await add('CheckedUser.create, SDK stubbed', (i) => CheckedUser.create(userInput(i)), 2000);
  await add('class-validator validate(UserDto) alone', (i) => validate(Object.assign(new UserDto(), userInput(i)), { forbidUnknownValues: false }), 2000);
  await add('BenchUser.find, SDK stubbed', () => BenchUser.find('user-000042'));
  restore();

  // SDK-side: dynamorm's DocumentClient options and Connection's async layers.
  const plain = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
  const likeDynamorm = DynamoDBDocumentClient.from(fakeClient(handler), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: true },
  });
  const getInput = () => ({ TableName: 'bench_users', Key: { id: 'user-000042' } });
  const sdk = await runInterleaved(
    [
      { name: 'GetCommand, default unmarshall', call: () => plain.send(new GetCommand(getInput())) },
      { name: "GetCommand, dynamorm's DocumentClient options (wrapNumbers)", call: () => likeDynamorm.send(new GetCommand(getInput())) },
      { name: 'Connection.get (its async layers on top)', call: () => conn.get(getInput()) },
    ],
    { warmupCalls: 1000, rounds: 8, callsPerRound: 300, blockCalls: 25 },
  );
  process.stdout.write('.');

  console.log('\n\n| stage | µs/call (median of 9 rounds) |\n|---|---:|');
  for (const [label, us] of rows) console.log(`| ${label} | ${us.toFixed(2)} |`);
  console.log('\n| SDK side, interleaved | CPU µs/call | over the first |\n|---|---:|---:|');
  for (const r of sdk) {
    console.log(`| ${r.name} | ${median(r.cpuUs).toFixed(1)} | ${median(pairedDifferences(r.cpuUs, sdk[0].cpuUs)).toFixed(1)} |`);
  }
}

async function loop(arm: string, calls: number, stub: boolean): Promise<void> {
  const raw = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
  const fns: Record<string, Fn> = {
    rawput: (i) => rawPutCall(raw, i),
    rawget: () => raw.send(new GetCommand({ TableName: 'bench_users', Key: { id: 'user-000042' } })),
    create: (i) => BenchUser.create(userInput(i)),
    save: (i) => BenchUser.build(userInput(i)).save(),
    checked: (i) => CheckedUser.create(userInput(i)),
    find: () => BenchUser.find('user-000042'),
  };
  const fn = fns[arm];
  if (!fn) throw new Error(`--loop takes one of ${Object.keys(fns).join(', ')}`);
  if (stub) stubConnection();
  for (let i = 0; i < calls; i++) await fn(i);
}

// --split: the in-flow cost of each function dynamorm's modules export. Every exported
// function of the compiled build is wrapped with a timer; the build's modules call each other
// through their exports objects (tsc's `(0, module_1.fn)(...)`), so the wrappers see the real
// calls, with the real SDK around them (caches and branch predictors as cold as in
// production). Async functions are timed up to their first await (their "sync part");
// their later continuations show up as the functions they call. Each wrapper adds ~0.1 µs.

interface SplitStat {
  inclusive: number;
  self: number;
  count: number;
}

/** Wrappers only count while this is true (the subject's blocks). */
let counting = false;
/** In-flow µs (total) of the baseline's own validate() calls. */
let baselineValidateMs = 0;

function instrument(): Map<string, SplitStat> {
  const stats = new Map<string, SplitStat>();
  const stack: number[] = [];
  const files: string[] = [];
  const wrap = (mod: Record<string, unknown>, name: string, label: string) => {
    const stat: SplitStat = { inclusive: 0, self: 0, count: 0 };
    stats.set(label, stat);
    const original = mod[name] as (...args: unknown[]) => unknown;
    mod[name] = function (this: unknown, ...args: unknown[]) {
      if (!counting) return original.apply(this, args);
      stack.push(0);
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const dt = performance.now() - t0;
        const children = stack.pop()!;
        if (stack.length > 0) stack[stack.length - 1] += dt;
        stat.inclusive += dt;
        stat.self += dt - children;
        stat.count++;
      }
    };
  };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'testing') walk(full);
      } else if (e.name.endsWith('.js') && full !== path.join(BUILD_DIR, 'index.js')) files.push(full);
    }
  };
  walk(BUILD_DIR);
  for (const file of files) {
    const mod = require(file) as Record<string, unknown>;
    for (const name of Object.keys(mod)) {
      const desc = Object.getOwnPropertyDescriptor(mod, name);
      const fn = desc?.value;
      if (typeof fn !== 'function' || !desc?.writable || /^class[\s{]/.test(Function.prototype.toString.call(fn))) continue;
      const isAsync = fn.constructor.name === 'AsyncFunction';
      wrap(mod, name, `${name}${isAsync ? ' (sync part)' : ''}  ${path.relative(BUILD_DIR, file).replace(/\.js$/, '.ts')}`);
    }
  }
  // class-validator's validate() as dynamorm calls it (through the module object).
  wrap(require('class-validator') as Record<string, unknown>, 'validate', 'validate (sync part)  class-validator');
  return stats;
}

async function split(arm: string, calls: number): Promise<void> {
  const raw = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
  const fns: Record<string, [Fn, Fn]> = {
    create: [(i) => BenchUser.create(userInput(i)), (i) => rawPutCall(raw, i)],
    save: [(i) => BenchUser.build(userInput(i)).save(), (i) => rawPutCall(raw, i)],
    checked: [(i) => CheckedUser.create(userInput(i)), async (i) => {
      const u = userInput(i);
      const t = performance.now();
      const issues = validate(Object.assign(new UserDto(), u), { forbidUnknownValues: false });
      baselineValidateMs += performance.now() - t;
      await issues;
      return rawPutCall(raw, i);
    }],
    find: [() => BenchUser.find('user-000042'), () => raw.send(new GetCommand({ TableName: 'bench_users', Key: { id: 'user-000042' } }))],
  };
  const pair = fns[arm];
  if (!pair) throw new Error(`--split takes one of ${Object.keys(fns).join(', ')}`);
  const [subject, baseline] = pair;
  for (let i = 0; i < 2000; i++) {
    await subject(i);
    await baseline(i);
  }
  const stats = instrument();
  // Warm the wrappers up, then start counting afresh.
  for (let i = 0; i < 1000; i++) await subject(i);
  for (const stat of stats.values()) Object.assign(stat, { inclusive: 0, self: 0, count: 0 });
  baselineValidateMs = 0;
  let subjectMs = 0;
  let baselineMs = 0;
  for (let i = 0, block = 50; i < calls; i += block) {
    counting = true;
    let t = performance.now();
    for (let j = 0; j < block; j++) await subject(i + j);
    subjectMs += performance.now() - t;
    counting = false;
    t = performance.now();
    for (let j = 0; j < block; j++) await baseline(i + j);
    baselineMs += performance.now() - t;
  }
  const per = (ms: number) => ((ms * 1000) / calls).toFixed(2);
  console.log(`${arm}: ${per(subjectMs)} µs/call with the wrappers, baseline ${per(baselineMs)} µs/call (difference ${per(subjectMs - baselineMs)})`);
  if (baselineValidateMs > 0) console.log(`baseline's own validate() (sync part): ${per(baselineValidateMs)} µs/call`);
  console.log('');
  console.log('| function (lib/ file) | calls per op | inclusive µs/op | self µs/op |\n|---|---:|---:|---:|');
  const rows = [...stats].filter(([, s]) => s.count > 0).sort((a, b) => b[1].self - a[1].self);
  let selfSum = 0;
  for (const [label, s] of rows) {
    selfSum += s.self;
    console.log(`| ${label} | ${(s.count / calls).toFixed(1)} | ${per(s.inclusive)} | ${per(s.self)} |`);
  }
  console.log(`\nsum of self times: ${per(selfSum)} µs/op`);
}

function rawPutCall(raw: DynamoDBDocumentClient, i: number) {
  const u = userInput(i);
  const now = new Date().toISOString();
  const Item = { ...u, birthday: u.birthday.toISOString(), createdAt: now, updatedAt: now, version: 1 };
  return raw.send(new PutCommand({ TableName: 'bench_users', Item, ConditionExpression: 'attribute_not_exists(#n1)', ExpressionAttributeNames: { '#n1': 'id' } }));
}

// --what-if-validator: CheckedUser.create as it is, and with peers/class-validator's
// validatorFor() replaced (through the build's exports object) by one that keeps the module
// instead of calling require('class-validator') on every write; interleaved, same process.
async function whatIfValidator(): Promise<void> {
  const peers = internal('peers/class-validator') as { validatorFor: (ctor: Function) => unknown };
  const original = peers.validatorFor;
  const api = require('class-validator') as unknown;
  const cached = (ctor: Function) => (ctor === CheckedUser ? api : undefined);
  const raw = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
  const arms = [
    {
      name: 'validate() + PutCommand',
      call: async (i: number) => {
        await validate(Object.assign(new UserDto(), userInput(i)), { forbidUnknownValues: false });
        return rawPutCall(raw, i);
      },
    },
    { name: 'CheckedUser.create as is', call: (i: number) => ((peers.validatorFor = original), CheckedUser.create(userInput(i))) },
    { name: 'CheckedUser.create, require cached', call: (i: number) => ((peers.validatorFor = cached), CheckedUser.create(userInput(i))) },
  ];
  const results = await runInterleaved(arms, { warmupCalls: 1000, rounds: 16, callsPerRound: 300, blockCalls: 25 });
  peers.validatorFor = original;
  for (let k = 1; k < arms.length; k++) {
    console.log(`${arms[k].name}: ${median(pairedDifferences(results[k].cpuUs, results[0].cpuUs)).toFixed(1)} µs/call over ${arms[0].name}`);
  }
}

export function main(args: string[]): Promise<void> {
  if (args.includes('--what-if-validator')) return whatIfValidator();
  const at = args.indexOf('--loop');
  if (at >= 0) return loop(args[at + 1], Number(args[at + 2] ?? 20000), args.includes('--stub'));
  const splitAt = args.indexOf('--split');
  if (splitAt >= 0) return split(args[splitAt + 1], Number(args[splitAt + 2] ?? 10000));
  return stages();
}
