import { expect } from 'chai';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConditionalCheckFailedException,
  type ReturnValuesOnConditionCheckFailure,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, N, rawCall, rejection, S, useLocalServer } from './support';

type Failure = ConditionalCheckFailedException;

describe('local server: ReturnValuesOnConditionCheckFailure on PutItem, UpdateItem and DeleteItem', () => {
  const h = useLocalServer();
  let table: string;

  // Every kind of value, so that the returned item is checked in full, binaries included.
  const stored: Record<string, AttributeValue> = {
    pk: S('taken'),
    n: N(5),
    b: { B: new Uint8Array([0, 1, 254]) },
    ss: { SS: ['x', 'y'] },
    m: { M: { flag: { BOOL: true }, none: { NULL: true }, list: { L: [S('a'), N(1)] } } },
  };
  const key = { pk: S('taken') };
  const missingKey = { pk: S('nobody') };

  type Write = (mode: ReturnValuesOnConditionCheckFailure | undefined, itemKey?: Record<string, AttributeValue>) => Promise<unknown>;
  const writes: Array<[name: string, write: Write]> = [
    [
      'PutItem',
      (mode, itemKey = key) =>
        h.client.send(
          new PutItemCommand({
            TableName: table,
            Item: { ...itemKey, n: N(6) },
            ConditionExpression: 'n = :seven',
            ExpressionAttributeValues: { ':seven': N(7) },
            ReturnValuesOnConditionCheckFailure: mode,
          }),
        ),
    ],
    [
      'UpdateItem',
      (mode, itemKey = key) =>
        h.client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: itemKey,
            UpdateExpression: 'SET n = :six',
            ConditionExpression: 'n = :seven',
            ExpressionAttributeValues: { ':six': N(6), ':seven': N(7) },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: mode,
          }),
        ),
    ],
    [
      'DeleteItem',
      (mode, itemKey = key) =>
        h.client.send(
          new DeleteItemCommand({
            TableName: table,
            Key: itemKey,
            ConditionExpression: 'n = :seven',
            ExpressionAttributeValues: { ':seven': N(7) },
            ReturnValuesOnConditionCheckFailure: mode,
          }),
        ),
    ],
  ];

  before(async () => {
    table = await createTable(h.client);
  });
  beforeEach(async () => {
    await h.client.send(new PutItemCommand({ TableName: table, Item: stored }));
  });

  const current = async () => (await h.client.send(new GetItemCommand({ TableName: table, Key: key }))).Item;

  for (const [name, write] of writes) {
    describe(name, () => {
      it('with ALL_OLD, returns the item as it stood in the ConditionalCheckFailedException (err.Item)', async () => {
        const err = await rejection<Failure>(write('ALL_OLD'), 'ConditionalCheckFailedException');
        expect(err.message).to.equal('The conditional request failed');
        expect(err.Item).to.deep.equal(stored);
        expect(await current()).to.deep.equal(stored);
      });

      it('with ALL_OLD and no item under the key, returns no Item', async () => {
        const err = await rejection<Failure>(write('ALL_OLD', missingKey), 'ConditionalCheckFailedException');
        expect(err.message).to.equal('The conditional request failed');
        expect(err.Item).to.equal(undefined);
      });

      it('with NONE or without the parameter, returns no Item', async () => {
        const none = await rejection<Failure>(write('NONE'), 'ConditionalCheckFailedException');
        expect(none.Item).to.equal(undefined);
        const absent = await rejection<Failure>(write(undefined), 'ConditionalCheckFailedException');
        expect(absent.Item).to.equal(undefined);
      });

      it('with ALL_OLD and a condition that holds, writes as usual', async () => {
        await h.client.send(new PutItemCommand({ TableName: table, Item: { ...stored, n: N(7) } }));
        await write('ALL_OLD');
        const after = await current();
        if (name === 'DeleteItem') expect(after).to.equal(undefined);
        else expect(after?.n).to.deep.equal(N(6));
      });

      it('refuses a value other than ALL_OLD or NONE with the ValidationException DynamoDB gives, writing nothing', async () => {
        await h.client.send(new PutItemCommand({ TableName: table, Item: { ...stored, n: N(7) } }));
        const err = await rejection(write('ALL_NEW' as ReturnValuesOnConditionCheckFailure), 'ValidationException');
        expect(err.message).to.equal(
          "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
        );
        expect(await current()).to.deep.equal({ ...stored, n: N(7) });
      });
    });
  }

  it('sends the Item in wire form in the error body', async () => {
    const out = await rawCall(h.local.endpoint, 'DeleteItem', {
      TableName: table,
      Key: { pk: { S: 'taken' } },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(out).to.deep.equal({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
        Item: {
          pk: { S: 'taken' },
          n: { N: '5' },
          b: { B: 'AAH+' },
          ss: { SS: ['x', 'y'] },
          m: { M: { flag: { BOOL: true }, none: { NULL: true }, list: { L: [{ S: 'a' }, { N: '1' }] } } },
        },
      },
    });
  });

  it('checks the parameter for type and value together with the rest of the request', async () => {
    const put = (extra: Record<string, unknown>) => rawCall(h.local.endpoint, 'PutItem', { TableName: table, Item: { pk: { S: 'p' } }, ...extra });
    expect(await put({ ReturnValuesOnConditionCheckFailure: 5 })).to.deep.equal({
      status: 400,
      body: { __type: 'com.amazon.coral.service#SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' },
    });
    expect((await put({ ReturnValuesOnConditionCheckFailure: ['ALL_OLD'] })).body).to.deep.equal({
      __type: 'com.amazon.coral.service#SerializationException',
      Message: 'Unrecognized collection type class java.lang.String',
    });
    const both = await put({ ReturnValues: 'SOME', ReturnValuesOnConditionCheckFailure: 'SOME' });
    expect(both.body).to.deep.equal({
      __type: 'com.amazon.coral.validate#ValidationException',
      message:
        "2 validation errors detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; " +
        "Value 'SOME' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    });
    // A wrong key or table answers as it does without the parameter.
    const wrongKey = await rejection(
      h.client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: { other: S('x') },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
      'ValidationException',
    );
    expect(wrongKey.message).to.equal('The provided key element does not match the schema');
    await rejection(
      h.client.send(new PutItemCommand({ TableName: 'no_such_table', Item: { pk: S('x') }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      'ResourceNotFoundException',
    );
  });

  describe('through lib-dynamodb', () => {
    let doc: DynamoDBDocumentClient;
    before(() => {
      doc = DynamoDBDocumentClient.from(h.client);
    });

    // The document client unmarshalls results, never errors: err.Item stays an AttributeValue map.
    const docWrites: Array<[name: string, write: () => Promise<unknown>]> = [
      [
        'PutCommand',
        () =>
          doc.send(
            new PutCommand({
              TableName: table,
              Item: { pk: 'taken' },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
      ],
      [
        'UpdateCommand',
        () =>
          doc.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: 'taken' },
              UpdateExpression: 'SET n = :n',
              ConditionExpression: 'n > :n',
              ExpressionAttributeValues: { ':n': 10 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
      ],
      [
        'DeleteCommand',
        () =>
          doc.send(
            new DeleteCommand({
              TableName: table,
              Key: { pk: 'taken' },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
      ],
    ];
    for (const [name, write] of docWrites) {
      it(`${name} rejects with the marshalled item as err.Item`, async () => {
        const err = await rejection<Failure>(write(), 'ConditionalCheckFailedException');
        expect(err.Item).to.deep.equal(stored);
      });
    }
  });
});
