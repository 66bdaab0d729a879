// `npm run bench:local`: what the local server costs an everyday test suite, the layer of
// `startLocalDynamo()` beside plain dynalite, side by side: the time from the call to a server
// that answers, and the latency of one-item PutItem and GetItem through the plain AWS SDK.
// Each sample is a fresh process running the built package (the first start pays module
// loading, as a test run does);
// the two targets alternate, and the figures are medians across processes.
//
//   npx tsx bench/local-server.ts [processes=5] [calls=300]
//
// The layer must not make everyday tests slower than plain dynalite by more than it must
// (issue "Local server II": ≤ 10% more once streams and layer-served indexes land), so this is
// measured before and after each change to lib/testing/local-dynamo.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BUILD_DIR, ensureBuild } from './build';
import { median } from './measure';

interface Sample {
  startMs: number;
  putUs: number;
  getUs: number;
}

type Target = 'layer' | 'plain';

// One process: start the target, create a table, time `calls` puts then gets (after a
// warm-up), stop. Printed as JSON.
const CHILD = `
const { performance } = require('node:perf_hooks');
const { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const [target, callsText, testingEntry] = process.argv.slice(1);
const calls = Number(callsText);
async function start() {
  if (target === 'layer') {
    const { startLocalDynamo } = require(testingEntry);
    const local = await startLocalDynamo();
    return { endpoint: local.endpoint, stop: () => local.stop() };
  }
  const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: 'http://127.0.0.1:' + server.address().port, stop: () => new Promise((resolve) => server.close(resolve)) };
}
(async () => {
  const t0 = performance.now();
  const server = await start();
  const startMs = performance.now() - t0;
  const client = new DynamoDBClient({ region: 'local', endpoint: server.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(new CreateTableCommand({
    TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  const put = (i) => client.send(new PutItemCommand({ TableName: 'bench', Item: { id: { S: 'k' + i }, n: { N: String(i) }, s: { S: 'x'.repeat(100) } } }));
  const get = (i) => client.send(new GetItemCommand({ TableName: 'bench', Key: { id: { S: 'k' + i } } }));
  for (let i = 0; i < 50; i++) { await put(i); await get(i); }
  let t = performance.now();
  for (let i = 0; i < calls; i++) await put(i);
  const putUs = ((performance.now() - t) * 1000) / calls;
  t = performance.now();
  for (let i = 0; i < calls; i++) await get(i);
  const getUs = ((performance.now() - t) * 1000) / calls;
  client.destroy();
  await server.stop();
  process.stdout.write(JSON.stringify({ startMs, putUs, getUs }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const root = path.resolve(__dirname, '..');

function sample(target: Target, calls: number): Sample {
  const out = execFileSync(process.execPath, ['-e', CHILD, target, String(calls), path.join(BUILD_DIR, 'testing', 'index.js')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(out) as Sample;
}

/** Medians of `processes` fresh processes per target, the targets alternating. */
export function measureLocalServer(processes: number, calls: number): Record<Target, Sample & { runs: Sample[] }> {
  ensureBuild(); // the built package, as users' test suites load it
  const runs: Record<Target, Sample[]> = { layer: [], plain: [] };
  for (let i = 0; i < processes; i++) {
    for (const target of ['plain', 'layer'] as const) runs[target].push(sample(target, calls));
  }
  const summary = (samples: Sample[]) => ({
    startMs: median(samples.map((s) => s.startMs)),
    putUs: median(samples.map((s) => s.putUs)),
    getUs: median(samples.map((s) => s.getUs)),
    runs: samples,
  });
  return { layer: summary(runs.layer), plain: summary(runs.plain) };
}

if (require.main === module) {
  const [processes = 5, calls = 300] = process.argv.slice(2).map(Number);
  const result = measureLocalServer(processes, calls);
  const row = (name: string, s: Sample) => `| ${name} | ${s.startMs.toFixed(1)} | ${s.putUs.toFixed(0)} | ${s.getUs.toFixed(0)} |`;
  const ratio = (key: keyof Sample) => (result.layer[key] / result.plain[key]).toFixed(2);
  console.log(`local server, medians of ${processes} fresh processes each (${calls} calls per process after 50 warm-up pairs):\n`);
  console.log('| target | start ms | PutItem µs | GetItem µs |\n|---|---:|---:|---:|');
  console.log(row('plain dynalite', result.plain));
  console.log(row('startLocalDynamo (the layer)', result.layer));
  console.log(`\nlayer / plain: start ${ratio('startMs')}, PutItem ${ratio('putUs')}, GetItem ${ratio('getUs')}`);
}
