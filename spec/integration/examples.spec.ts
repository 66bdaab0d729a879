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
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
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

/** Lines (or parts of lines) each example must print. */
const expectedLines = [
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
  'all 2 examples passed',
];

function expectSuccess(result: RunResult): void {
  const transcript = `exit code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  expect(result.code, transcript).to.equal(0);
  for (const line of expectedLines) expect(result.stdout, transcript).to.include(line);
  // The invalid e-mail's message is printed and names the constraint.
  expect(result.stdout).to.match(/invalid email: ValidationError: .*email must be an email/);
}

describe('examples (npm run examples)', function () {
  this.timeout(60_000);

  it('run with the embedded local DynamoDB when DYNAMODB_ENDPOINT is unset', async () => {
    const result = await runExamples(baseEnv());
    expectSuccess(result);
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
      expectSuccess(result);
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
