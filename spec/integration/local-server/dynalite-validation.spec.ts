import { expect } from 'chai';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawCall, rejection, useLocalServer, usePlainDynalite } from './support';

const SERIALIZATION = 'com.amazon.coral.service#SerializationException';
const VALIDATION = 'com.amazon.coral.validate#ValidationException';

const emailIndex = {
  IndexName: 'by-email',
  KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' as const }],
  Projection: { ProjectionType: 'ALL' as const },
};
// dynalite knows only provisioned tables, so the reference requests give a new index its throughput.
const provisionedIndex = { ...emailIndex, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } };
const createIndex = (create: Record<string, unknown>) => ({
  TableName: 'some_table',
  AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
  GlobalSecondaryIndexUpdates: [{ Create: create }],
});

/**
 * Requests the layer answers itself for operations dynalite knows. Each one is sent
 * to the layer and to a plain dynalite, and must get the same status and body.
 */
const REFUSED: Array<[title: string, operation: string, body: unknown]> = [
  ['DescribeTimeToLive: a number as TableName', 'DescribeTimeToLive', { TableName: 5 }],
  ['DescribeTimeToLive: a boolean as TableName', 'DescribeTimeToLive', { TableName: true }],
  ['DescribeTimeToLive: a list as TableName', 'DescribeTimeToLive', { TableName: [] }],
  ['DescribeTimeToLive: an object as TableName', 'DescribeTimeToLive', { TableName: {} }],
  ['DescribeTimeToLive: no TableName', 'DescribeTimeToLive', {}],
  ['DescribeTimeToLive: a short TableName', 'DescribeTimeToLive', { TableName: 'ab' }],
  ['DescribeTimeToLive: a TableName with a bad character', 'DescribeTimeToLive', { TableName: 'a;b' }],
  ['DescribeTimeToLive: a table that does not exist', 'DescribeTimeToLive', { TableName: 'no_such_table' }],
  ['DescribeTimeToLive: a body that is not JSON', 'DescribeTimeToLive', '{not json'],
  ['DescribeTimeToLive: an empty body', 'DescribeTimeToLive', ''],
  ['DescribeTimeToLive: a JSON list as the body', 'DescribeTimeToLive', '[]'],
  ['UpdateTable: a number as TableName, with an index to create', 'UpdateTable', { ...createIndex(provisionedIndex), TableName: 5 }],
  ['UpdateTable: a number as the IndexName to create', 'UpdateTable', createIndex({ ...provisionedIndex, IndexName: 5 })],
  ['UpdateTable: no IndexName to create', 'UpdateTable', createIndex({ ...provisionedIndex, IndexName: undefined })],
  ['UpdateTable: a short IndexName to create', 'UpdateTable', createIndex({ ...provisionedIndex, IndexName: 'ab' })],
  ['UpdateTable: a string as the KeySchema', 'UpdateTable', createIndex({ ...provisionedIndex, KeySchema: 'email' })],
  ['UpdateTable: an unknown ProjectionType', 'UpdateTable', createIndex({ ...provisionedIndex, Projection: { ProjectionType: 'SOME' } })],
  [
    'UpdateTable: a string as a capacity',
    'UpdateTable',
    createIndex({ ...provisionedIndex, ProvisionedThroughput: { ReadCapacityUnits: '1', WriteCapacityUnits: 1 } }),
  ],
  ['UpdateTable: a number as the IndexName to delete', 'UpdateTable', { TableName: 'some_table', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 5 } }] }],
  [
    'UpdateTable: two deletes of one index',
    'UpdateTable',
    { TableName: 'some_table', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'abc' } }, { Delete: { IndexName: 'abc' } }] },
  ],
  [
    'UpdateTable: a create and a delete of one index',
    'UpdateTable',
    { ...createIndex(provisionedIndex), GlobalSecondaryIndexUpdates: [{ Create: provisionedIndex }, { Delete: { IndexName: 'by-email' } }] },
  ],
  ['UpdateTable: an index to create on a table that does not exist', 'UpdateTable', createIndex(provisionedIndex)],
];

