import { expect } from 'chai';
import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { createTable, N, rejection, S, useLocalServer } from './support';

type Item = Record<string, AttributeValue>;

describe('local server: TransactWriteItems', () => {
  const h = useLocalServer();
  let table: string;

  const put = (item: Item) => h.client.send(new PutItemCommand({ TableName: table, Item: item }));
  const get = async (pk: string) => (await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) }, ConsistentRead: true }))).Item;
  const transact = (items: TransactWriteItem[], token?: string) =>
    h.client.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }));
  const cancelled = (items: TransactWriteItem[]) => rejection<TransactionCanceledException>(transact(items), 'TransactionCanceledException');

  beforeEach(async () => {
    table = await createTable(h.client);
  });

  it('commits Put, Update, Delete and ConditionCheck together', async () => {
    await put({ pk: S('upd'), n: N(1) });
    await put({ pk: S('del') });
    await put({ pk: S('chk'), open: { BOOL: true } });

    await transact([
      { Put: { TableName: table, Item: { pk: S('new'), v: S('x') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: table, Key: { pk: S('upd') }, UpdateExpression: 'SET n = n + :d', ExpressionAttributeValues: { ':d': N(41) } } },
      { Delete: { TableName: table, Key: { pk: S('del') }, ConditionExpression: 'attribute_exists(pk)' } },
      {
        ConditionCheck: {
          TableName: table,
          Key: { pk: S('chk') },
          ConditionExpression: '#o = :t',
          ExpressionAttributeNames: { '#o': 'open' },
          ExpressionAttributeValues: { ':t': { BOOL: true } },
        },
      },
    ]);

    expect(await get('new')).to.deep.equal({ pk: S('new'), v: S('x') });
    expect(await get('upd')).to.deep.equal({ pk: S('upd'), n: N(42) });
    expect(await get('del')).to.equal(undefined);
    expect(await get('chk')).to.deep.equal({ pk: S('chk'), open: { BOOL: true } });
  });

  it('cancels when a ConditionCheck fails, naming its position and changing nothing', async () => {
    await put({ pk: S('chk'), open: { BOOL: false } });
    const err = await cancelled([
      { Put: { TableName: table, Item: { pk: S('a') } } },
      {
        ConditionCheck: {
          TableName: table,
          Key: { pk: S('chk') },
          ConditionExpression: '#o = :t',
          ExpressionAttributeNames: { '#o': 'open' },
          ExpressionAttributeValues: { ':t': { BOOL: true } },
        },
      },
    ]);
    expect(err.message).to.equal('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    expect(err.CancellationReasons).to.deep.equal([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' }]);
    expect(await get('a')).to.equal(undefined);
  });

  it('cancels on a failing Put, Update or Delete condition, reporting every failure at once', async () => {
    await put({ pk: S('p'), v: S('old') });
    await put({ pk: S('u'), n: N(1) });
    const err = await cancelled([
      { Put: { TableName: table, Item: { pk: S('p'), v: S('new') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Update: {
          TableName: table,
          Key: { pk: S('u') },
          UpdateExpression: 'SET n = :two',
          ConditionExpression: 'n = :zero',
          ExpressionAttributeValues: { ':two': N(2), ':zero': N(0) },
        },
      },
      { Put: { TableName: table, Item: { pk: S('fine') } } },
      { Delete: { TableName: table, Key: { pk: S('missing') }, ConditionExpression: 'attribute_exists(pk)' } },
    ]);
    expect(err.CancellationReasons?.map((reason) => reason.Code)).to.deep.equal([
      'ConditionalCheckFailed',
      'ConditionalCheckFailed',
      'None',
      'ConditionalCheckFailed',
    ]);
    expect(err.message).to.match(/\[ConditionalCheckFailed, ConditionalCheckFailed, None, ConditionalCheckFailed\]$/);
    expect(await get('p')).to.deep.equal({ pk: S('p'), v: S('old') });
    expect(await get('u')).to.deep.equal({ pk: S('u'), n: N(1) });
    expect(await get('fine')).to.equal(undefined);
  });

  it('returns the old item of a failed action that asks for ALL_OLD, and only that one', async () => {
    await put({ pk: S('a'), v: S('old-a') });
    await put({ pk: S('b'), v: S('old-b') });
    const err = await cancelled([
      {
        Update: {
          TableName: table,
          Key: { pk: S('a') },
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :x',
          ExpressionAttributeValues: { ':v': S('n'), ':x': S('x') },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { ConditionCheck: { TableName: table, Key: { pk: S('b') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Delete: { TableName: table, Key: { pk: S('none') }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ]);
    expect(err.CancellationReasons).to.deep.equal([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('a'), v: S('old-a') } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
  });

  it('rolls back earlier writes when a later one fails while being applied', async () => {
    await put({ pk: S('kept'), v: S('before') });
    await put({ pk: S('text'), n: S('not a number') });
    await put({ pk: S('gone'), v: S('still here') });
    const err = await cancelled([
      { Put: { TableName: table, Item: { pk: S('kept'), v: S('after') } } },
      { Put: { TableName: table, Item: { pk: S('fresh') } } },
      { Delete: { TableName: table, Key: { pk: S('gone') } } },
      { Update: { TableName: table, Key: { pk: S('text') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } },
    ]);
    expect(err.CancellationReasons?.map((reason) => reason.Code)).to.deep.equal(['None', 'None', 'None', 'ValidationError']);
    expect(err.CancellationReasons?.[3].Message).to.be.a('string').and.not.equal('');
    expect(await get('kept')).to.deep.equal({ pk: S('kept'), v: S('before') });
    expect(await get('fresh')).to.equal(undefined);
    expect(await get('gone')).to.deep.equal({ pk: S('gone'), v: S('still here') });
    expect(await get('text')).to.deep.equal({ pk: S('text'), n: S('not a number') });
  });

  describe('idempotency', () => {
    const increment = (): TransactWriteItem[] => [
      { Update: { TableName: table, Key: { pk: S('counter') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } },
    ];

    it('applies a request repeated with the same ClientRequestToken only once', async () => {
      await transact(increment(), 'token-same');
      await transact(increment(), 'token-same');
      await transact(increment(), 'token-same');
      expect(await get('counter')).to.deep.equal({ pk: S('counter'), n: N(1) });
      await transact(increment(), 'token-other');
      expect(await get('counter')).to.deep.equal({ pk: S('counter'), n: N(2) });
    });

    it('refuses the same token with a different request', async () => {
      await transact(increment(), 'token-mismatch');
      const other: TransactWriteItem[] = [{ Put: { TableName: table, Item: { pk: S('other') } } }];
      await rejection(transact(other, 'token-mismatch'), 'IdempotentParameterMismatchException');
      expect(await get('other')).to.equal(undefined);
    });

    it('applies every request when the SDK generates a fresh token each time', async () => {
      await transact(increment());
      await transact(increment());
      expect(await get('counter')).to.deep.equal({ pk: S('counter'), n: N(2) });
    });
  });
});
