import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { imageToItem, UnreadableImage } from '../../../lib/streams/image-to-item';
import { tableOfArn } from '../../../lib/streams/table-of-arn';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

describe('imageToItem (stream images to DocumentClient items)', () => {
  it('decodes base64 B and BS at every depth, into Uint8Arrays', () => {
    const item = imageToItem({
      top: { B: b64([1]) },
      set: { BS: [b64([2]), b64([3, 4])] },
      map: { M: { inner: { B: b64([5]) }, list: { L: [{ B: b64([6]) }, { M: { deep: { BS: [b64([7])] } } }, { S: 'text' }] } } },
    });
    expect(item.top).to.deep.equal(new Uint8Array([1]));
    expect(Object.getPrototypeOf(item.top)).to.equal(Uint8Array.prototype);
    expect(item.set).to.deep.equal(new Set([new Uint8Array([2]), new Uint8Array([3, 4])]));
    const map = item.map as { inner: Uint8Array; list: [Uint8Array, { deep: Set<Uint8Array> }, string] };
    expect(map.inner).to.deep.equal(new Uint8Array([5]));
    expect(map.list[0]).to.deep.equal(new Uint8Array([6]));
    expect([...map.list[1].deep]).to.deep.equal([new Uint8Array([7])]);
    expect(map.list[2]).to.equal('text');
  });

  it('keeps binary that is already bytes, and wraps numbers as the connection’s reads do', () => {
    const bytes = new Uint8Array([1, 2]);
    const item = imageToItem({ b: { B: bytes }, n: { N: '12345678901234567890' }, ns: { NS: ['1'] }, nul: { NULL: true }, ok: { BOOL: false } });
    expect(item.b).to.equal(bytes);
    expect(item.n).to.be.instanceOf(NumberValue);
    expect((item.n as NumberValue).value).to.equal('12345678901234567890');
    expect([...(item.ns as Set<NumberValue>)][0]).to.be.instanceOf(NumberValue);
    expect([item.nul, item.ok]).to.deep.equal([null, false]);
  });

  it('refuses text that is not base64, and AttributeValues it cannot read, naming where', () => {
    expect(() => imageToItem({ m: { M: { x: { L: [{ B: 'abc' }] } } } })).to.throw(UnreadableImage, 'm.x[0] is binary (B) that is not base64 text');
    expect(() => imageToItem({ s: { BS: ['AA==', 'A==='] } })).to.throw(UnreadableImage, 's[1] is binary (B) that is not base64 text');
    expect(() => imageToItem({ s: { Q: 'x' } as never })).to.throw(UnreadableImage, /not a well-formed AttributeValue map \(Unsupported type passed: Q\)/);
    expect(() => imageToItem({ s: 'x' as never })).to.throw(UnreadableImage, 's is not an AttributeValue');
  });
});

describe('tableOfArn', () => {
  it('reads the table of a DynamoDB stream ARN, and nothing else', () => {
    expect(tableOfArn('arn:aws:dynamodb:us-east-1:123456789012:table/dev_users/stream/2024-01-01T00:00:00.000')).to.equal('dev_users');
    expect(tableOfArn('arn:aws-cn:dynamodb:cn-north-1:1:table/t.x-y/stream/label')).to.equal('t.x-y');
    expect(tableOfArn('arn:aws:dynamodb:us-east-1:1:table/users')).to.equal(undefined);
    expect(tableOfArn('arn:aws:kinesis:us-east-1:1:stream/users')).to.equal(undefined);
    expect(tableOfArn(undefined)).to.equal(undefined);
  });
});
