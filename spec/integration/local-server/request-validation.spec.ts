import { expect } from 'chai';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createTable, rawCall, rejection, S, useLocalServer, usePlainDynalite } from './support';

const TABLE: Omit<CreateTableCommandInput, 'TableName'> = {
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('local server: requests DynamoDB words the refusal of unlike dynalite', () => {
  const h = useLocalServer();
  const plain = usePlainDynalite();
  let table: string;

  before(async () => {
    table = await createTable(h.client);
  });

  describe('batches', () => {
    it('says an empty RequestItems is required', async () => {
      const get = await rejection(h.client.send(new BatchGetItemCommand({ RequestItems: {} })), 'ValidationException');
      expect(get.message).to.equal('The requestItems parameter is required for BatchGetItem');
      const write = await rejection(h.client.send(new BatchWriteItemCommand({ RequestItems: {} })), 'ValidationException');
      expect(write.message).to.equal('The requestItems parameter is required for BatchWriteItem');
    });

    it('names the Keys of a table over 100 keys without listing them', async () => {
      const Keys = Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) }));
      const err = await rejection(h.client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys } } })), 'ValidationException');
      expect(err.message).to.equal(
        `1 validation error detected: Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`,
      );
    });

    it('prints the requests of a table over 25 writes in the {table=[...]} form', async () => {
      const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S(`w${i}`) } } }));
      const err = await rejection(h.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } })), 'ValidationException');
      expect(err.message).to.match(
        new RegExp(
          `^1 validation error detected: Value '\\{${table}=\\[.+\\]\\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\\]$`,
          's',
        ),
      );
    });

    it('still runs batches at the limits', async () => {
      const Keys = Array.from({ length: 100 }, (_, i) => ({ pk: S(`k${i}`) }));
      const got = await h.client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys } } }));
      expect(got.Responses?.[table]).to.deep.equal([]);
      const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: S(`w${i}`) } } }));
      const written = await h.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      expect(written.UnprocessedItems).to.deep.equal({});
    });

    it('leaves a refusal with other errors in it as plain dynalite answers it', async () => {
      const body = { RequestItems: {}, ReturnConsumedCapacity: 'SOME' };
      const expected = await rawCall(plain.endpoint, 'BatchGetItem', body);
      expect(expected.status, 'plain dynalite refuses it').to.equal(400);
      expect(await rawCall(h.local.endpoint, 'BatchGetItem', body)).to.deep.equal(expected);
    });
  });

  describe('CreateTable', () => {
    it('lists a table name of the wrong length as a constraint error', async () => {
      const err = await rejection(h.client.send(new CreateTableCommand({ ...TABLE, TableName: 'ab' })), 'ValidationException');
      expect(err.message).to.equal(
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      );
      for (const TableName of ['', 'x!']) {
        const other = await rejection(h.client.send(new CreateTableCommand({ TableName, KeySchema: [], AttributeDefinitions: [] })), 'ValidationException');
        expect(other.message).to.contain(`Value '${TableName}' at 'tableName'`);
      }
    });

    it('prints more than 2 KeySchema elements as DynamoDB does', async () => {
      const request = {
        TableName: `ct3_${Date.now()}`,
        AttributeDefinitions: ['pk', 'sk', 'extra'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
          { AttributeName: 'extra', KeyType: 'RANGE' as const },
        ],
        BillingMode: 'PAY_PER_REQUEST' as const,
      };
      const err = await rejection(h.client.send(new CreateTableCommand(request)), 'ValidationException');
      expect(err.message).to.equal(
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      );
    });

    it('leaves other refusals to dynalite', async () => {
      const body = {
        ...TABLE,
        TableName: `ct_dup_${Date.now()}`,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
      };
      const expected = await rawCall(plain.endpoint, 'CreateTable', body);
      expect(expected.status, 'plain dynalite refuses it').to.equal(400);
      expect(await rawCall(h.local.endpoint, 'CreateTable', body)).to.deep.equal(expected);
    });
  });

  it('refuses an item operation on an empty table name with the one error DynamoDB gives', async () => {
    const err = await rejection(h.client.send(new PutItemCommand({ TableName: '', Item: { pk: S('a') } })), 'ValidationException');
    expect(err.message).to.equal(
      "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("words an expression's syntax error with DynamoDB's token and near", async () => {
    const get = { Get: { TableName: table, Key: { pk: S('a') }, ProjectionExpression: '!!!' } };
    const err = await rejection(h.client.send(new TransactGetItemsCommand({ TransactItems: [get] })), 'ValidationException');
    expect(err.message).to.equal('Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
  });
});
