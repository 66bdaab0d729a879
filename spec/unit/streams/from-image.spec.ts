import { expect } from 'chai';
import sinon from 'sinon';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { AfterLoad, Attribute, BaseModel, Model, PartitionKey, ValidationError, type RequestLogRecord } from '../../../lib';
import { stubConnection } from '../../../lib/testing';

@Model({ table: 'fi_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) age?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ type: Uint8Array }) avatar?: Uint8Array;
  @Attribute({ set: true }) scores?: Set<number>;
  loaded?: boolean;
  @AfterLoad() markLoaded(): void {
    this.loaded = true;
  }
}

describe('Model.fromImage / Model.fromItem', () => {
  const sandbox = sinon.createSandbox();
  beforeEach(() => stubConnection(sandbox));
  afterEach(() => sandbox.restore());

  it('fromImage reads a stream image (base64 binary) as a persisted model, hooks run', () => {
    const u = User.fromImage({
      id: { S: 'u1' },
      name: { S: 'Ann' },
      age: { N: '30' },
      big: { N: '90071992547409930' },
      avatar: { B: Buffer.from('hi').toString('base64') },
      scores: { NS: ['1', '2.5'] },
    });
    expect(u).to.be.instanceOf(User);
    expect(u).to.include({ id: 'u1', name: 'Ann', age: 30, big: 90071992547409930n, loaded: true });
    expect(u.avatar).to.deep.equal(new Uint8Array(Buffer.from('hi')));
    expect(u.scores).to.deep.equal(new Set([1, 2.5]));
    expect(u.isNew).to.equal(false);
    expect(u.changedAttributes()).to.deep.equal([]);
    u.name = 'Bo';
    expect(u.changedAttributes()).to.deep.equal(['name']);
  });

  it('fromImage also takes client-dynamodb output, binary as bytes (typed as its AttributeValue)', () => {
    const item: Record<string, AttributeValue> = { id: { S: 'u2' }, avatar: { B: new Uint8Array([9, 8]) }, age: { N: '4' } };
    const u = User.fromImage(item);
    expect(u.avatar).to.deep.equal(new Uint8Array([9, 8]));
    expect(u.age).to.equal(4);
  });

  it('fromItem reads a plain item (native values or wrapped numbers); the caller’s object is not kept', () => {
    const item: Record<string, unknown> = { id: 'u3', age: NumberValue.from('41'), big: 7n, scores: new Set([3]) };
    const u = User.fromItem(item);
    expect(u).to.include({ id: 'u3', age: 41, big: 7n, loaded: true });
    item.age = 99;
    expect(u.changedAttributes()).to.deep.equal([]);
  });

  it('undecodable values are read as reads read them: undefined, decodeErrors(), the logger; strictReads throws', () => {
    sandbox.restore();
    const logged: RequestLogRecord[] = [];
    stubConnection(sandbox, { logger: (record) => logged.push(record) });
    const u = User.fromImage({ id: { S: 'u4' }, age: { S: 'old' } });
    expect(u.age).to.equal(undefined);
    expect(u.decodeErrors()).to.deep.equal([
      { property: 'age', attribute: 'age', raw: 'old', message: 'User.age is stored as a string (S), which cannot be read as a number' },
    ]);
    expect(logged.map((r) => r.operation)).to.deep.equal(['Decode']);

    sandbox.restore();
    stubConnection(sandbox, { strictReads: true });
    expect(() => User.fromItem({ id: 'u4', age: 'old' })).to.throw(ValidationError, /User \(id="u4"\): User\.age is stored as a string/);
  });

  it("malformed number text ('abc', '1e400', '', an NS member) is undecodable as any bad value: never NaN, Infinity or 0", () => {
    sandbox.restore();
    const logged: RequestLogRecord[] = [];
    stubConnection(sandbox, { logger: (record) => logged.push(record) });
    const rule = 'which is not a number DynamoDB stores (decimal, at most 38 significant digits, 0 or 1E-130 to 1E+126 in magnitude)';
    const u = User.fromImage({ id: { S: 'u7' }, name: { S: 'Ann' }, age: { N: 'abc' }, big: { N: '' }, scores: { NS: ['1', 'abc'] } });
    expect(u).to.include({ id: 'u7', name: 'Ann', age: undefined, big: undefined, scores: undefined, loaded: true });
    expect(u.decodeErrors().map(({ property, message }) => [property, message])).to.deep.equal([
      ['age', `User.age is stored with the number text "abc" (N), ${rule}`],
      ['big', `User.big is stored with the number text "" (N), ${rule}`],
      ['scores', `User.scores is stored with the number text "abc" (N), ${rule}`],
    ]);
    expect(u.decodeErrors()[2].raw).to.deep.equal(new Set([NumberValue.from('1'), NumberValue.from('abc')]));
    expect(logged.map((r) => r.operation)).to.deep.equal(['Decode']);
    expect(u.changedAttributes()).to.deep.equal([]);

    const fromItem = User.fromItem({ id: 'u8', age: NumberValue.from('1e400') });
    expect(fromItem.age).to.equal(undefined);
    expect(fromItem.decodeErrors()[0].message).to.equal(`User.age is stored with the number text "1e400" (N), ${rule}`);

    sandbox.restore();
    stubConnection(sandbox, { strictReads: true });
    expect(() => User.fromImage({ id: { S: 'u9' }, age: { N: '1e-400' } })).to.throw(
      ValidationError,
      /^User \(id="u9"\): User\.age is stored with the number text "1e-400" \(N\)/,
    );
  });

  it('an item without its key, a unique guard, bad base64 or a malformed image is a ValidationError', () => {
    expect(() => User.fromItem({ name: 'Ann' })).to.throw(ValidationError, /User\.fromItem: the item is not a User: it has no 'id', the partition key of User/);
    expect(() => User.fromItem({ id: '_dynamorm#unique#fi_users#name#Ann' })).to.throw(ValidationError, /one of dynamorm's unique guards, not a User/);
    expect(() => User.fromImage({ id: { S: 'u5' }, avatar: { B: '***' } })).to.throw(
      ValidationError,
      /User\.fromImage: the image cannot be read: avatar is binary \(B\) that is not base64 text/,
    );
    expect(() => User.fromImage({ id: { S: 'u5' }, name: {} })).to.throw(
      ValidationError,
      /User\.fromImage: the image cannot be read: it is not a well-formed AttributeValue map \(No value defined/,
    );
    expect(() => User.fromImage(null as unknown as Record<string, AttributeValue>)).to.throw(
      ValidationError,
      /User\.fromImage: expected an AttributeValue map/,
    );
    expect(() => User.fromItem([] as unknown as Record<string, unknown>)).to.throw(ValidationError, /User\.fromItem: expected an item object/);
  });

  it('are typed through `this` (checked by tsc)', () => {
    const u: User = User.fromItem({ id: 'u6' });
    // @ts-expect-error fromImage takes AttributeValues, not plain values
    expect(() => User.fromImage({ id: 'u6' })).to.throw(ValidationError);
    expect(u.id).to.equal('u6');
  });
});
