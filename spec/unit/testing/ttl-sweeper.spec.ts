import { expect } from 'chai';
import type { DynaliteClient } from '../../../lib/testing/local-dynamo/dynalite-client';
import { ItemChanges } from '../../../lib/testing/local-dynamo/item-changes';
import { RwLock } from '../../../lib/testing/local-dynamo/rw-lock';
import { TtlSettings } from '../../../lib/testing/local-dynamo/tables/time-to-live';
import { TtlSweeper } from '../../../lib/testing/local-dynamo/tables/ttl-sweeper';

// A sweep that began while TTL was on must not delete once TTL is off: the README's snippet on
// expired items disabled TTL right after ensureTable() enabled it, and now and then a sweep
// already under way deleted the expired item it was showing.
describe('local server: the TTL sweeper', () => {
  it('deletes nothing once TTL was disabled during the sweep', async () => {
    const settings = new TtlSettings();
    settings.set('users', 'expiresAt');
    const deleted: unknown[] = [];
    let releaseScan: () => void = () => undefined;
    let sweeper: TtlSweeper | undefined;
    const scanStarted = new Promise<void>((started) => {
      const client = {
        describeTable: async () => ({ TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }),
        scanAll: () => {
          started();
          return new Promise((resolve) => {
            releaseScan = () => resolve([{ id: { S: 'bob' }, expiresAt: { N: '1' } }]);
          });
        },
        call: async (_operation: string, body: unknown) => {
          deleted.push(body);
          return {};
        },
      } as unknown as DynaliteClient;
      sweeper = new TtlSweeper(client, new RwLock(), settings, new ItemChanges(client), 5);
    });
    await scanStarted;
    settings.set('users', undefined); // UpdateTimeToLive { Enabled: false } while the scan runs
    releaseScan();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sweeper!.stop();
    expect(deleted).to.deep.equal([]);
  });
});
