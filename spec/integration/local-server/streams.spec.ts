import { expect } from 'chai';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { createTable, eventually, N, rejection, S, useLocalServer, useStreamsClient } from './support';

describe('local server: DynamoDB Streams', () => {
  const h = useLocalServer({ ttlSweepMs: 50 });
  const streamsClient = useStreamsClient(h);

  const withStream = (StreamViewType: StreamViewType, extra: Partial<CreateTableCommandInput> = {}) =>
    createTable(h.client, { StreamSpecification: { StreamEnabled: true, StreamViewType }, ...extra });
  const streamArn = async (TableName: string) => (await h.client.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
  const shardOf = async (StreamArn: string) =>
    (await streamsClient.client.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards![0].ShardId!;
  const iterator = async (StreamArn: string, ShardIteratorType: ShardIteratorType, SequenceNumber?: string) =>
    (await streamsClient.client.send(new GetShardIteratorCommand({ StreamArn, ShardId: await shardOf(StreamArn), ShardIteratorType, SequenceNumber })))
      .ShardIterator!;
  /** Every record from `ShardIteratorType` on, following NextShardIterator until a page is empty. */
  const readAll = async (StreamArn: string, type: ShardIteratorType = 'TRIM_HORIZON', Limit?: number): Promise<_Record[]> => {
    const records: _Record[] = [];
    let next: string | undefined = await iterator(StreamArn, type);
    while (next) {
      const page: GetRecordsCommandOutput = await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: next, Limit }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      next = page.NextShardIterator;
    }
    return records;
  };
  const put = (TableName: string, pk: string, data: string) => h.client.send(new PutItemCommand({ TableName, Item: { pk: S(pk), data: S(data) } }));
  const setData = (TableName: string, pk: string, data: string) =>
    h.client.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: S(pk) },
        UpdateExpression: 'SET #d = :v',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':v': S(data) },
      }),
    );

  it('shows the stream in DescribeTable, ListStreams and DescribeStream', async () => {
    const table = await withStream('NEW_AND_OLD_IMAGES');
    const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.StreamSpecification).to.deep.equal({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(described.LatestStreamArn).to.match(
      new RegExp(`^arn:aws:dynamodb:[\\w-]+:\\d{12}:table/${table}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`),
    );
    expect(described.LatestStreamArn!.endsWith(`/stream/${described.LatestStreamLabel}`)).to.equal(true);

    const listed = await streamsClient.client.send(new ListStreamsCommand({ TableName: table }));
    expect(listed.Streams).to.deep.equal([{ StreamArn: described.LatestStreamArn, TableName: table, StreamLabel: described.LatestStreamLabel }]);
    expect((await streamsClient.client.send(new ListStreamsCommand({}))).Streams!.map((s) => s.StreamArn)).to.include(described.LatestStreamArn);

    const stream = (await streamsClient.client.send(new DescribeStreamCommand({ StreamArn: described.LatestStreamArn }))).StreamDescription!;
    expect(stream.StreamStatus).to.equal('ENABLED');
    expect(stream.StreamViewType).to.equal('NEW_AND_OLD_IMAGES');
    expect(stream.TableName).to.equal(table);
    expect(stream.KeySchema).to.deep.equal([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(stream.Shards).to.have.length(1);
    expect(stream.Shards![0].SequenceNumberRange!.StartingSequenceNumber).to.match(/^\d{21}$/);
    expect(stream.Shards![0].SequenceNumberRange!.EndingSequenceNumber).to.equal(undefined);
  });

  it('records INSERT, MODIFY and REMOVE with both images, in order, with increasing sequence numbers', async () => {
    const table = await withStream('NEW_AND_OLD_IMAGES');
    await put(table, 'a', 'one');
    await setData(table, 'a', 'two');
    await h.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: S('a') } }));

    const records = await readAll(await streamArn(table));
    expect(records.map((r) => r.eventName)).to.deep.equal(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert.dynamodb!.Keys).to.deep.equal({ pk: S('a') });
    expect(insert.dynamodb!.NewImage).to.deep.equal({ pk: S('a'), data: S('one') });
    expect(insert.dynamodb!.OldImage).to.equal(undefined);
    expect(modify.dynamodb!.OldImage).to.deep.equal({ pk: S('a'), data: S('one') });
    expect(modify.dynamodb!.NewImage).to.deep.equal({ pk: S('a'), data: S('two') });
    expect(remove.dynamodb!.OldImage).to.deep.equal({ pk: S('a'), data: S('two') });
    expect(remove.dynamodb!.NewImage).to.equal(undefined);
    for (const record of records) {
      expect(record.eventSource).to.equal('aws:dynamodb');
      expect(record.eventVersion).to.equal('1.1');
      expect(record.eventID).to.match(/^[0-9a-f]{32}$/);
      expect(record.dynamodb!.StreamViewType).to.equal('NEW_AND_OLD_IMAGES');
      expect(record.dynamodb!.SizeBytes).to.be.greaterThan(0);
      expect(record.dynamodb!.ApproximateCreationDateTime).to.be.instanceOf(Date);
      expect(record.userIdentity).to.equal(undefined);
    }
    const sequences = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequences[0] < sequences[1] && sequences[1] < sequences[2]).to.equal(true);
  });

  it('records nothing for a write that changes nothing, or that fails', async () => {
    const table = await withStream('NEW_AND_OLD_IMAGES');
    await put(table, 'a', 'one');
    await put(table, 'a', 'one'); // the same item again
    await setData(table, 'a', 'one'); // sets what was there
    await h.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: S('missing') } }));
    await rejection(
      h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), data: S('x') }, ConditionExpression: 'attribute_not_exists(pk)' })),
      'ConditionalCheckFailedException',
    );
    await rejection(h.client.send(new PutItemCommand({ TableName: table, Item: { data: S('no key') } })), 'ValidationException');
    const records = await readAll(await streamArn(table));
    expect(records.map((r) => r.eventName)).to.deep.equal(['INSERT']);
  });

  it('gives each view type its images: KEYS_ONLY none, NEW_IMAGE the new, OLD_IMAGE the old', async () => {
    const images = async (type: StreamViewType) => {
      const table = await withStream(type);
      await put(table, 'k', 'one');
      await setData(table, 'k', 'two');
      const records = await readAll(await streamArn(table));
      return records.map((r) => ({
        keys: r.dynamodb!.Keys,
        old: r.dynamodb!.OldImage?.data?.S,
        new: r.dynamodb!.NewImage?.data?.S,
        type: r.dynamodb!.StreamViewType,
      }));
    };
    const keys = { pk: S('k') };
    expect(await images('KEYS_ONLY')).to.deep.equal([
      { keys, old: undefined, new: undefined, type: 'KEYS_ONLY' },
      { keys, old: undefined, new: undefined, type: 'KEYS_ONLY' },
    ]);
    expect(await images('NEW_IMAGE')).to.deep.equal([
      { keys, old: undefined, new: 'one', type: 'NEW_IMAGE' },
      { keys, old: undefined, new: 'two', type: 'NEW_IMAGE' },
    ]);
    expect(await images('OLD_IMAGE')).to.deep.equal([
      { keys, old: undefined, new: undefined, type: 'OLD_IMAGE' },
      { keys, old: 'one', new: undefined, type: 'OLD_IMAGE' },
    ]);
  });

  it('records each item of a BatchWriteItem and each write of a transaction, and nothing of a cancelled one', async () => {
    const table = await withStream('NEW_AND_OLD_IMAGES');
    const plain = await createTable(h.client);
    await put(table, 'gone', 'x');
    await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: [{ PutRequest: { Item: { pk: S('b1'), data: S('1') } } }, { DeleteRequest: { Key: { pk: S('gone') } } }],
          [plain]: [{ PutRequest: { Item: { pk: S('elsewhere') } } }],
        },
      }),
    );
    await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: S('t1'), data: S('1') } } },
          {
            Update: {
              TableName: table,
              Key: { pk: S('b1') },
              UpdateExpression: 'SET #d = :v',
              ExpressionAttributeNames: { '#d': 'data' },
              ExpressionAttributeValues: { ':v': S('2') },
            },
          },
          { ConditionCheck: { TableName: table, Key: { pk: S('t1x') }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: plain, Item: { pk: S('p') } } },
        ],
      }),
    );
    await rejection(
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: S('never') } } },
            { ConditionCheck: { TableName: table, Key: { pk: S('t1') }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
      'TransactionCanceledException',
    );
    const records = await readAll(await streamArn(table));
    expect(records.map((r) => `${r.eventName} ${r.dynamodb!.Keys!.pk.S}`)).to.deep.equal(['INSERT gone', 'INSERT b1', 'REMOVE gone', 'INSERT t1', 'MODIFY b1']);
  });

  it('records a TTL removal with the identity DynamoDB gives its own deletions', async () => {
    const table = await withStream('NEW_AND_OLD_IMAGES');
    await h.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('old'), expiresAt: N(1000) } }));
    const arn = await streamArn(table);
    expect(await eventually(async () => (await readAll(arn)).length === 2)).to.equal(true);
    const removal = (await readAll(arn))[1];
    expect(removal.eventName).to.equal('REMOVE');
    expect(removal.userIdentity).to.deep.equal({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    expect(removal.dynamodb!.OldImage).to.deep.equal({ pk: S('old'), expiresAt: N(1000) });
  });

  it('starts iterators where each type says, and pages with Limit', async () => {
    const table = await withStream('KEYS_ONLY');
    for (const pk of ['a', 'b', 'c']) await put(table, pk, pk);
    const arn = await streamArn(table);
    const all = await readAll(arn);
    const [first, second] = all.map((r) => r.dynamodb!.SequenceNumber!);

    const latest = await iterator(arn, 'LATEST');
    expect((await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: latest }))).Records).to.deep.equal([]);
    await put(table, 'd', 'd');
    expect((await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: latest }))).Records!.map((r) => r.dynamodb!.Keys!.pk.S)).to.deep.equal([
      'd',
    ]);

    const at = await iterator(arn, 'AT_SEQUENCE_NUMBER', second);
    expect((await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: at }))).Records!.map((r) => r.dynamodb!.Keys!.pk.S)).to.deep.equal([
      'b',
      'c',
      'd',
    ]);
    const after = await iterator(arn, 'AFTER_SEQUENCE_NUMBER', first);
    expect((await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: after }))).Records!.map((r) => r.dynamodb!.Keys!.pk.S)).to.deep.equal([
      'b',
      'c',
      'd',
    ]);

    expect((await readAll(arn, 'TRIM_HORIZON', 1)).map((r) => r.dynamodb!.Keys!.pk.S)).to.deep.equal(['a', 'b', 'c', 'd']);
    const page = await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, 'TRIM_HORIZON'), Limit: 2 }));
    expect(page.Records).to.have.length(2);
    expect(page.NextShardIterator).to.be.a('string');
  });

  it('refuses unknown streams and shards, bad iterators and missing sequence numbers', async () => {
    const table = await withStream('KEYS_ONLY');
    const arn = await streamArn(table);
    const missing = `${arn.slice(0, arn.lastIndexOf('/'))}/2000-01-01T00:00:00.000`;
    await rejection(streamsClient.client.send(new DescribeStreamCommand({ StreamArn: missing })), 'ResourceNotFoundException');
    await rejection(
      streamsClient.client.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
    );
    const noSequence = await rejection(
      streamsClient.client.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: await shardOf(arn), ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
      'ValidationException',
    );
    expect(noSequence.message).to.contain('sequence number');
    await rejection(streamsClient.client.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), 'ValidationException');
    const badType = await rejection(
      streamsClient.client.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: await shardOf(arn), ShardIteratorType: 'OLDEST' as ShardIteratorType })),
      'ValidationException',
    );
    expect(badType.message).to.contain("Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint");
  });

  it('enables and disables a stream with UpdateTable, as DynamoDB allows and refuses it', async () => {
    const table = await createTable(h.client);
    expect((await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn).to.equal(undefined);
    const noStream = await rejection(
      h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } })),
      'ValidationException',
    );
    expect(noStream.message).to.equal(`Table has no stream to disable: TableName: ${table}`);

    const enabled = await h.client.send(
      new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    expect(enabled.TableDescription!.StreamSpecification).to.deep.equal({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const first = enabled.TableDescription!.LatestStreamArn!;
    const twice = await rejection(
      h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
      'ValidationException',
    );
    expect(twice.message).to.equal(`Table already has an enabled stream: TableName: ${table}`);
    const noType = await rejection(
      h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true } })),
      'ValidationException',
    );
    expect(noType.message).to.equal('One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required');

    await put(table, 'a', 'one');
    await h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
    await put(table, 'b', 'not recorded');
    const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.StreamSpecification).to.equal(undefined);
    expect(described.LatestStreamArn).to.equal(first);
    const stream = (await streamsClient.client.send(new DescribeStreamCommand({ StreamArn: first }))).StreamDescription!;
    expect(stream.StreamStatus).to.equal('DISABLED');
    expect(stream.Shards![0].SequenceNumberRange!.EndingSequenceNumber).to.match(/^\d{21}$/);
    // A closed shard read to its end gives no next iterator.
    const page = await streamsClient.client.send(new GetRecordsCommand({ ShardIterator: await iterator(first, 'TRIM_HORIZON') }));
    expect(page.Records!.map((r) => r.dynamodb!.Keys!.pk.S)).to.deep.equal(['a']);
    expect(page.NextShardIterator).to.equal(undefined);

    const again = await h.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect(again.TableDescription!.LatestStreamArn).to.not.equal(first);
    expect((await streamsClient.client.send(new ListStreamsCommand({ TableName: table }))).Streams).to.have.length(2);
  });

  it('refuses a CreateTable whose StreamSpecification DynamoDB refuses, and creates no table', async () => {
    const noType = await rejection(createTable(h.client, { StreamSpecification: { StreamEnabled: true } }), 'ValidationException');
    expect(noType.message).to.equal('One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required');
    const disabledWithType = await rejection(
      createTable(h.client, { StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } }),
      'ValidationException',
    );
    expect(disabledWithType.message).to.equal(
      'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
    );
    const badType = await rejection(
      createTable(h.client, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'ALL' as StreamViewType } }),
      'ValidationException',
    );
    expect(badType.message).to.contain("Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint");
    // A disabled specification alone is a table without a stream.
    const table = await createTable(h.client, { StreamSpecification: { StreamEnabled: false } });
    expect((await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn).to.equal(undefined);
  });

  it('disables the stream of a deleted table, and a table created again under its name has none', async () => {
    const table = await withStream('KEYS_ONLY');
    const arn = await streamArn(table);
    await put(table, 'a', 'a');
    const deleted = await h.client.send(new DeleteTableCommand({ TableName: table }));
    expect(deleted.TableDescription!.LatestStreamArn).to.equal(arn);
    expect((await streamsClient.client.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.StreamStatus).to.equal('DISABLED');
    expect((await readAll(arn)).length).to.equal(1);

    await eventually(async () => {
      try {
        await h.client.send(new DescribeTableCommand({ TableName: table }));
        return false;
      } catch {
        return true;
      }
    });
    await h.client.send(
      new (await import('@aws-sdk/client-dynamodb')).CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn).to.equal(undefined);
  });
});
