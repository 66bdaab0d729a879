import { expect } from 'chai';
import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { createTable, rejection, S, useLocalServer } from './support';

describe('local server: transaction validation', () => {
  const h = useLocalServer();
  let table: string;

  const transact = (items: TransactWriteItem[]) => h.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  const exists = async (pk: string) => Boolean((await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) } }))).Item);

  before(async () => {
    table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('x') } }));
  });

  it('refuses two operations on one item', async () => {
    const err = await rejection(
      transact([
        { Put: { TableName: table, Item: { pk: S('dup'), v: S('1') } } },
        { ConditionCheck: { TableName: table, Key: { pk: S('dup') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]),
      'ValidationException',
    );
    expect(err.message).to.equal('Transaction request cannot include multiple operations on one item');
    expect(await exists('dup')).to.equal(false);
  });

  it('refuses more than 100 actions', async () => {
    const items = Array.from({ length: 101 }, (_, i): TransactWriteItem => ({ Put: { TableName: table, Item: { pk: S(`many${i}`) } } }));
    const err = await rejection(transact(items), 'ValidationException');
    expect(err.message).to.match(/at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
    expect(await exists('many0')).to.equal(false);
  });

  it('accepts exactly 100 actions', async () => {
    const items = Array.from({ length: 100 }, (_, i): TransactWriteItem => ({ Put: { TableName: table, Item: { pk: S(`hundred${i}`) } } }));
    await transact(items);
    expect(await exists('hundred99')).to.equal(true);
  });

  it('refuses an empty list', async () => {
    const err = await rejection(transact([]), 'ValidationException');
    expect(err.message).to.match(/at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
  });

  it('answers ResourceNotFoundException for a table that does not exist, writing nothing', async () => {
    const err = await rejection(
      transact([{ Put: { TableName: table, Item: { pk: S('before-missing') } } }, { Put: { TableName: 'no_such_table', Item: { pk: S('a') } } }]),
      'ResourceNotFoundException',
    );
    expect(err.message).to.equal('Requested resource not found');
    expect(await exists('before-missing')).to.equal(false);
  });

  it('refuses an entry with no action or with two actions', async () => {
    const none = await rejection(transact([{}]), 'ValidationException');
    expect(none.message).to.equal('TransactItems can only contain one of Check, Put, Update or Delete');
    await rejection(
      transact([{ Put: { TableName: table, Item: { pk: S('two') } }, Delete: { TableName: table, Key: { pk: S('two') } } }]),
      'ValidationException',
    );
  });

  it('cancels on keys that do not match the schema and refuses bad expressions, before writing anything', async () => {
    const key = await rejection<TransactionCanceledException>(
      transact([{ Put: { TableName: table, Item: { pk: S('ok') } } }, { Delete: { TableName: table, Key: { other: S('x') } } }]),
      'TransactionCanceledException',
    );
    expect(key.CancellationReasons).to.deep.equal([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
    ]);
    const syntax = await rejection(
      transact([{ Put: { TableName: table, Item: { pk: S('ok') } } }, { Update: { TableName: table, Key: { pk: S('x') }, UpdateExpression: 'SET = broken' } }]),
      'ValidationException',
    );
    expect(syntax.message).to.match(/^Invalid UpdateExpression: Syntax error/);
    expect(await exists('ok')).to.equal(false);
  });

  it('applies the same rules to TransactGetItems', async () => {
    const dup = await rejection(
      h.client.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: table, Key: { pk: S('x') } } }, { Get: { TableName: table, Key: { pk: S('x') } } }],
        }),
      ),
      'ValidationException',
    );
    expect(dup.message).to.equal('Transaction request cannot include multiple operations on one item');
    await rejection(h.client.send(new TransactGetItemsCommand({ TransactItems: [] })), 'ValidationException');
    await rejection(
      h.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'no_such_table', Key: { pk: S('x') } } }] })),
      'ResourceNotFoundException',
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: table, Key: { pk: S(`g${i}`) } } }));
    await rejection(h.client.send(new TransactGetItemsCommand({ TransactItems: many })), 'ValidationException');
  });
});
