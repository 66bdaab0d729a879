import { expect } from 'chai';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '../../lib/testing';

describe('startLocalDynamo', () => {
  it('serves the DynamoDB API on a local endpoint', async () => {
    const local = await startLocalDynamo();
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const out = await client.send(new ListTablesCommand({}));
      expect(out.TableNames).to.deep.equal([]);
    } finally {
      client.destroy();
      await local.stop();
    }
  });
});