describe('local server: requests it answers itself are validated as dynalite validates them', () => {
  const h = useLocalServer();
  const plain = usePlainDynalite();

  for (const [title, operation, body] of REFUSED) {
    it(`answers as plain dynalite does — ${title}`, async () => {
      const expected = await rawCall(plain.endpoint, operation, body);
      expect(expected.status, 'plain dynalite refuses it').to.equal(400);
      expect(await rawCall(h.local.endpoint, operation, body)).to.deep.equal(expected);
    });
  }

  it('answers a value of the wrong JSON type with a SerializationException, before any other check', async () => {
    expect(await rawCall(h.local.endpoint, 'DescribeTimeToLive', { TableName: 5 })).to.deep.equal({
      status: 400,
      body: { __type: SERIALIZATION, Message: 'NUMBER_VALUE cannot be converted to String' },
    });
    const index = await rawCall(h.local.endpoint, 'UpdateTable', { ...createIndex({ ...provisionedIndex, IndexName: true }), TableName: 'ab' });
    expect(index).to.deep.equal({ status: 400, body: { __type: SERIALIZATION, Message: 'TRUE_VALUE cannot be converted to String' } });
    const deleted = await rawCall(h.local.endpoint, 'UpdateTable', { TableName: 'some_table', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: [] } }] });
    expect(deleted.body).to.deep.equal({ __type: SERIALIZATION, Message: 'Unrecognized collection type class java.lang.String' });
  });

  it('answers a body that is not JSON with a SerializationException without a message', async () => {
    expect(await rawCall(h.local.endpoint, 'DescribeTimeToLive', '{not json')).to.deep.equal({ status: 400, body: { __type: SERIALIZATION } });
    expect(await rawCall(h.local.endpoint, 'TransactWriteItems', '')).to.deep.equal({ status: 400, body: { __type: SERIALIZATION } });
  });

  it('refuses two updates of one index with the ValidationException DynamoDB gives, not a LimitExceededException', async () => {
    const table = await createTable(h.client);
    const twice = (updates: NonNullable<ConstructorParameters<typeof UpdateTableCommand>[0]['GlobalSecondaryIndexUpdates']>) =>
      h.client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: updates,
        }),
      );
    const deletes = await rejection(twice([{ Delete: { IndexName: 'by-email' } }, { Delete: { IndexName: 'by-email' } }]), 'ValidationException');
    expect(deletes.message).to.equal(
      'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: by-email',
    );
    const createAndDelete = await rejection(twice([{ Create: emailIndex }, { Delete: { IndexName: 'by-email' } }]), 'ValidationException');
    expect(createAndDelete.message).to.equal(
      'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: by-email',
    );
    const wire = await rawCall(h.local.endpoint, 'UpdateTable', {
      TableName: table,
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }, { Delete: { IndexName: 'by-email' } }],
    });
    expect(wire.body).to.have.property('__type', VALIDATION);
  });

  it('checks UpdateTimeToLive, which dynalite lacks, for JSON types the same way', async () => {
    const table = await createTable(h.client);
    const spec = { Enabled: true, AttributeName: 'expiresAt' };
    const cases: Array<[body: unknown, message: string]> = [
      [{ TableName: 5, TimeToLiveSpecification: spec }, 'NUMBER_VALUE cannot be converted to String'],
      [{ TableName: table, TimeToLiveSpecification: 'on' }, 'Unexpected field type'],
      [{ TableName: table, TimeToLiveSpecification: { ...spec, Enabled: 1 } }, 'NUMBER_VALUE cannot be converted to Boolean'],
      [{ TableName: table, TimeToLiveSpecification: { ...spec, AttributeName: ['expiresAt'] } }, 'Unrecognized collection type class java.lang.String'],
    ];
    for (const [body, message] of cases) {
      expect(await rawCall(h.local.endpoint, 'UpdateTimeToLive', body), JSON.stringify(body)).to.deep.equal({
        status: 400,
        body: { __type: SERIALIZATION, Message: message },
      });
    }
    const short = await rawCall(h.local.endpoint, 'UpdateTimeToLive', { TableName: 'ab', TimeToLiveSpecification: spec });
    expect(short.body).to.deep.equal({ __type: VALIDATION, message: 'TableName must be at least 3 characters long and at most 255 characters long' });
    const missing = await rawCall(h.local.endpoint, 'UpdateTimeToLive', { TableName: table });
    expect(missing.body).to.deep.equal({
      __type: VALIDATION,
      message: "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    });
  });
});
