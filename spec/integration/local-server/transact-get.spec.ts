import { expect } from 'chai';
import { PutItemCommand, TransactGetItemsCommand } from '@aws-sdk/client-dynamodb';
import { createTable, N, S, useLocalServer } from './support';

describe('local server: TransactGetItems', () => {
  const h = useLocalServer();
  let users: string;
  let orders: string;

  before(async () => {
    users = await createTable(h.client);
    orders = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: users, Item: { pk: S('u1'), name: S('Ada'), age: N(36), 'my-tag': S('t') } }));
    await h.client.send(new PutItemCommand({ TableName: orders, Item: { pk: S('o1'), total: N(12) } }));
  });

  it('returns the items in request order across tables, with {} for a missing one', async () => {
    const out = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: orders, Key: { pk: S('o1') } } },
          { Get: { TableName: users, Key: { pk: S('missing') } } },
          { Get: { TableName: users, Key: { pk: S('u1') } } },
        ],
      }),
    );
    expect(out.Responses).to.deep.equal([{ Item: { pk: S('o1'), total: N(12) } }, {}, { Item: { pk: S('u1'), name: S('Ada'), age: N(36), 'my-tag': S('t') } }]);
  });

  it('honours ProjectionExpression and ExpressionAttributeNames', async () => {
    const out = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: users, Key: { pk: S('u1') }, ProjectionExpression: '#n, #t', ExpressionAttributeNames: { '#n': 'name', '#t': 'my-tag' } } },
        ],
      }),
    );
    expect(out.Responses).to.deep.equal([{ Item: { name: S('Ada'), 'my-tag': S('t') } }]);
  });

  it('reports consumed capacity per table when asked', async () => {
    const out = await h.client.send(
      new TransactGetItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [{ Get: { TableName: users, Key: { pk: S('u1') } } }, { Get: { TableName: orders, Key: { pk: S('o1') } } }],
      }),
    );
    expect(out.ConsumedCapacity?.map((c) => c.TableName).sort()).to.deep.equal([orders, users].sort());
  });
});
