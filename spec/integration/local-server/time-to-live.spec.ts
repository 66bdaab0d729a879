import { expect } from 'chai';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTable, eventually, N, rejection, S, useLocalServer } from './support';

describe('local server: time to live', () => {
  const h = useLocalServer({ ttlSweepMs: 50 });

  const describeTtl = async (TableName: string) => (await h.client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription;
  const setTtl = (TableName: string, Enabled: boolean, AttributeName = 'expiresAt') =>
    h.client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled, AttributeName } }));

  it('is disabled on a new table, and enabling it is described and echoed', async () => {
    const table = await createTable(h.client);
    expect(await describeTtl(table)).to.deep.equal({ TimeToLiveStatus: 'DISABLED' });
    const out = await setTtl(table, true);
    expect(out.TimeToLiveSpecification).to.deep.equal({ AttributeName: 'expiresAt', Enabled: true });
    expect(await describeTtl(table)).to.deep.equal({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('refuses to enable it twice, to switch attributes while enabled, and to disable it twice', async () => {
    const table = await createTable(h.client);
    await setTtl(table, true);
    const twice = await rejection(setTtl(table, true), 'ValidationException');
    expect(twice.message).to.equal('TimeToLive is already enabled');
    const other = await rejection(setTtl(table, true, 'other'), 'ValidationException');
    expect(other.message).to.equal('TimeToLive is active on a different AttributeName: current AttributeName is expiresAt');

    await setTtl(table, false);
    expect(await describeTtl(table)).to.deep.equal({ TimeToLiveStatus: 'DISABLED' });
    const disabledTwice = await rejection(setTtl(table, false), 'ValidationException');
    expect(disabledTwice.message).to.equal('TimeToLive is already disabled');
  });

  it('answers ResourceNotFoundException for a table that does not exist', async () => {
    await rejection(describeTtl('no_such_table'), 'ResourceNotFoundException');
    await rejection(setTtl('no_such_table', true), 'ResourceNotFoundException');
  });

  it('deletes expired items and keeps the others', async () => {
    const table = await createTable(h.client);
    await setTtl(table, true);
    const now = Math.floor(Date.now() / 1000);
    const items = {
      expired: { pk: S('expired'), expiresAt: N(now - 10) },
      future: { pk: S('future'), expiresAt: N(now + 3600) },
      text: { pk: S('text'), expiresAt: S(String(now - 10)) },
      none: { pk: S('none') },
    };
    for (const Item of Object.values(items)) await h.client.send(new PutItemCommand({ TableName: table, Item }));

    const read = async (pk: string) => (await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) } }))).Item;
    expect(await eventually(async () => (await read('expired')) === undefined)).to.equal(true);

    // The sweeper has run at least once since the expired item went; the rest are still there.
    expect(await read('future')).to.deep.equal(items.future);
    expect(await read('text')).to.deep.equal(items.text);
    expect(await read('none')).to.deep.equal(items.none);
  });

  it('deletes nothing on a table without TTL', async () => {
    const table = await createTable(h.client);
    const withTtl = await createTable(h.client);
    await setTtl(withTtl, true);
    const old = N(Math.floor(Date.now() / 1000) - 10);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), expiresAt: old } }));
    await h.client.send(new PutItemCommand({ TableName: withTtl, Item: { pk: S('a'), expiresAt: old } }));
    // Once the TTL table has been swept, the other table has had its chance too.
    const swept = await eventually(async () => !(await h.client.send(new GetItemCommand({ TableName: withTtl, Key: { pk: S('a') } }))).Item);
    expect(swept).to.equal(true);
    const kept = await h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a') } }));
    expect(kept.Item).to.not.equal(undefined);
  });

  it('forgets the setting when the table is deleted', async () => {
    const table = await createTable(h.client);
    await setTtl(table, true);
    await h.client.send(new DeleteTableCommand({ TableName: table }));
    await eventually(async () => {
      try {
        await describeTtl(table);
        return false;
      } catch {
        return true;
      }
    });
    await h.client.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(await describeTtl(table)).to.deep.equal({ TimeToLiveStatus: 'DISABLED' });
  });
});
