import { expect } from 'chai';
import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { createTable, N, S, useLocalServer } from './support';

describe('local server: transaction isolation', () => {
  const h = useLocalServer();
  let table: string;
  const TOTAL = 1000;

  before(async () => {
    table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), balance: N(TOTAL), seq: N(0) } }));
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('b'), balance: N(0), seq: N(0) } }));
  });

  let seq = 0;
  const transfer = (from: string, to: string, amount: number) =>
    h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: { pk: S(from) },
              UpdateExpression: 'SET balance = balance - :amount, seq = :seq',
              ConditionExpression: 'balance >= :amount',
              ExpressionAttributeValues: { ':amount': N(amount), ':seq': N(++seq) },
            },
          },
          {
            Update: {
              TableName: table,
              Key: { pk: S(to) },
              UpdateExpression: 'SET balance = balance + :amount, seq = :seq',
              ExpressionAttributeValues: { ':amount': N(amount), ':seq': N(seq) },
            },
          },
        ],
      }),
    );

  const balanceOf = (item: Record<string, { N?: string }> | undefined) => Number(item?.balance?.N);

  it('never lets a reader see a transfer half done', async () => {
    let writing = true;
    let pairs = 0;
    const sums: number[] = [];

    const snapshotReader = async () => {
      while (writing) {
        const out = await h.client.send(
          new TransactGetItemsCommand({
            TransactItems: [{ Get: { TableName: table, Key: { pk: S('a') } } }, { Get: { TableName: table, Key: { pk: S('b') } } }],
          }),
        );
        sums.push(balanceOf(out.Responses?.[0].Item) + balanceOf(out.Responses?.[1].Item));
      }
    };
    // Plain GetItems are not one snapshot, but every transfer stamps both items with its
    // sequence number. Once one item shows transfer k, the other must show k or later:
    // seeing it older would mean the transfer was visible half done.
    const violations: string[] = [];
    const getItemReader = async () => {
      const read = async (pk: string) => (await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) }, ConsistentRead: true }))).Item;
      for (let round = 0; writing; round += 1) {
        const [firstKey, secondKey] = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
        const first = await read(firstKey);
        const second = await read(secondKey);
        const [firstSeq, secondSeq] = [Number(first?.seq?.N), Number(second?.seq?.N)];
        if (secondSeq < firstSeq) violations.push(`${firstKey}@${firstSeq} then ${secondKey}@${secondSeq}`);
        if (secondSeq === firstSeq) sums.push(balanceOf(first) + balanceOf(second));
        pairs += 1;
      }
    };

    const writer = async () => {
      try {
        for (let i = 0; i < 50; i += 1) {
          const amount = (i % 5) + 1;
          await (i % 2 === 0 ? transfer('a', 'b', amount) : transfer('b', 'a', 1));
        }
      } finally {
        writing = false;
      }
    };

    await Promise.all([writer(), snapshotReader(), snapshotReader(), getItemReader()]);
    expect(pairs).to.be.greaterThan(0);
    expect(violations).to.deep.equal([]);
    expect(sums.filter((sum) => sum !== TOTAL)).to.deep.equal([]);

    const a = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a') } }));
    const b = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('b') } }));
    expect(balanceOf(a.Item) + balanceOf(b.Item)).to.equal(TOTAL);
  });

  it('serialises concurrent transactions on the same items', async () => {
    // 20 withdrawals of 10 from an account holding 100: exactly 10 succeed.
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('c'), balance: N(100) } }));
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('d'), balance: N(0) } }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => transfer('c', 'd', 10)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).to.equal(10);
    for (const { reason } of failed) {
      expect((reason as TransactionCanceledException).name).to.equal('TransactionCanceledException');
    }
    const c = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('c') } }));
    expect(balanceOf(c.Item)).to.equal(0);
  });
});
