import { expect } from 'chai';
import { DescribeTableCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { createTable, rejection, S, N, useLocalServer, useStreamsClient } from './support';

// The two consumers of the layer's one capture of each write, on one table: the stream records
// what the write changed, the layer's index serves it, and neither shows the other's state.
describe('local server: a stream on a table with a multi-attribute-key GSI', () => {
  const h = useLocalServer();
  const streamsClient = useStreamsClient(h);

  const withIndex = (extra = {}) =>
    createTable(h.client, {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'team', AttributeType: 'S' },
        { AttributeName: 'season', AttributeType: 'N' },
        { AttributeName: 'round', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byTeamSeason',
          KeySchema: [
            { AttributeName: 'team', KeyType: 'HASH' },
            { AttributeName: 'season', KeyType: 'HASH' },
            { AttributeName: 'round', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      ...extra,
    });
  const records = async (TableName: string) => {
    const StreamArn = (await h.client.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
    const ShardId = (await streamsClient.client.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards![0].ShardId!;
    const { ShardIterator } = await streamsClient.client.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    return (await streamsClient.client.send(new GetRecordsCommand({ ShardIterator }))).Records ?? [];
  };

  it('records writes with exactly the stored images, while the index serves them', async () => {
    const table = await withIndex({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const item = { pk: S('m1'), team: S('red'), season: N(2026), round: S('final'), note: S('x') };
    await h.client.send(new PutItemCommand({ TableName: table, Item: item }));
    await h.client.send(
      new UpdateItemCommand({ TableName: table, Key: { pk: S('m1') }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': S('y') } }),
    );

    const found = await h.client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byTeamSeason',
        KeyConditionExpression: 'team = :t AND season = :s',
        ExpressionAttributeValues: { ':t': S('red'), ':s': N(2026) },
      }),
    );
    expect(found.Items).to.deep.equal([{ pk: S('m1'), team: S('red'), season: N(2026), round: S('final') }]);
    const [insert, modify] = await records(table);
    expect(insert.dynamodb!.NewImage).to.deep.equal(item);
    expect(modify.dynamodb!.OldImage).to.deep.equal(item);
    expect(modify.dynamodb!.NewImage).to.deep.equal({ ...item, note: S('y') });
  });

  it('records nothing for a write the index refuses (a key attribute of the wrong type), which is undone', async () => {
    const table = await withIndex({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('m1'), team: S('red'), season: N(2026), round: S('r1') } }));
    await rejection(
      h.client.send(
        new UpdateItemCommand({ TableName: table, Key: { pk: S('m1') }, UpdateExpression: 'SET season = :s', ExpressionAttributeValues: { ':s': S('2026') } }),
      ),
      'ValidationException',
    );
    expect((await records(table)).map((r) => r.eventName)).to.deep.equal(['INSERT']);
  });

  it('shows the index in the answer of an UpdateTable that only enables the stream', async () => {
    const table = await withIndex();
    const out = await h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect(out.TableDescription!.GlobalSecondaryIndexes!.map((gsi) => gsi.IndexName)).to.deep.equal(['byTeamSeason']);
    expect(out.TableDescription!.LatestStreamArn).to.be.a('string');
    const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.GlobalSecondaryIndexes!.map((gsi) => gsi.KeySchema!.length)).to.deep.equal([3]);
    expect(described.StreamSpecification).to.deep.equal({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
  });
});
