// Runs the examples exactly as `npm run examples` does, in a child process, so that they
// cannot go stale: once with the embedded server, once against an endpoint given in
// DYNAMODB_ENDPOINT (a server started here).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { Connection } from '../../lib';
import { startLocalDynamo, type LocalDynamo } from '../../lib/testing';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: with DYNAMODB_ENDPOINT the child talks to a server running in
// this process, which a blocking spawnSync would starve.
function runExamples(env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['examples/run-all.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DYNAMODB_ENDPOINT;
  delete env.DYNAMORM_TABLE_PREFIX;
  return env;
}

/**
 * What the stream handler prints of the records the embedded server's stream gave it
 * (`local.streamEvent`); against an external endpoint it says it needs the embedded server.
 */
const STREAM_HANDLER_LINES = [
  'INSERT Customer c-ann: Ann, plans basic, 4-byte avatar, version 1, loaded by stream; changed []',
  'MODIFY Customer c-ann: Ann, plans basic+pro, 4-byte avatar, version 2, loaded by stream; changed ["plans","version"]',
  'reported to Lambda: Invalid stream record ',
  '(SequenceNumber 100000000000000000003) of table stream_customers (Customer id="c-bad")',
  'Customer.name is stored as the number 42 (N), which cannot be read as a string.',
  'handled 4 customer records; batchItemFailures [{"itemIdentifier":"100000000000000000003"}]',
  'INSERT Order c-ann/1: total 49.5',
  'REMOVE Customer c-ann (expired by TTL)',
];
const STREAM_HANDLER_EXTERNAL = "stream-handler reads the embedded local server's streams";

/** Lines (or parts of lines) each example must print. */
const expectedLines = (embedded: boolean): string[] => [
  // quickstart
  '=== quickstart ===',
  'created 978-0131103627: "The C Programming Lang" (version 1, isNew false, genres [])',
  'get of a missing key: undefined',
  'find of a missing key: ItemNotFoundError',
  'changedAttributes before save: ["title"]',
  'saved: version 2, changedAttributes after save: []',
  'update({ stock, genres }): stock 2, version 3',
  'after reload: "The C Programming Language", version 3, genres ["programming","classic"]',
  'deleted; get now returns undefined',
  '=== quickstart: ok',
  // user-management
  '=== user-management ===',
  '[AfterCreate] welcome mail queued for ann@example.com',
  'registered u-ann: email ann@example.com, status invited, version 1, tags admin+beta',
  "duplicate email: UniqueConstraintError on 'email'",
  'u-impostor stored: false',
  'invalid email: ValidationError: ',
  'negative age: ValidationError (age)',
  'activated: status active, version 2, invitation expiry none, updatedAt > createdAt: true',
  'stale copy: first save -> version 3; second save -> VersionConflictError',
  'after reload the second copy saves: name Ann Admin, age 35, version 4',
  'u-bob took the old email ann@example.com',
  'the new email is guarded: UniqueConstraintError',
  'deactivated: status deactivated, tags beta, version 6',
  'deleted u-ann: get -> undefined',
  'u-dana registered with the freed email ann@newcorp.example',
  '=== user-management: ok',
  // multi-tenant
  '=== multi-tenant ===',
  'find({ orgId, projectId }): "Security audit", stored under pk ORG#acme, sk PROJECT#p07',
  'query of acme\'s projects: #n1 = :v1 with {":v1":"ORG#acme"}',
  'acme page 1: p01, p02, p03 (hasMore true, cursor of ',
  'acme page 2: p04, p05, p06 (hasMore true, cursor of ',
  'acme page 3: p07 (hasMore false, no cursor)',
  'globex: p01, p02 (hasMore false)',
  "acme's cursor on globex's listing: InvalidCursorError",
  'active urgent projects of acme: [p01, p04] then [p07] (hasMore false)',
  'acme has 7 projects, 2 archived; globex has 2',
  'scan of every tenant: 9 projects',
  '=== multi-tenant: ok',
  // time-series
  '=== time-series ===',
  'sensor-a 06:00-09:00, newest first: 09:00 16°C, 08:00 13.9°C, 07:00 12°C, 06:00 10.3°C',
  'at is a Date: true; flags at 07:00: door-open',
  'request: #n1 = :v1 AND #n2 BETWEEN :v2 AND :v3, ScanIndexForward false, filter NOT #n3 < :v4',
  'readings of sensor-a: 10 between 08:00 and 17:00, 24 in all (the expired one not counted)',
  'sensor-a 12:00-13:00: 12:00, 13:00 (the expired 12:30 reading is hidden)',
  'latest reading of sensor-a: 23:00 12°C',
  'sensor-a at 22°C or more: 5 readings, 13:00 to 17:00',
  'daily average of sensor-a over 24 readings: 16.0°C',
  'sensor-b door-open readings: 07:00, 19:00',
  '=== time-series: ok',
  // ecommerce-orders
  '=== ecommerce-orders ===',
  'imported 60 products with batchCreate (version 1 each)',
  'placed ord-1: total 2025 cents, status placed, createdAt is a Date: true',
  'stock after ord-1: sku-001 7, sku-002 0',
  'ord-1 retried with its token: stock still sku-001 7, sku-002 0',
  'ord-2 cancelled: operation 2 (Product {"sku":"sku-002"}) ConditionalCheckFailed',
  'after ord-2: order exists false, stock sku-003 10, sku-002 0',
  'page views of home after 20 concurrent increments: 20',
  '=== ecommerce-orders: ok',
  // lambda-handler
  '=== lambda-handler ===',
  'place o-1 with 3 s left: 201 coffee beans',
  'read o-1 with 3 s left: 200, quantity 2',
  'place o-2 with 200 ms left: 503 LambdaTimeoutError (not-sent)',
  'o-2 stored: false',
  '=== lambda-handler: ok',
  // stream-handler
  '=== stream-handler ===',
  ...(embedded ? STREAM_HANDLER_LINES : [STREAM_HANDLER_EXTERNAL]),
  '=== stream-handler: ok',
  // multi-account
  '=== multi-account ===',
  'partners: acme, globex; AssumeRole calls so far: 2',
  'AssumeRole arn:aws:iam::111111111111:role/shipments-sync (ExternalId acme-7f3a9c, session dynamorm-acme)',
  'AssumeRole arn:aws:iam::222222222222:role/shipments-sync (ExternalId globex-91bc20, session shipments-sync)',
  'acme o-1: shipped; globex o-1: delayed',
  'acme has 2 shipments, globex 1',
  'AssumeRole calls after all requests: 2',
  `unknown partner: MultiAccount: unknown partner "initech"; the partners are 'acme', 'globex'.`,
  '=== multi-account: ok',
  'all 8 examples passed',
];

function expectSuccess(result: RunResult, embedded: boolean): void {
  const transcript = `exit code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  expect(result.code, transcript).to.equal(0);
  for (const line of expectedLines(embedded)) expect(result.stdout, transcript).to.include(line);
  // The invalid e-mail's message is printed and names the constraint.
  expect(result.stdout).to.match(/invalid email: ValidationError: .*email must be an email/);
}

describe('examples (npm run examples)', function () {
  this.timeout(60_000);

  it('run with the embedded local DynamoDB when DYNAMODB_ENDPOINT is unset', async () => {
    const result = await runExamples(baseEnv());
    expectSuccess(result, true);
    expect(result.stdout).to.include('connected to the embedded local DynamoDB');
    expect(result.stdout).to.include('ensureTable(Book): table books is ACTIVE');
  });

  describe('with DYNAMODB_ENDPOINT set', () => {
    let server: LocalDynamo;
    before(async () => {
      server = await startLocalDynamo();
    });
    after(async () => {
      await server?.stop();
    });

    it('run against that endpoint, with prefixed tables they delete afterwards', async () => {
      const env: NodeJS.ProcessEnv = { ...baseEnv(), DYNAMODB_ENDPOINT: server.endpoint, DYNAMORM_TABLE_PREFIX: 'spec_examples_' };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const result = await runExamples(env);
      expectSuccess(result, false);
      expect(result.stdout).to.include(`connected to ${server.endpoint}`);
      expect(result.stdout).to.include('ensureTable(Book): table spec_examples_books is ACTIVE');

      // The examples ran on this server (the tables carry the prefix) and cleaned up.
      const conn = new Connection({ region: 'local', endpoint: server.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      try {
        const { TableNames = [] } = await conn.listTables({});
        expect(TableNames.filter((name) => name.startsWith('spec_examples_'))).to.deep.equal([]);
      } finally {
        conn.close();
      }
    });
  });
});
