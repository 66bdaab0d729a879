import { expect } from 'chai';
import sinon from 'sinon';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynaliteClient } from '../../../lib/testing/local-dynamo/dynalite-client';
import { createTable, rawCall, rejection, S, useLocalServer } from './support';

const withLsi: Partial<CreateTableCommandInput> = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'lsk', AttributeType: 'S' },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byLsk',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'lsk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

const metricsOf = (pk: string) => ({ ItemCollectionKey: { pk: S(pk) }, SizeEstimateRangeGB: [0, 1] });

describe('local server: ReturnItemCollectionMetrics SIZE', () => {
  const h = useLocalServer();
  let indexed: string;
  let plain: string;

  before(async () => {
    indexed = await createTable(h.client, withLsi);
    plain = await createTable(h.client);
  });

  it('PutItem on a table with a local secondary index returns the item collection and its size estimate', async () => {
    const out = await h.client.send(
      new PutItemCommand({ TableName: indexed, Item: { pk: S('put'), sk: S('a'), lsk: S('l') }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(out.ItemCollectionMetrics).to.deep.equal(metricsOf('put'));
  });

  it('UpdateItem and DeleteItem return it too, alongside ReturnValues', async () => {
    const Key = { pk: S('upd'), sk: S('a') };
    const updated = await h.client.send(
      new UpdateItemCommand({
        TableName: indexed,
        Key,
        UpdateExpression: 'SET d = :d',
        ExpressionAttributeValues: { ':d': S('x') },
        ReturnValues: 'ALL_NEW',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(updated.ItemCollectionMetrics).to.deep.equal(metricsOf('upd'));
    expect(updated.Attributes).to.deep.equal({ ...Key, d: S('x') });
    const deleted = await h.client.send(new DeleteItemCommand({ TableName: indexed, Key, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(deleted.ItemCollectionMetrics).to.deep.equal(metricsOf('upd'));
  });

  it('BatchWriteItem returns one entry per item collection written, per table with an index', async () => {
    const out = await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [indexed]: [
            { PutRequest: { Item: { pk: S('b1'), sk: S('a') } } },
            { PutRequest: { Item: { pk: S('b1'), sk: S('b') } } },
            { DeleteRequest: { Key: { pk: S('b2'), sk: S('a') } } },
          ],
          [plain]: [{ PutRequest: { Item: { pk: S('b3') } } }],
        },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(out.ItemCollectionMetrics).to.deep.equal({ [indexed]: [metricsOf('b1'), metricsOf('b2')] });
  });

  it('returns none for a table without a local secondary index, nor with NONE', async () => {
    const noIndex = await h.client.send(new PutItemCommand({ TableName: plain, Item: { pk: S('p') }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(noIndex.ItemCollectionMetrics).to.equal(undefined);
    const none = await h.client.send(new PutItemCommand({ TableName: indexed, Item: { pk: S('n'), sk: S('a') }, ReturnItemCollectionMetrics: 'NONE' }));
    expect(none.ItemCollectionMetrics).to.equal(undefined);
  });

  it('leaves a refused write as dynalite answers it: an invalid value, a missing table', async () => {
    const invalid = await rawCall(h.local.endpoint, 'PutItem', { TableName: indexed, Item: { pk: S('i'), sk: S('a') }, ReturnItemCollectionMetrics: 'ALL' });
    expect(invalid.status).to.equal(400);
    expect((invalid.body as { message: string }).message).to.contain("at 'returnItemCollectionMetrics' failed to satisfy constraint");
    const missing = await rawCall(h.local.endpoint, 'PutItem', { TableName: 'no_such_table', Item: { pk: S('i') }, ReturnItemCollectionMetrics: 'SIZE' });
    expect(missing.body).to.deep.include({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });

  // Two requests inside the layer: the write, then DescribeTable for the key and the indexes.
  it('answers a write that succeeded as written, without metrics, when the table cannot be described after it', async () => {
    const describe = sinon.stub(DynaliteClient.prototype, 'describeTable').rejects(new Error('injected: DescribeTable failed'));
    try {
      const out = await h.client.send(new PutItemCommand({ TableName: indexed, Item: { pk: S('fault'), sk: S('a') }, ReturnItemCollectionMetrics: 'SIZE' }));
      expect(describe.called, 'the fault was reached').to.equal(true);
      expect(out.ItemCollectionMetrics).to.equal(undefined);
    } finally {
      describe.restore();
    }
    const stored = await h.client.send(new GetItemCommand({ TableName: indexed, Key: { pk: S('fault'), sk: S('a') } }));
    expect(stored.Item).to.deep.equal({ pk: S('fault'), sk: S('a') });
  });

  it('TransactWriteItems returns, per table with a local secondary index, each item collection it wrote', async () => {
    const out = await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: indexed, Item: { pk: S('tx1'), sk: S('a') } } },
          { Put: { TableName: indexed, Item: { pk: S('tx1'), sk: S('b') } } },
          { Delete: { TableName: indexed, Key: { pk: S('tx2'), sk: S('a') } } },
          { ConditionCheck: { TableName: indexed, Key: { pk: S('tx3'), sk: S('a') }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: plain, Item: { pk: S('tx1') } } },
        ],
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(out.ItemCollectionMetrics).to.deep.equal({ [indexed]: [metricsOf('tx1'), metricsOf('tx2')] });
    const none = await h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: indexed, Item: { pk: S('tx4'), sk: S('a') } } }] }));
    expect(none.ItemCollectionMetrics).to.equal(undefined);
    const bad = await rejection(
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: indexed, Item: { pk: S('tx5'), sk: S('a') } } }],
          ReturnItemCollectionMetrics: 'ALL' as 'SIZE',
        }),
      ),
      'ValidationException',
    );
    expect(bad.message).to.equal(
      "1 validation error detected: Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
    );
  });
});
