import { expect } from 'chai';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTable, N, rejection, S, useLocalServer } from './support';

describe('local server: UpdateTable creating and deleting global secondary indexes', () => {
  const h = useLocalServer();

  const describe_ = async (TableName: string) => (await h.client.send(new DescribeTableCommand({ TableName }))).Table;
  const addEmailIndex = (TableName: string) =>
    h.client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } },
        ],
      }),
    );

  it('creates an index on a table that holds items, which can be queried at once', async () => {
    const table = await createTable(h.client);
    for (let i = 0; i < 30; i += 1) {
      await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S(`u${i}`), email: S(i % 3 === 0 ? 'shared@x' : `u${i}@x`), n: N(i) } }));
    }
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('no-email') } }));

    const out = await addEmailIndex(table);
    expect(out.TableDescription?.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexName)).to.deep.equal(['by-email']);

    const table_ = await describe_(table);
    expect(table_?.GlobalSecondaryIndexes?.[0]).to.include({ IndexName: 'by-email', IndexStatus: 'ACTIVE' });
    expect(table_?.AttributeDefinitions).to.deep.include({ AttributeName: 'email', AttributeType: 'S' });

    const shared = await h.client.send(
      new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': S('shared@x') } }),
    );
    expect(shared.Items?.map((item) => item.pk.S).sort()).to.deep.equal(['u0', 'u12', 'u15', 'u18', 'u21', 'u24', 'u27', 'u3', 'u6', 'u9']);
    expect((await h.client.send(new ScanCommand({ TableName: table }))).Count).to.equal(31);

    // New writes are indexed too.
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('late'), email: S('late@x') } }));
    const late = await h.client.send(
      new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': S('late@x') } }),
    );
    expect(late.Items).to.have.length(1);
  });

  it('keeps the rest of the definition: key schema, LSIs, other GSIs, throughput, TTL, tags', async () => {
    const table = await createTable(h.client, {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'created', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-created',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'created', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-status',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
        },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
    });
    const before = await describe_(table);
    await h.client.send(new TagResourceCommand({ ResourceArn: before?.TableArn, Tags: [{ Key: 'team', Value: 'orm' }] }));
    await h.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    await h.client.send(
      new PutItemCommand({ TableName: table, Item: { pk: S('p'), sk: S('1'), created: N(7), status: S('open'), email: S('e@x'), note: S('hi') } }),
    );

    await h.client.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-email',
              KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          },
        ],
      }),
    );

    const after = await describe_(table);
    expect(after?.KeySchema).to.deep.equal(before?.KeySchema);
    expect(after?.TableArn).to.equal(before?.TableArn);
    expect(after?.ProvisionedThroughput).to.include({ ReadCapacityUnits: 5, WriteCapacityUnits: 6 });
    expect(after?.LocalSecondaryIndexes?.map((lsi) => [lsi.IndexName, lsi.Projection?.ProjectionType])).to.deep.equal([['by-created', 'KEYS_ONLY']]);
    const status = after?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === 'by-status');
    expect(status?.Projection).to.deep.equal({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] });
    expect(status?.ProvisionedThroughput).to.include({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    expect(after?.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexStatus)).to.deep.equal(['ACTIVE', 'ACTIVE']);

    const ttl = await h.client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).to.deep.equal({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const tags = await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: after?.TableArn }));
    expect(tags.Tags).to.deep.equal([{ Key: 'team', Value: 'orm' }]);

    const viaLsi = await h.client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-created',
        KeyConditionExpression: 'pk = :p AND created > :c',
        ExpressionAttributeValues: { ':p': S('p'), ':c': N(1) },
      }),
    );
    expect(viaLsi.Count).to.equal(1);
    const viaOldGsi = await h.client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-status',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': S('open') },
      }),
    );
    expect(viaOldGsi.Items?.[0]?.note).to.deep.equal(S('hi'));
  });

  it('deletes an index, keeping the items and dropping its attribute definition', async () => {
    const table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), email: S('a@x') } }));
    await addEmailIndex(table);

    const out = await h.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }] }));
    expect(out.TableDescription?.GlobalSecondaryIndexes ?? []).to.deep.equal([]);
    const after = await describe_(table);
    expect(after?.GlobalSecondaryIndexes ?? []).to.deep.equal([]);
    expect(after?.AttributeDefinitions).to.deep.equal([{ AttributeName: 'pk', AttributeType: 'S' }]);
    const item = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a') } }));
    expect(item.Item).to.deep.equal({ pk: S('a'), email: S('a@x') });
    await rejection(
      h.client.send(
        new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': S('a@x') } }),
      ),
      'ValidationException',
    );
  });

  it('puts the table back as it was when an item cannot go into the new index', async () => {
    // DynamoDB would keep such an item out of the index; dynalite cannot store it at all.
    const table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('ok'), email: S('a@x') } }));
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('odd'), email: N(5) } }));
    const err = await rejection(addEmailIndex(table), 'ValidationException');
    expect(err.message).to.match(/Type mismatch for Index Key email/);

    const after = await describe_(table);
    expect(after?.GlobalSecondaryIndexes ?? []).to.deep.equal([]);
    expect(after?.AttributeDefinitions).to.deep.equal([{ AttributeName: 'pk', AttributeType: 'S' }]);
    const items = (await h.client.send(new ScanCommand({ TableName: table }))).Items ?? [];
    expect(items.map((item) => item.pk.S).sort()).to.deep.equal(['odd', 'ok']);
  });

  it('refuses what DynamoDB refuses, leaving the table as it was', async () => {
    const table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), email: S('a@x') } }));
    await addEmailIndex(table);

    const twice = await rejection(addEmailIndex(table), 'ValidationException');
    expect(twice.message).to.equal('Attempting to create an index which already exists');
    await rejection(
      h.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] })),
      'ResourceNotFoundException',
    );
    const two = await rejection(
      h.client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            { Delete: { IndexName: 'by-email' } },
            { Create: { IndexName: 'by-x', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } },
          ],
        }),
      ),
      'LimitExceededException',
    );
    expect(two.message).to.equal('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
    const undefinedKey = await rejection(
      h.client.send(
        new UpdateTableCommand({
          TableName: table,
          GlobalSecondaryIndexUpdates: [
            { Create: { IndexName: 'by-y', KeySchema: [{ AttributeName: 'y', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } },
          ],
        }),
      ),
      'ValidationException',
    );
    expect(undefinedKey.message).to.match(/Some index key attributes are not defined in AttributeDefinitions/);
    await rejection(
      h.client.send(new UpdateTableCommand({ TableName: 'no_such_table', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'xyz' } }] })),
      'ResourceNotFoundException',
    );

    const after = await describe_(table);
    expect(after?.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexName)).to.deep.equal(['by-email']);
    expect((await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a') } }))).Item).to.deep.equal({ pk: S('a'), email: S('a@x') });
  });
});
