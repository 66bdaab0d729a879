import { expect } from 'chai';
import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { createTable, N, rejection, S, useLocalServer } from './support';

// What DynamoDB (the conformance suite's ground truth) reports through the cancellation
// channel rather than as a request-level error, and the limit on a transaction's size.
describe('local server: transaction cancellation reasons and size', () => {
  const h = useLocalServer();
  let table: string;

  const transact = (items: TransactWriteItem[]) => h.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  const cancelled = (promise: Promise<unknown>) => rejection<TransactionCanceledException>(promise, 'TransactionCanceledException');
  const exists = async (pk: string) => Boolean((await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) } }))).Item);

  before(async () => {
    table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('there'), open: { BOOL: false } } }));
  });

  describe('a key that does not fit the table', () => {
    it('cancels TransactGetItems with a ValidationError reason at that Get', async () => {
      const err = await cancelled(h.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: {} } }] })));
      expect(err.message).to.equal('Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]');
      expect(err.CancellationReasons).to.deep.equal([{ Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);

      const second = await cancelled(
        h.client.send(
          new TransactGetItemsCommand({
            TransactItems: [{ Get: { TableName: table, Key: { pk: S('there') } } }, { Get: { TableName: table, Key: { other: S('x') } } }],
          }),
        ),
      );
      expect(second.message).to.equal('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]');
      expect(second.CancellationReasons?.map((reason) => reason.Code)).to.deep.equal(['None', 'ValidationError']);
    });

    it('cancels TransactWriteItems with a ValidationError reason per faulty action, writing nothing', async () => {
      const err = await cancelled(
        transact([
          { Put: { TableName: table, Item: { pk: S('fine') } } },
          { Put: { TableName: table, Item: { v: S('no key') } } },
          { Update: { TableName: table, Key: { pk: N(5) }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': S('x') } } },
          { Put: { TableName: table, Item: { pk: N(5) } } },
          { ConditionCheck: { TableName: table, Key: {}, ConditionExpression: 'attribute_exists(pk)' } },
        ]),
      );
      expect(err.message).to.equal(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError, ValidationError, ValidationError, ValidationError]',
      );
      expect(err.CancellationReasons).to.deep.equal([
        { Code: 'None' },
        { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Missing the key pk in the item' },
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
        { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      ]);
      expect(await exists('fine')).to.equal(false);
    });

    it('keeps an empty-string key a request-level ValidationException, as DynamoDB validates it up front', async () => {
      const err = await rejection(transact([{ Put: { TableName: table, Item: { pk: S('') } } }]), 'ValidationException');
      expect(err.message).to.equal(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
    });
  });

  describe('condition failures', () => {
    it("words a ConditionCheck's reason with DynamoDB's final period and a write's without", async () => {
      const err = await cancelled(
        transact([
          { Put: { TableName: table, Item: { pk: S('there') }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { ConditionCheck: { TableName: table, Key: { pk: S('checked') }, ConditionExpression: 'attribute_exists(pk)' } },
        ]),
      );
      expect(err.message).to.equal(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, ConditionalCheckFailed]',
      );
      expect(err.CancellationReasons).to.deep.equal([
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' },
      ]);
    });
  });

  describe('the 4 MB limit on a transaction', () => {
    const puts = (prefix: string, count: number): TransactWriteItem[] =>
      Array.from({ length: count }, (_, i) => ({ Put: { TableName: table, Item: { pk: S(`${prefix}${i}`), payload: S('x'.repeat(350_000)) } } }));

    it('refuses items adding up to more than 4 MB with a ValidationException, writing nothing', async () => {
      const err = await rejection(transact(puts('big', 12)), 'ValidationException');
      expect(err.message).to.equal('Transaction failed: The total size of all items in the transaction request cannot exceed 4 MB');
      expect(await exists('big0')).to.equal(false);
    });

    it('accepts items adding up to just under 4 MB', async () => {
      await transact(puts('under', 11));
      expect(await exists('under10')).to.equal(true);
    });
  });
});
