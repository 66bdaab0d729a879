import { expect } from 'chai';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import { createTable, N, rejection, S, useLocalServer } from './support';

describe('local server: operations dynalite implements', () => {
  const h = useLocalServer();
  let table: string;

  before(async () => {
    table = await createTable(h.client, {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
    });
  });

  it('lists and describes tables', async () => {
    const listed = await h.client.send(new ListTablesCommand({}));
    expect(listed.TableNames).to.include(table);
    const described = await h.client.send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.TableStatus).to.equal('ACTIVE');
    expect(described.Table?.KeySchema).to.deep.equal([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('puts, gets, updates and deletes an item, binaries included', async () => {
    const blob = new Uint8Array([0, 1, 2, 250]);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), sk: N(1), data: { B: blob }, n: N(5) } }));
    const got = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a'), sk: N(1) } }));
    expect(got.Item?.n).to.deep.equal(N(5));
    expect(Array.from(got.Item?.data?.B ?? [])).to.deep.equal(Array.from(blob));

    const updated = await h.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: S('a'), sk: N(1) },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': N(1) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).to.deep.equal({ n: N(6) });

    await h.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: S('a'), sk: N(1) } }));
    const gone = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a'), sk: N(1) } }));
    expect(gone.Item).to.equal(undefined);
  });

  it('queries and scans', async () => {
    for (const sk of [1, 2, 3]) {
      await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('q'), sk: N(sk) } }));
    }
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('other'), sk: N(1) } }));

    const queried = await h.client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': S('q'), ':from': N(2) },
        ScanIndexForward: false,
      }),
    );
    expect(queried.Items?.map((item) => item.sk.N)).to.deep.equal(['3', '2']);

    const scanned = await h.client.send(new ScanCommand({ TableName: table }));
    expect(scanned.Count).to.equal(4);
  });

  it('fails a conditional put with ConditionalCheckFailedException', async () => {
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('c'), sk: N(1), v: S('old') } }));
    const err = await rejection<ConditionalCheckFailedException>(
      h.client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: S('c'), sk: N(1), v: S('new') },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      'ConditionalCheckFailedException',
    );
    expect(err.message).to.equal('The conditional request failed');
  });

  it('passes dynalite errors through: unknown table, bad key, UpdateTable without index changes', async () => {
    await rejection(h.client.send(new GetItemCommand({ TableName: 'missing', Key: { pk: S('x') } })), 'ResourceNotFoundException');
    const bad = await rejection(h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('x') } })), 'ValidationException');
    expect(bad.message).to.equal('The provided key element does not match the schema');

    const out = await h.client.send(
      new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }),
    );
    expect(out.TableDescription?.TableName).to.equal(table);
  });
});
