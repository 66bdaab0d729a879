import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  DynamormError,
  ItemExistsError,
  ItemNotFoundError,
  Model,
  PartitionKey,
  SortKey,
  TTL,
  UniqueConstraintError,
  ValidationError,
} from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';

@Model({ table: 'unit_ug_members' })
class Member extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'unit_ug_handles' })
class Handle extends BaseModel {
  @PartitionKey() org!: string;
  @SortKey() user!: string;
  @Attribute({ unique: true }) handle!: string;
}

const TABLE = 'test_unit_ug_members';
const guardId = (email: string) => `_dynamorm#unique#unit_ug_members#email#${email}`;

function canceled(...codes: string[]): Error {
  return Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe('unique guards: requests (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  const now = new Date('2026-01-02T03:04:05.678Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const hour = 3600;

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 'test_' });
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
  });
  afterEach(() => sandbox.restore());

  const transactItems = (call = 0) => conn.transactWrite.getCall(call).args[0].TransactItems as Array<Record<string, Record<string, unknown>>>;
  const reserve = (email: string, owner: string, expiresAt?: number) => ({
    Put: {
      TableName: TABLE,
      Item: { id: guardId(email), __dynamorm_unique: 'email', __dynamorm_owner: owner, ...(expiresAt === undefined ? {} : { expiresAt }) },
      ConditionExpression: 'attribute_not_exists(#n1) OR #n2 = :v1 OR #n3 < :v2',
      ExpressionAttributeNames: { '#n1': 'id', '#n2': '__dynamorm_owner', '#n3': 'expiresAt' },
      ExpressionAttributeValues: { ':v1': owner, ':v2': nowSeconds },
    },
  });
  const release = (email: string, owner: string) => ({
    Delete: {
      TableName: TABLE,
      Key: { id: guardId(email) },
      ConditionExpression: 'attribute_not_exists(#n1) OR #n2 = :v1',
      ExpressionAttributeNames: { '#n1': 'id', '#n2': '__dynamorm_owner' },
      ExpressionAttributeValues: { ':v1': owner },
    },
  });
  // The item's own Delete: conditional on the unique value it releases being still its own.
  const ownDelete = {
    Delete: {
      TableName: TABLE,
      Key: { id: '1' },
      ConditionExpression: '#n1 = :v1',
      ExpressionAttributeNames: { '#n1': 'email' },
      ExpressionAttributeValues: { ':v1': 'a@x.co' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
  const loaded = async (item: Record<string, unknown>) => {
    conn.get.resolves({ Item: item });
    return Member.find(String(item.id), { withExpired: true });
  };

  it('create reserves the value with the owner and its expiry', async () => {
    await Member.create({ id: '1', email: 'a@x.co', expiresAt: new Date((nowSeconds + hour) * 1000) });
    expect(conn.put.callCount).to.equal(0);
    const items = transactItems();
    expect(items).to.have.length(2);
    expect(items[0].Put.Item).to.deep.equal({ id: '1', email: 'a@x.co', expiresAt: nowSeconds + hour });
    expect(items[1]).to.deep.equal(reserve('a@x.co', '["1"]', nowSeconds + hour));
  });

  it('a model without @TTL: no expiry clause, no expiry attribute; a sort key table: the constant sort key', async () => {
    await Handle.create({ org: 'acme', user: 'ann', handle: 'annie' });
    expect(transactItems()[1]).to.deep.equal({
      Put: {
        TableName: 'test_unit_ug_handles',
        Item: {
          org: '_dynamorm#unique#unit_ug_handles#handle#annie',
          user: '_dynamorm#unique',
          __dynamorm_unique: 'handle',
          __dynamorm_owner: '["acme","ann"]',
        },
        ConditionExpression: 'attribute_not_exists(#n1) OR #n2 = :v1',
        ExpressionAttributeNames: { '#n1': 'org', '#n2': '__dynamorm_owner' },
        ExpressionAttributeValues: { ':v1': '["acme","ann"]' },
      },
    });
  });

  it('a save that moves only the expiry re-puts the kept guard; one that moves neither sends no guard', async () => {
    const member = await loaded({ id: '1', email: 'a@x.co', expiresAt: nowSeconds + hour });
    await member.update({ expiresAt: new Date((nowSeconds + 2 * hour) * 1000) });
    expect(transactItems(0).slice(1)).to.deep.equal([reserve('a@x.co', '["1"]', nowSeconds + 2 * hour)]);
    await member.update({ expiresAt: undefined });
    expect(transactItems(1).slice(1)).to.deep.equal([reserve('a@x.co', '["1"]')]);
    await member.update({ name: 'Ann' });
    expect([conn.transactWrite.callCount, conn.update.callCount]).to.deep.equal([2, 1]);
  });

  it('a changed value reserves the new one and releases the old one, only if still ours', async () => {
    const member = await loaded({ id: '1', email: 'a@x.co', expiresAt: nowSeconds + hour });
    await member.update({ email: 'b@x.co' });
    expect(transactItems().slice(1)).to.deep.equal([reserve('b@x.co', '["1"]', nowSeconds + hour), release('a@x.co', '["1"]')]);
  });

  it('delete releases, only if still ours', async () => {
    const member = await loaded({ id: '1', email: 'a@x.co' });
    await member.delete();
    expect(transactItems()).to.deep.equal([ownDelete, release('a@x.co', '["1"]')]);
  });

  it('save and delete check that the values they release are still the stored ones (a stale instance would leak a guard)', async () => {
    const member = await loaded({ id: '1', email: 'a@x.co', expiresAt: nowSeconds + hour });
    await member.update({ email: 'b@x.co' });
    const update = transactItems()[0].Update as {
      ConditionExpression: string;
      ExpressionAttributeNames: object;
      ExpressionAttributeValues: Record<string, unknown>;
    };
    expect(update.ConditionExpression).to.equal('attribute_exists(#n1) AND #n2 = :v1');
    expect(update.ExpressionAttributeNames).to.include({ '#n1': 'id', '#n2': 'email' });
    expect(update.ExpressionAttributeValues[':v1']).to.equal('a@x.co');
  });

  it('delete of an instance never loaded reads the item first, so its guards are released too', async () => {
    conn.get.resolves({ Item: { id: '1', email: 'a@x.co' } });
    await Member.build({ id: '1' }).delete();
    expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: TABLE, Key: { id: '1' }, ConsistentRead: true });
    expect(transactItems()).to.deep.equal([ownDelete, release('a@x.co', '["1"]')]);
  });

  describe('a release another item holds now', () => {
    it('is dropped and the write sent once more', async () => {
      const member = await loaded({ id: '1', email: 'a@x.co', expiresAt: nowSeconds - hour });
      conn.transactWrite.onFirstCall().rejects(canceled('None', 'None', 'ConditionalCheckFailed'));
      await member.update({ email: 'b@x.co' });
      expect(conn.transactWrite.callCount).to.equal(2);
      expect(transactItems(1)).to.deep.equal(transactItems(0).slice(0, 2));
      expect(member.email).to.equal('b@x.co');
    });

    it('on delete, leaves a plain DeleteItem', async () => {
      const member = await loaded({ id: '1', email: 'a@x.co' });
      conn.transactWrite.rejects(canceled('None', 'ConditionalCheckFailed'));
      await member.delete();
      expect(conn.transactWrite.callCount).to.equal(1);
      expect(conn.delete.firstCall.args[0]).to.deep.equal(ownDelete.Delete);
    });

    it('is resent once only, and not at all when something else failed too', async () => {
      const member = await loaded({ id: '1', email: 'a@x.co' });
      conn.transactWrite.rejects(canceled('None', 'None', 'ConditionalCheckFailed'));
      const twice = await member.update({ email: 'b@x.co' }).catch((e: unknown) => e);
      expect(conn.transactWrite.callCount).to.equal(2);
      expect(twice).to.be.instanceOf(DynamormError).and.not.instanceOf(UniqueConstraintError);

      conn.transactWrite.resetHistory();
      conn.transactWrite.rejects(canceled('None', 'TransactionConflict', 'ConditionalCheckFailed'));
      const conflict = await member.update({ email: 'c@x.co' }).catch((e: unknown) => e);
      expect(conn.transactWrite.callCount).to.equal(1);
      expect(conflict).to.be.instanceOf(DynamormError).and.not.instanceOf(UniqueConstraintError);
    });
  });

  it('maps cancellations: the item itself to its own error, a reserve to UniqueConstraintError', async () => {
    conn.transactWrite.rejects(canceled('ConditionalCheckFailed', 'None'));
    expect(await Member.create({ id: '1', email: 'a@x.co' }).catch((e: unknown) => e)).to.be.instanceOf(ItemExistsError);

    conn.transactWrite.rejects(canceled('None', 'ConditionalCheckFailed'));
    const taken = await Member.create({ id: '1', email: 'a@x.co' }).catch((e: unknown) => e);
    expect(taken).to.be.instanceOf(UniqueConstraintError);
    expect((taken as UniqueConstraintError).attribute).to.equal('email');
    expect((taken as Error).message).to.contain('"a@x.co" is taken');

    const member = await loaded({ id: '1', email: 'a@x.co' });
    conn.transactWrite.rejects(canceled('ConditionalCheckFailed', 'None', 'None'));
    conn.get.resolves({});
    expect(await member.update({ email: 'b@x.co' }).catch((e: unknown) => e)).to.be.instanceOf(ItemNotFoundError);
  });

  it('a guard key over 2048 bytes is a ValidationError naming the model and attribute, before any request', async () => {
    const prefix = guardId('');
    const err = await Member.create({ id: '1', email: 'é'.repeat(1100 - prefix.length) }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as Error).message).to.match(/^Member\.email: the unique guard key value is \d+ bytes, over DynamoDB's limit of 2048 bytes for a partition key/);
    expect([conn.put.callCount, conn.transactWrite.callCount]).to.deep.equal([0, 0]);
  });
});
