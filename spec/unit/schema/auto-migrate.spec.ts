import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import sinon from 'sinon';
import { autoMigrate, BaseModel, DynamormError, Index, Model, PartitionKey } from '../../../lib';
import { stubConnection } from '../../../lib/testing';

@Model({ table: 'mig_unit_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Index('byEmail', 'pk') email!: string;
  @Index('byTeam', 'pk') team!: string;
}

// What the local server cannot show: on DynamoDB a new index is CREATING (backfilling) for a
// while, and a second index may only be requested once the first is ACTIVE.
describe('autoMigrate (stubbed connection)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('requests one index at a time, each once the previous one is ACTIVE', async () => {
    const conn = stubConnection(sandbox);
    const table: TableDescription = {
      TableName: 'mig_unit_users',
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      GlobalSecondaryIndexes: [],
    };
    const events: string[] = [];
    conn.describeTable.callsFake(async () => {
      const creating = table.GlobalSecondaryIndexes!.find((i) => i.IndexStatus === 'CREATING');
      events.push(creating ? `describe: ${creating.IndexName} CREATING` : 'describe');
      const described = structuredClone(table);
      // Backfilled after being seen CREATING twice.
      if (creating && events.filter((e) => e === events.at(-1)).length >= 2) creating.IndexStatus = 'ACTIVE';
      return { Table: described };
    });
    conn.updateTable.callsFake(async (input) => {
      const create = input.GlobalSecondaryIndexUpdates![0].Create!;
      events.push(`update: ${create.IndexName}`);
      expect(input).to.deep.equal({
        TableName: 'mig_unit_users',
        AttributeDefinitions: [{ AttributeName: create.KeySchema![0].AttributeName, AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: create.IndexName, KeySchema: create.KeySchema, Projection: { ProjectionType: 'ALL' } } }],
      });
      table.GlobalSecondaryIndexes!.push({ IndexName: create.IndexName, KeySchema: create.KeySchema, Projection: create.Projection, IndexStatus: 'CREATING' });
      return { TableDescription: table };
    });

    const report = await autoMigrate(User);
    expect(report.indexesAdded).to.deep.equal([
      { table: 'mig_unit_users', index: 'byEmail' },
      { table: 'mig_unit_users', index: 'byTeam' },
    ]);
    expect(events).to.deep.equal([
      'describe',
      'describe',
      'update: byEmail',
      'describe: byEmail CREATING',
      'describe: byEmail CREATING',
      'describe',
      'update: byTeam',
      'describe: byTeam CREATING',
      'describe: byTeam CREATING',
      'describe',
    ]);
    sinon.assert.notCalled(conn.createTable);
    sinon.assert.notCalled(conn.deleteTable);
  });

  it('refuses a wrong target before touching any table, the ones before it included', async () => {
    const conn = stubConnection(sandbox);
    class NotAModel {}
    const cases: Array<[unknown[], RegExp]> = [
      [[User, { billingMode: 'PROVISIONED' }], /autoMigrate: expected a model class or \{ model, \.\.\.createTableOptions \}/],
      [[User, { model: User, billingMode: 'PROVISIONED' }], /a PROVISIONED table needs throughput: .*defaultThroughput/],
      [[User, 'users'], /expected a model class/],
      [[User, NotAModel], /NotAModel/],
    ];
    for (const [targets, message] of cases) {
      const err = await (autoMigrate as (...t: unknown[]) => Promise<unknown>)(...targets).catch((e: unknown) => e);
      expect(err, String(message)).to.be.instanceOf(DynamormError);
      expect((err as Error).message).to.match(message);
    }
    for (const method of ['describeTable', 'createTable', 'updateTable', 'describeTimeToLive', 'updateTimeToLive'] as const)
      sinon.assert.notCalled(conn[method]);
  });
});
