import { expect } from 'chai';
import sinon from 'sinon';
import {
  AfterLoad,
  Attribute,
  BaseModel,
  createTable,
  ensureTable,
  getConnection,
  Model,
  parseStreamEvent,
  PartitionKey,
  SortKey,
  TTL,
  UpdatedAt,
  ValidationError,
  Version,
  type DynamoDBRecord,
  type StreamRecordError,
} from '../../../lib';
import { thrown } from '../../support/thrown';
import { lambdaImage, rawItem, rawScan, recordOf, type RawItem } from './capture';

@Model({ table: 'st_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name!: string;
  @Attribute({ unique: true }) email!: string;
  @Attribute({ type: Number }) age?: number;
  @Attribute({ type: Uint8Array }) avatar?: Uint8Array;
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute({ type: Object }) files?: Record<string, unknown>;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  loadedFromStream?: boolean;
  @AfterLoad() loaded(): void {
    this.loadedFromStream = true;
  }
}

@Model({ table: 'st_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Attribute({ type: Number }) total!: number;
}

// TTL is not enabled on its table (createTable, not ensureTable), so the local server never
// sweeps: an item whose TTL has passed stays readable for the test.
@Model({ table: 'st_sessions' })
class Session extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() userId!: string;
  @TTL() expiresAt!: Date;
}

const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
const table = (name: string) => getConnection().tableName(name);
const userKey = (id: string): RawItem => ({ id: { S: id } });
const bytes = (...values: number[]) => new Uint8Array(values);

describe('parseStreamEvent on records of the local server’s writes', () => {
  before(async () => {
    await ensureTable(User);
    await ensureTable(Order);
    await createTable(Session);
  });

  it('INSERT, MODIFY and REMOVE with both images read as Users, with `changed` right', async () => {
    const user = await User.create({ id: 'u1', name: 'Ann', email: 'ann@example.com', age: 30, tags: new Set(['a']) });
    const inserted = await rawItem('st_users', userKey('u1'));
    user.name = 'Anna';
    user.tags = new Set(['a', 'b']);
    await user.save();
    const modified = await rawItem('st_users', userKey('u1'));
    await user.delete();

    const records = [
      recordOf(table('st_users'), { keys: ['id'], eventName: 'INSERT', newImage: inserted }),
      recordOf(table('st_users'), { keys: ['id'], eventName: 'MODIFY', oldImage: inserted, newImage: modified }),
      recordOf(table('st_users'), { keys: ['id'], eventName: 'REMOVE', oldImage: modified }),
    ];
    const changes = parseStreamEvent({ Records: records }, [User, Order]);
    expect(changes.map((c) => [c.eventName, c.model, c.record])).to.deep.equal([
      ['INSERT', User, records[0]],
      ['MODIFY', User, records[1]],
      ['REMOVE', User, records[2]],
    ]);
    const [insert, modify, remove] = changes as Array<(typeof changes)[number] & { newItem?: User; oldItem?: User }>;

    expect(insert.newItem).to.be.instanceOf(User).and.include({ id: 'u1', name: 'Ann', email: 'ann@example.com', age: 30, version: 1, loadedFromStream: true });
    expect(insert.newItem!.tags).to.deep.equal(new Set(['a']));
    expect(insert.newItem!.updatedAt).to.be.instanceOf(Date);
    expect([insert.oldItem, insert.changed]).to.deep.equal([undefined, []]);

    expect(modify.oldItem).to.include({ name: 'Ann', version: 1 });
    expect(modify.newItem).to.include({ name: 'Anna', version: 2 });
    expect(modify.changed).to.have.members(['name', 'tags', 'updatedAt', 'version']).and.have.length(4);

    expect(remove.newItem).to.equal(undefined);
    expect(remove.oldItem).to.be.instanceOf(User).and.include({ name: 'Anna', version: 2 });
    expect([remove.changed, remove.expired]).to.deep.equal([[], false]);
  });

  it('a MODIFY from the update builder lists the property set and what the write bumps', async () => {
    await User.create({ id: 'u2', name: 'Bo', email: 'bo@example.com' });
    const before = await rawItem('st_users', userKey('u2'));
    await User.update('u2').set('age', 40).execute();
    const after = await rawItem('st_users', userKey('u2'));
    const [change] = parseStreamEvent({ Records: [recordOf(table('st_users'), { keys: ['id'], eventName: 'MODIFY', oldImage: before, newImage: after })] }, [
      User,
    ]);
    expect(change.changed).to.have.members(['age', 'updatedAt', 'version']).and.have.length(3);
    expect([change.oldItem!.age, change.newItem!.age]).to.deep.equal([undefined, 40]);
  });

  it('a TTL removal is `expired`, and its old image is returned although its TTL has passed', async () => {
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    await Session.create({ id: 's1', userId: 'u1', expiresAt: past });
    const stored = await rawItem('st_sessions', { id: { S: 's1' } });
    const ttl = recordOf(table('st_sessions'), { keys: ['id'], eventName: 'REMOVE', oldImage: stored, userIdentity: TTL_IDENTITY });
    const [change] = parseStreamEvent({ Records: [ttl] }, [Session]);
    expect(change).to.include({ eventName: 'REMOVE', model: Session, expired: true, newItem: undefined });
    expect(change.oldItem).to.be.instanceOf(Session).and.include({ id: 's1', userId: 'u1' });
    expect(change.oldItem!.expiresAt.getTime()).to.equal(past.getTime());
  });

  it('KEYS_ONLY records route by their key; guard items and other tables are skipped, in any view type', async () => {
    await User.create({ id: 'u3', name: 'Cy', email: 'cy@example.com' });
    const stored = await rawItem('st_users', userKey('u3'));
    const guards = (await rawScan('st_users')).filter((item) => item.id.S?.startsWith('_dynamorm#'));
    expect(guards.map((g) => g.id.S)).to.include('_dynamorm#unique#st_users#email#cy@example.com');
    const guard = guards.find((g) => g.id.S!.endsWith('#cy@example.com'))!;
    await Order.create({ customerId: 'c1', orderId: 7, total: 12.5 });
    const order = await rawItem('st_orders', { customerId: { S: 'c1' }, orderId: { N: '7' } });

    const records = [
      recordOf(table('st_users'), { keys: ['id'], eventName: 'INSERT', newImage: guard }),
      recordOf(table('st_users'), { keys: ['id'], eventName: 'REMOVE', oldImage: guard, keysOnly: true }),
      recordOf(table('st_users'), { keys: ['id'], eventName: 'MODIFY', oldImage: guard, newImage: guard }),
      recordOf(table('st_orders'), { keys: ['customerId', 'orderId'], eventName: 'INSERT', newImage: order }),
      recordOf(table('st_users'), { keys: ['id'], eventName: 'INSERT', newImage: stored, keysOnly: true }),
    ];
    const onlyUsers = parseStreamEvent({ Records: records }, [User]);
    expect(onlyUsers).to.have.length(1);
    expect(onlyUsers[0]).to.include({ eventName: 'INSERT', model: User, newItem: undefined, oldItem: undefined, expired: false, record: records[4] });
    expect(onlyUsers[0].changed).to.deep.equal([]);

    const both = parseStreamEvent({ Records: records }, [User, Order]);
    expect(both.map((c) => c.model)).to.deep.equal([Order, User]);
    expect(both[0].newItem).to.be.instanceOf(Order).and.include({ customerId: 'c1', orderId: 7, total: 12.5 });
  });

  it('binary at the top, nested in a map and in a list, and a Set, arrive as they were written', async () => {
    const files = { icon: bytes(1, 2, 3), history: [bytes(250, 251), { thumb: bytes(0) }], count: 2 };
    await User.create({ id: 'u4', name: 'Di', email: 'di@example.com', avatar: bytes(9, 9), tags: new Set(['x', 'y']), files });
    const stored = await rawItem('st_users', userKey('u4'));
    const record = recordOf(table('st_users'), { keys: ['id'], eventName: 'INSERT', newImage: stored });
    // As Lambda delivers it: base64 text, nested too.
    expect(record.dynamodb!.NewImage!.files.M!.history.L![0].B).to.equal(Buffer.from([250, 251]).toString('base64'));
    const [change] = parseStreamEvent({ Records: [record] }, [User]);
    const user = change.newItem!;
    expect(user.avatar).to.deep.equal(bytes(9, 9));
    expect(user.tags).to.deep.equal(new Set(['x', 'y']));
    expect(user.files).to.deep.equal(files);
    // The same item from fromImage (SDK output, bytes) and from the stream (base64) is the same model.
    const direct = User.fromImage(stored);
    expect(direct.files).to.deep.equal(files);
    expect(User.fromImage(lambdaImage(stored)).changedAttributes()).to.deep.equal([]);
    expect(direct.avatar).to.deep.equal(user.avatar);
  });

  describe('images that cannot be read as the model', () => {
    let bad: DynamoDBRecord[];
    let good: DynamoDBRecord;

    before(async () => {
      const conn = getConnection();
      // Written by "another service": values a User cannot hold.
      await conn.put({ TableName: conn.tableName('st_users'), Item: { id: 'x1', name: 'X', email: 'x1@example.com', age: 'thirty', version: 1 } });
      await conn.put({ TableName: conn.tableName('st_users'), Item: { id: 'x2', name: 'X', email: 'x2@example.com', updatedAt: 'yesterday', version: 1 } });
      await User.create({ id: 'x3', name: 'X', email: 'x3@example.com' });
      await User.create({ id: 'x4', name: 'X', email: 'x4@example.com', age: 40, files: { sizes: [1, 2] } });
      const [wrongType, undecodable, noKey, numbers] = await Promise.all(['x1', 'x2', 'x3', 'x4'].map((id) => rawItem('st_users', userKey(id))));
      // The server refuses number text it cannot store; a record edited by hand or replayed
      // from elsewhere can still carry it: '' (0 to Number()) and '1e400' (Infinity).
      const malformed: RawItem = { ...numbers, age: { N: '' }, files: { M: { sizes: { L: [{ N: '1' }, { N: '1e400' }] } } } };
      const keyless: RawItem = { ...noKey };
      delete keyless.id;
      const users = table('st_users');
      good = recordOf(users, { keys: ['id'], eventName: 'INSERT', newImage: noKey });
      bad = [
        recordOf(users, { keys: ['id'], eventName: 'INSERT', newImage: wrongType }),
        recordOf(users, { keys: ['id'], eventName: 'MODIFY', oldImage: undecodable, newImage: undecodable }),
        {
          ...recordOf(users, { keys: ['id'], eventName: 'INSERT', newImage: noKey }),
          dynamodb: { Keys: lambdaImage({ id: noKey.id }), NewImage: lambdaImage(keyless), SequenceNumber: '4999000' },
        },
        recordOf(users, { keys: ['id'], eventName: 'MODIFY', oldImage: numbers, newImage: malformed }),
      ];
    });

    it('by default the batch is checked first and the first bad record is thrown with eventID and sequenceNumber', () => {
      const messages = [
        /User id="x1"\): its NewImage cannot be read as a User: User\.age is stored as a string \(S\), which cannot be read as a number/,
        /User id="x2"\): its NewImage cannot be read as a User: User\.updatedAt is stored as a string \(S\)/,
        /User id="x3"\): its NewImage is not a User: it has no 'id', the partition key of User/,
        /User id="x4"\): its NewImage cannot be read as a User: User\.age is stored with the number text "" \(N\), which is not a number DynamoDB stores \(.*\); User\.files is stored with the number text "1e400" \(N\)/,
      ];
      bad.forEach((record, i) => {
        const hook = sinon.spy(User.prototype, 'loaded');
        try {
          const error = thrown(ValidationError, () => parseStreamEvent({ Records: [good, record, good] }, [User])) as StreamRecordError;
          expect(error.message).to.match(messages[i]);
          expect(error.eventID).to.equal(record.eventID);
          expect(error.sequenceNumber).to.equal(record.dynamodb!.SequenceNumber);
          expect(hook.called, 'no hook runs before the batch is checked').to.equal(false);
        } finally {
          hook.restore();
        }
      });
    });

    it("with { onError: 'skip' } each bad record goes to onInvalid and the good ones are returned: nothing is dropped unseen", () => {
      const failures: Array<{ itemIdentifier: string }> = [];
      const records = [good, ...bad, good];
      const changes = parseStreamEvent({ Records: records }, [User], {
        onError: 'skip',
        onInvalid: (record, error) => failures.push({ itemIdentifier: error.sequenceNumber ?? record.eventID! }),
      });
      expect(changes.map((c) => c.record)).to.deep.equal([good, good]);
      expect(failures).to.deep.equal(bad.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })));
      expect(changes.length + failures.length).to.equal(records.length);
    });
  });
});
