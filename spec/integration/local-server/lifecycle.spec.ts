import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '../../../lib/testing';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('startLocalDynamo lifecycle', () => {
  it('serves the DynamoDB API on the requested port and stops', async () => {
    const port = await freePort();
    const local = await startLocalDynamo({ port });
    expect(local.endpoint).to.equal(`http://127.0.0.1:${port}`);
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials, maxAttempts: 1 });
    try {
      const out = await client.send(new ListTablesCommand({}));
      expect(out.TableNames).to.deep.equal([]);
    } finally {
      client.destroy();
      await local.stop();
    }
    await local.stop(); // a second stop() is harmless
    const fresh = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials, maxAttempts: 1 });
    const refused = await fresh.send(new ListTablesCommand({})).then(
      () => undefined,
      (err: unknown) => err as Error & { code?: string },
    );
    fresh.destroy();
    expect(refused?.code ?? refused?.name).to.equal('ECONNREFUSED');
  });

  it('rejects when the port is taken', async () => {
    const first = await startLocalDynamo();
    try {
      const port = Number(new URL(first.endpoint).port);
      const err = await startLocalDynamo({ port }).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(err?.code).to.equal('EADDRINUSE');
    } finally {
      await first.stop();
    }
  });

  it('lets the process exit after stop(), even with TTL enabled and a client that kept its connection', async () => {
    const script = `
      const { startLocalDynamo } = require('./lib/testing');
      const sdk = require('@aws-sdk/client-dynamodb');
      (async () => {
        const local = await startLocalDynamo({ ttlSweepMs: 10 });
        const client = new sdk.DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
        await client.send(new sdk.CreateTableCommand({ TableName: 'ttl_exit', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
        await client.send(new sdk.UpdateTimeToLiveCommand({ TableName: 'ttl_exit', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
        await local.stop();
        console.log('stopped');
      })();
    `;
    const root = path.resolve(__dirname, '../../..');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, timeout: 15000 }, (err: Error | null, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
    expect(output.trim()).to.equal('stopped');
  });
});
