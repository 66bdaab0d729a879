import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import {
  conditionalCheckFailed,
  provisionedThroughputExceeded,
  resourceNotFound,
  throttling,
  transactionCanceled,
  validationException,
} from '../../../lib/testing';
import { localEndpoint, testCredentials } from '../../support/root-hooks';

// The factories against what the SDK makes of real answers (the run's local server, and a
// server that throttles as DynamoDB does): same class, own keys, name, __type, fields.

const TABLE = 'de_shapes';

// Each command's own send() overload is what fits; any command will do here.
async function sdkError(client: DynamoDBClient, command: object): Promise<DynamoDBServiceException> {
  try {
    await (client.send as (command: object) => Promise<unknown>).call(client, command);
  } catch (error) {
    return error as DynamoDBServiceException;
  }
  throw new Error('expected a rejection');
}

function expectSameShape(made: DynamoDBServiceException, real: DynamoDBServiceException): void {
  expect(made.constructor).to.equal(real.constructor);
  expect(Object.keys(made).sort()).to.deep.equal(Object.keys(real).sort());
  expect(Object.keys(made.$metadata).sort()).to.deep.equal(Object.keys(real.$metadata).sort());
  for (const field of ['name', '$fault', '__type', 'message', 'Item', 'CancellationReasons'] as const) {
    expect((made as unknown as Record<string, unknown>)[field], field).to.deep.equal((real as unknown as Record<string, unknown>)[field]);
  }
  expect(made.$metadata.httpStatusCode).to.equal(real.$metadata.httpStatusCode);
}

describe('dynamorm/testing error factories, against the SDK’s own errors', () => {
  let client: DynamoDBClient;
  before(async () => {
    client = new DynamoDBClient({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials });
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: '1' }, version: { N: '2' } } }));
  });
  after(() => client.destroy());

  const failingPut = { TableName: TABLE, Item: { id: { S: '1' } }, ConditionExpression: 'attribute_not_exists(id)' };

  it('conditionalCheckFailed, with and without the old item', async () => {
    const real = await sdkError(client, new PutItemCommand({ ...failingPut, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expectSameShape(conditionalCheckFailed({ item: { id: '1', version: 2 } }), real);
    expectSameShape(conditionalCheckFailed(), await sdkError(client, new PutItemCommand(failingPut)));
  });

  it('transactionCanceled', async () => {
    const real = await sdkError(
      client,
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { ...failingPut, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }, { Put: { TableName: TABLE, Item: { id: { S: '2' } } } }],
      }),
    );
    expectSameShape(transactionCanceled([{ code: 'ConditionalCheckFailed', item: { id: '1', version: 2 } }, 'None']), real);
  });

  it('resourceNotFound and validationException', async () => {
    expectSameShape(resourceNotFound(), await sdkError(client, new GetItemCommand({ TableName: 'de_missing', Key: { id: { S: '1' } } })));
    const real = await sdkError(client, new GetItemCommand({ TableName: TABLE, Key: { id: { N: '1' } } }));
    expectSameShape(validationException(real.message), real);
  });

  for (const [name, make] of [
    ['ProvisionedThroughputExceededException', provisionedThroughputExceeded],
    ['ThrottlingException', throttling],
  ] as const) {
    it(`${name}, after the SDK's retries`, async () => {
      const made = make();
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R' });
          res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message: made.message }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const throttled = new DynamoDBClient({
        region: 'local',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: testCredentials,
        maxAttempts: 2,
      });
      try {
        const real = await sdkError(throttled, new GetItemCommand({ TableName: TABLE, Key: { id: { S: '1' } } }));
        expectSameShape(made, real);
        expect(real.$metadata.attempts).to.equal(2); // the SDK's attempts, as made()'s $metadata.attempts tells dynamorm's default 5
      } finally {
        throttled.destroy();
        server.close();
      }
    });
  }
});
