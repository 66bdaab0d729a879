import { expect } from 'chai';
import sinon from 'sinon';
import {
  AfterLoad,
  Attribute,
  BaseModel,
  DynamormError,
  Model,
  ModelDefinitionError,
  parseStreamEvent,
  PartitionKey,
  SortKey,
  TTL,
  ValidationError,
  type DynamoDBRecord,
  type StreamChange,
  type StreamRecordError,
} from '../../../lib';
import { stubConnection } from '../../../lib/testing';
import { thrown } from '../../support/thrown';
import { arnOf, streamRecord, TTL_IDENTITY } from './records';

@Model({ table: 'su_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) age?: number;
  @Attribute({ unique: true }) email?: string;
  @Attribute({ type: Uint8Array }) avatar?: Uint8Array;
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute({ type: Object }) profile?: Record<string, unknown>;
  @Attribute({ set: true }) scores?: Set<number>;
  @TTL() expiresAt?: Date;
  loads?: number;
  @AfterLoad() counted(): void {
    this.loads = (this.loads ?? 0) + 1;
  }
}

@Model({ table: 'su_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Number }) orderId!: number;
  @Attribute({ type: Number }) total?: number;
}

// Another class on User's table: a batch cannot tell their records apart.
@Model({ table: 'su_users' })
class UserView extends BaseModel {
  @PartitionKey() id!: string;
}

@Model({ table: 'su_async' })
class AsyncLoad extends BaseModel {
  @PartitionKey() id!: string;
  @AfterLoad() async later(): Promise<void> {
    await Promise.resolve();
  }
}

// @types/aws-lambda's shapes (trigger/dynamodb-stream.d.ts), copied: an event typed with them
// must be accepted as it is (checked by tsc below).
// eslint-disable-next-line @typescript-eslint/no-namespace -- types only, kept together under one name as the copy of the package's shapes
namespace AwsLambda {
  export interface AttributeValue {
    B?: string | undefined;
    BS?: string[] | undefined;
    BOOL?: boolean | undefined;
    L?: AttributeValue[] | undefined;
    M?: Record<string, AttributeValue> | undefined;
    N?: string | undefined;
    NS?: string[] | undefined;
    NULL?: boolean | undefined;
    S?: string | undefined;
    SS?: string[] | undefined;
  }
  export interface StreamRecord {
    ApproximateCreationDateTime?: number | undefined;
    Keys?: Record<string, AttributeValue> | undefined;
    NewImage?: Record<string, AttributeValue> | undefined;
    OldImage?: Record<string, AttributeValue> | undefined;
    SequenceNumber?: string | undefined;
    SizeBytes?: number | undefined;
    StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | undefined;
  }
  export interface DynamoDBRecord {
    awsRegion?: string | undefined;
    dynamodb?: StreamRecord | undefined;
    eventID?: string | undefined;
    eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined;
    eventSource?: string | undefined;
    eventSourceARN?: string | undefined;
    eventVersion?: string | undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as @types/aws-lambda declares it: an event typed so must be accepted
    userIdentity?: any;
  }
  export interface DynamoDBStreamEvent {
    Records: DynamoDBRecord[];
  }
}

const user = (id: string, more: Record<string, object> = {}) => ({ id: { S: id }, name: { S: 'Ann' }, age: { N: '30' }, ...more });

describe('parseStreamEvent (hand-built records)', () => {
  const sandbox = sinon.createSandbox();
  beforeEach(() => stubConnection(sandbox));
  afterEach(() => sandbox.restore());

  it('reads INSERT, MODIFY and REMOVE as changes of the model whose table the ARN names', () => {
    const insert = streamRecord({ table: 'su_users', newImage: user('u1') });
    const modify = streamRecord({ table: 'su_users', oldImage: user('u1'), newImage: user('u1', { age: { N: '31' }, name: { S: 'Ann' } }) });
    const remove = streamRecord({ table: 'su_users', oldImage: user('u1', { age: { N: '31' } }) });
    const order = streamRecord({
      table: 'su_orders',
      keys: { customerId: { S: 'c1' }, orderId: { N: '7' } },
      newImage: { customerId: { S: 'c1' }, orderId: { N: '7' }, total: { N: '12.5' } },
    });
    const changes = parseStreamEvent({ Records: [insert, modify, remove, order] }, [User, Order]);

    expect(changes.map((c) => [c.eventName, c.model, c.record])).to.deep.equal([
      ['INSERT', User, insert],
      ['MODIFY', User, modify],
      ['REMOVE', User, remove],
      ['INSERT', Order, order],
    ]);
    const [created, modified, removed, ordered] = changes;
    expect(created.newItem).to.be.instanceOf(User);
    expect(created.oldItem).to.equal(undefined);
    expect(created.newItem).to.include({ id: 'u1', name: 'Ann', age: 30, loads: 1 });
    expect(created.changed).to.deep.equal([]);
    expect(modified.changed).to.deep.equal(['age']);
    expect([(modified.oldItem as User).age, (modified.newItem as User).age]).to.deep.equal([30, 31]);
    expect(removed.newItem).to.equal(undefined);
    expect(removed.oldItem).to.include({ id: 'u1', age: 31 });
    expect(removed.expired).to.equal(false);
    expect(ordered.newItem).to.be.instanceOf(Order).and.include({ customerId: 'c1', orderId: 7, total: 12.5 });
    // Built like a read: persisted, nothing changed since.
    expect(created.newItem?.isNew).to.equal(false);
    expect(created.newItem?.changedAttributes()).to.deep.equal([]);
  });

  it('uses the connection’s tablePrefix to match the ARN’s table', () => {
    sandbox.restore();
    stubConnection(sandbox, { tablePrefix: 'dev_' });
    const prefixed = streamRecord({ table: 'dev_su_users', newImage: user('u1') });
    const unprefixed = streamRecord({ table: 'su_users', newImage: user('u2') });
    const changes = parseStreamEvent({ Records: [prefixed, unprefixed] }, [User]);
    expect(changes.map((c) => c.newItem?.id)).to.deep.equal(['u1']);
  });

  it('skips records of other tables, and unique guards by their key (two images, one image, KEYS_ONLY)', () => {
    const guardKey = { id: { S: '_dynamorm#unique#su_users#email#ann@example.com' } };
    const guard = { ...guardKey, __dynamorm_unique: { S: 'email' }, __dynamorm_owner: { S: '["u1"]' } };
    const records = [
      streamRecord({ table: 'other_table', newImage: user('x') }),
      streamRecord({ table: 'su_users', newImage: guard }),
      streamRecord({ table: 'su_users', oldImage: guard, newImage: guard }),
      streamRecord({ table: 'su_users', eventName: 'REMOVE', keys: guardKey }),
      streamRecord({ table: 'su_users', eventName: 'INSERT', keys: { id: { S: 'u9' } } }),
    ];
    const changes = parseStreamEvent({ Records: records }, [User]);
    expect(changes).to.have.length(1);
    const [keysOnly] = changes;
    expect(keysOnly).to.include({ eventName: 'INSERT', model: User, newItem: undefined, oldItem: undefined, expired: false });
    expect(keysOnly.changed).to.deep.equal([]);
  });

  it('marks REMOVEs made by TTL as expired, and returns items whose TTL has passed', () => {
    const past = { expiresAt: { N: String(Math.floor(Date.now() / 1000) - 3600) } };
    const ttl = streamRecord({ table: 'su_users', oldImage: user('u1', past), userIdentity: TTL_IDENTITY });
    const byUser = streamRecord({ table: 'su_users', oldImage: user('u2', past), userIdentity: { type: 'Service', principalId: 'someone.else' } });
    const [expired, deleted] = parseStreamEvent({ Records: [ttl, byUser] }, [User]);
    expect(expired.expired).to.equal(true);
    expect(expired.oldItem?.expiresAt?.getTime()).to.be.below(Date.now());
    expect(deleted.expired).to.equal(false);
  });

  it('decodes base64 binary at every depth, and sets', () => {
    const bytes = Buffer.from([0, 1, 2, 250]).toString('base64');
    const image = user('u1', {
      avatar: { B: bytes },
      tags: { SS: ['a', 'b'] },
      profile: { M: { photo: { B: bytes }, thumbs: { L: [{ B: bytes }, { M: { raw: { BS: [bytes] } } }] } } },
    });
    const [change] = parseStreamEvent({ Records: [streamRecord({ table: 'su_users', newImage: image })] }, [User]);
    const item = change.newItem!;
    expect(item.avatar).to.deep.equal(new Uint8Array([0, 1, 2, 250]));
    expect(item.tags).to.deep.equal(new Set(['a', 'b']));
    const profile = item.profile as { photo: Uint8Array; thumbs: [Uint8Array, { raw: Set<Uint8Array> }] };
    expect(profile.photo).to.deep.equal(new Uint8Array([0, 1, 2, 250]));
    expect(profile.thumbs[0]).to.deep.equal(new Uint8Array([0, 1, 2, 250]));
    expect([...profile.thumbs[1].raw]).to.deep.equal([new Uint8Array([0, 1, 2, 250])]);
  });

  it('lists in `changed` the properties whose values differ, compared as values (sets, binary, maps)', () => {
    const bytes = (b: number[]) => ({ B: Buffer.from(b).toString('base64') });
    const before = user('u1', { tags: { SS: ['a', 'b'] }, avatar: bytes([1]), profile: { M: { a: { N: '1' } } } });
    const same = user('u1', { tags: { SS: ['b', 'a'] }, avatar: bytes([1]), profile: { M: { a: { N: '1' } } } });
    const after = user('u1', { name: { S: 'Bo' }, tags: { SS: ['a'] }, avatar: bytes([2]), profile: { M: { a: { N: '2' } } } });
    const [unchanged, changed] = parseStreamEvent(
      {
        Records: [
          streamRecord({ table: 'su_users', oldImage: before, newImage: same }),
          streamRecord({ table: 'su_users', oldImage: before, newImage: after }),
        ],
      },
      [User],
    );
    expect(unchanged.changed).to.deep.equal([]);
    expect(changed.changed).to.deep.equal(['name', 'avatar', 'tags', 'profile']);
  });

  describe('records that cannot be read as their model', () => {
    const good = () => streamRecord({ table: 'su_users', newImage: user('ok') });
    const bad = (): Array<[string, DynamoDBRecord, RegExp]> => [
      [
        'a wrong type',
        streamRecord({ table: 'su_users', newImage: user('u1', { age: { S: 'thirty' } }) }),
        /its NewImage cannot be read as a User: User\.age is stored as a string \(S\), which cannot be read as a number/,
      ],
      [
        'an undecodable value',
        streamRecord({ table: 'su_users', oldImage: user('u1', { expiresAt: { S: 'not a date' } }), newImage: user('u1') }),
        /its OldImage cannot be read as a User: User\.expiresAt is stored as a string \(S\), which is not a valid date/,
      ],
      [
        'bad base64',
        streamRecord({ table: 'su_users', newImage: user('u1', { profile: { M: { photo: { B: 'not base64!' } } } }) }),
        /its NewImage cannot be read: profile\.photo is binary \(B\) that is not base64 text/,
      ],
      [
        'a missing key in the image',
        streamRecord({ table: 'su_users', keys: { id: { S: 'u1' } }, newImage: { name: { S: 'Ann' } } }),
        /its NewImage is not a User: it has no 'id', the partition key of User/,
      ],
      [
        'a missing key',
        streamRecord({ table: 'su_orders', keys: { customerId: { S: 'c1' } } }),
        /its key is not a Order key: it has no 'orderId', the sort key of Order/,
      ],
      [
        'a key of the wrong type',
        streamRecord({ table: 'su_orders', keys: { customerId: { S: 'c1' }, orderId: { S: 'seven' } } }),
        /its key cannot be read as a Order: Order\.orderId is stored as a string \(S\)/,
      ],
      // Number text DynamoDB could not have stored: NaN, Infinity or 0 to Number(), undecodable here.
      [
        'a malformed number',
        streamRecord({ table: 'su_users', newImage: user('u1', { age: { N: 'abc' } }) }),
        /its NewImage cannot be read as a User: User\.age is stored with the number text "abc" \(N\), which is not a number DynamoDB stores/,
      ],
      [
        'an empty number',
        streamRecord({ table: 'su_users', oldImage: user('u1', { age: { N: '' } }), newImage: user('u1') }),
        /its OldImage cannot be read as a User: User\.age is stored with the number text "" \(N\)/,
      ],
      [
        'a number past DynamoDB’s range',
        streamRecord({ table: 'su_users', newImage: user('u1', { age: { N: '1e400' } }) }),
        /its NewImage cannot be read as a User: User\.age is stored with the number text "1e400" \(N\)/,
      ],
      [
        'a number set with a malformed member',
        streamRecord({ table: 'su_users', newImage: user('u1', { scores: { NS: ['1', 'abc'] } }) }),
        /User\.scores is stored with the number text "abc" \(N\)/,
      ],
      [
        'a malformed number inside a map',
        streamRecord({ table: 'su_users', newImage: user('u1', { profile: { M: { a: { L: [{ N: '1e-400' }] } } } }) }),
        /User\.profile is stored with the number text "1e-400" \(N\)/,
      ],
      [
        'a malformed @TTL',
        streamRecord({ table: 'su_users', oldImage: user('u1', { expiresAt: { N: '' } }), userIdentity: TTL_IDENTITY }),
        /its OldImage cannot be read as a User: User\.expiresAt is stored with the number text "" \(N\)/,
      ],
      [
        'a malformed number key',
        streamRecord({ table: 'su_orders', keys: { customerId: { S: 'c1' }, orderId: { N: '0x10' } } }),
        /its key cannot be read as a Order: Order\.orderId is stored with the number text "0x10" \(N\)/,
      ],
      [
        'a malformed AttributeValue',
        streamRecord({ table: 'su_users', newImage: user('u1', { name: { X: 'y' } }) }),
        /its NewImage cannot be read: it is not a well-formed AttributeValue map/,
      ],
      [
        'an unknown eventName',
        { ...streamRecord({ table: 'su_users', newImage: user('u1') }), eventName: 'UPSERT' as 'INSERT' },
        /its eventName "UPSERT" is not INSERT, MODIFY or REMOVE/,
      ],
      ['a record without dynamodb data', { ...streamRecord({ table: 'su_users', newImage: user('u1') }), dynamodb: undefined }, /it has no dynamodb data/],
      [
        'a record with no Keys and no image',
        { ...streamRecord({ table: 'su_users', newImage: user('u1') }), dynamodb: { SequenceNumber: '1' } },
        /it has no Keys and no image/,
      ],
      [
        'Keys that are not a map',
        { ...streamRecord({ table: 'su_users', newImage: user('u1') }), dynamodb: { Keys: 'u1' as never, SequenceNumber: '2' } },
        /its Keys is not an AttributeValue map/,
      ],
      [
        'an ARN that is not a stream’s',
        { ...streamRecord({ table: 'su_users', newImage: user('u1') }), eventSourceARN: 'arn:aws:kinesis:eu-west-1:1:stream/x' },
        /cannot be routed, its eventSourceARN "arn:aws:kinesis/,
      ],
    ];

    for (const [what, record, message] of bad()) {
      it(`${what}: throws a ValidationError with the record’s eventID and sequenceNumber, before any hook runs`, () => {
        const before = good();
        const hook = sandbox.spy(User.prototype, 'counted');
        const error = thrown(ValidationError, () => parseStreamEvent({ Records: [before, record, good()] }, [User, Order])) as StreamRecordError;
        expect(error).to.be.instanceOf(ValidationError);
        expect(error.message).to.match(message);
        const sequence = record.dynamodb?.SequenceNumber;
        expect(error.message).to.include(`stream record ${record.eventID}${sequence ? ` (SequenceNumber ${sequence})` : ''}`);
        expect(error.eventID).to.equal(record.eventID);
        expect(error.sequenceNumber).to.equal(sequence);
        expect(hook.called).to.equal(false);
      });

      it(`${what}: with onError 'skip', goes to onInvalid and is left out`, () => {
        const onInvalid = sinon.spy();
        const records = [good(), record, good()];
        const changes = parseStreamEvent({ Records: records }, [User, Order], { onError: 'skip', onInvalid });
        expect(changes.map((c) => c.record)).to.deep.equal([records[0], records[2]]);
        expect(onInvalid.callCount).to.equal(1);
        const [seen, error] = onInvalid.firstCall.args as [DynamoDBRecord, StreamRecordError];
        expect(seen).to.equal(record);
        expect(error).to.be.instanceOf(ValidationError);
        expect(error.message).to.match(message);
        expect([error.eventID, error.sequenceNumber]).to.deep.equal([record.eventID, record.dynamodb?.SequenceNumber]);
      });
    }

    it('names the model and key, and carries the decode issues in .errors', () => {
      const record = streamRecord({ table: 'su_users', newImage: user('u1', { age: { S: 'thirty' } }) });
      const error = thrown(ValidationError, () => parseStreamEvent({ Records: [record] }, [User])) as StreamRecordError;
      expect(error.message).to.match(
        /^Invalid stream record evt-\d+ \(SequenceNumber \d+\) of table su_users \(User id="u1"\): its NewImage cannot be read as a User: User\.age/,
      );
      expect(error.errors).to.deep.equal([
        { property: 'age', value: 'thirty', constraints: { decode: 'User.age is stored as a string (S), which cannot be read as a number' } },
      ]);
    });

    it('carries a malformed number’s text in .errors, and names the key', () => {
      const record = streamRecord({
        table: 'su_orders',
        keys: { customerId: { S: 'c1' }, orderId: { N: '7' } },
        newImage: { customerId: { S: 'c1' }, orderId: { N: '7' }, total: { N: '' } },
      });
      const error = thrown(ValidationError, () => parseStreamEvent({ Records: [record] }, [Order])) as StreamRecordError;
      expect(error.message).to.match(
        /of table su_orders \(Order customerId="c1", orderId=7\): its NewImage cannot be read as a Order: Order\.total is stored with the number text "" \(N\)/,
      );
      expect(error.errors).to.have.length(1);
      expect(error.errors[0]).to.include({ property: 'total' });
      expect(String(error.errors[0].value)).to.equal('');
      expect(error.errors[0].constraints!.decode).to.match(/^Order\.total is stored with the number text "" \(N\), which is not a number DynamoDB stores/);
    });

    it('throws the first unreadable record and says how many more there are', () => {
      const records = [good(), bad()[0][1], bad()[1][1], bad()[2][1]];
      const error = thrown(ValidationError, () => parseStreamEvent({ Records: records }, [User])) as StreamRecordError;
      expect(error.eventID).to.equal(records[1].eventID);
      expect(error.message).to.match(/ 2 more records of this batch cannot be read either\.$/);
    });

    it('with onError skip, every unreadable record reaches onInvalid, in order', () => {
      const records = [bad()[0][1], good(), bad()[2][1]];
      const seen: string[] = [];
      const changes = parseStreamEvent({ Records: records }, [User], {
        onError: 'skip',
        onInvalid: (record, error) => seen.push(`${record.eventID}=${error.sequenceNumber}`),
      });
      expect(changes).to.have.length(1);
      expect(seen).to.deep.equal([
        `${records[0].eventID}=${records[0].dynamodb!.SequenceNumber}`,
        `${records[2].eventID}=${records[2].dynamodb!.SequenceNumber}`,
      ]);
    });
  });

  it('accounts for every record: returned, skipped by rule (another table, a guard), or reported', () => {
    const records: DynamoDBRecord[] = [
      streamRecord({ table: 'su_users', newImage: user('u1') }),
      streamRecord({ table: 'elsewhere', newImage: user('u2') }),
      streamRecord({ table: 'su_users', keys: { id: { S: '_dynamorm#unique#su_users#email#a@b.co' } } }),
      streamRecord({ table: 'su_users', newImage: user('u3', { age: { BOOL: true } }) }),
      { ...streamRecord({ table: 'su_users', newImage: user('u4') }), eventSourceARN: undefined },
      null as unknown as DynamoDBRecord,
    ];
    const reported: Array<DynamoDBRecord | null> = [];
    const changes = parseStreamEvent({ Records: records }, [User], { onError: 'skip', onInvalid: (record) => reported.push(record) });
    expect(changes.map((c) => c.record)).to.deep.equal([records[0]]);
    expect(reported).to.deep.equal([records[3], records[4], null]);
    const error = thrown(ValidationError, () => parseStreamEvent({ Records: [null as unknown as DynamoDBRecord] }, [User])) as StreamRecordError;
    expect(error.message).to.equal('Invalid stream record: it is not an object but null.');
    expect([error.eventID, error.sequenceNumber]).to.deep.equal([undefined, undefined]);
  });

  describe('wrong calls', () => {
    it('onError skip without onInvalid, or an unknown onError, is a DynamormError (no record dropped unseen)', () => {
      const event = { Records: [streamRecord({ table: 'su_users', newImage: user('u1') })] };
      const noCallback = { onError: 'skip' } as unknown as Parameters<typeof parseStreamEvent>[2];
      expect(() => parseStreamEvent(event, [User], noCallback)).to.throw(DynamormError, /needs an onInvalid\(record, error\) callback/);
      const unknown = { onError: 'ignore' } as unknown as Parameters<typeof parseStreamEvent>[2];
      expect(() => parseStreamEvent(event, [User], unknown)).to.throw(DynamormError, /onError is 'throw' or 'skip', not "ignore"/);
    });

    it('no models, two models of one table, or an event without Records are errors', () => {
      const event = { Records: [] };
      expect(() => parseStreamEvent(event, [])).to.throw(DynamormError, /give the model classes/);
      expect(() => parseStreamEvent(event, [User, UserView])).to.throw(DynamormError, /User and UserView are both stored in table su_users/);
      expect(parseStreamEvent(event, [User, User])).to.deep.equal([]);
      expect(() => parseStreamEvent({} as { Records: [] }, [User])).to.throw(ValidationError, /the event has no Records array/);
    });

    it('an async @AfterLoad hook is a ModelDefinitionError (the result is synchronous)', () => {
      const event = { Records: [streamRecord({ table: 'su_async', newImage: { id: { S: 'a1' } } })] };
      expect(() => parseStreamEvent(event, [AsyncLoad])).to.throw(
        ModelDefinitionError,
        /AsyncLoad\.later is an async @AfterLoad hook, and parseStreamEvent builds models synchronously/,
      );
    });
  });

  it('types each change by its model (checked by tsc)', () => {
    const changes = parseStreamEvent({ Records: [streamRecord({ table: 'su_users', newImage: user('u1') })] }, [User, Order]);
    const change: StreamChange<User> | StreamChange<Order> = changes[0];
    if (change.newItem instanceof User) {
      const name: string | undefined = change.newItem.name;
      expect(name).to.equal('Ann');
    }
    // @ts-expect-error an Order change is not a User change
    const onlyUsers: Array<StreamChange<User>> = changes;
    expect(onlyUsers).to.have.length(1);
    const users = parseStreamEvent({ Records: [] }, [User]);
    const first: User | undefined = users[0]?.newItem;
    expect(first).to.equal(undefined);
    // `changed` is plain strings, so it can be searched on a change of either model.
    expect(changes[0].changed.includes('email')).to.equal(false);
    expect(arnOf('t')).to.match(/table\/t\/stream\//);
    const lambdaEvent: AwsLambda.DynamoDBStreamEvent = { Records: [streamRecord({ table: 'su_users', newImage: user('u1') }) as AwsLambda.DynamoDBRecord] };
    expect(parseStreamEvent(lambdaEvent, [User])).to.have.length(1);
    const image: Record<string, AwsLambda.AttributeValue> = { id: { S: 'u7' } };
    expect(User.fromImage(image).id).to.equal('u7');
  });
});
