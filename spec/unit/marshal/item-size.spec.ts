import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Attribute, BaseModel, Model, PartitionKey, ValidationError } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { checkItemSize, toItem } from '../../../lib/marshal/item-codec';
import { itemSize, MAX_ITEM_BYTES, valueSize } from '../../../lib/marshal/item-size';

// DESIGN §11: an item over 400 KB (DynamoDB's accounting: UTF-8 bytes of names and values)
// is a ValidationError before sending.

@Model({ table: 'mis_docs' })
class Doc extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() body?: unknown;
  @Attribute() extra?: unknown;
}

const schema = resolveModel(Doc);
const KB = 1024;

function check(attrs: Partial<Doc>): void {
  const item = toItem(schema, Object.assign(new Doc(), { id: 'd' }, attrs));
  checkItemSize(schema, item);
}

describe('marshal: item size', () => {
  it('the limit is 400 KB', () => {
    expect(MAX_ITEM_BYTES).to.equal(409_600);
  });

  describe('valueSize / itemSize', () => {
    it('strings count UTF-8 bytes, not characters', () => {
      expect(valueSize('abc')).to.equal(3);
      expect(valueSize('é')).to.equal(2);
      expect(valueSize('€')).to.equal(3);
      expect(valueSize('😀')).to.equal(4);
      expect(valueSize('')).to.equal(0);
    });

    it('attribute names count too, in UTF-8 bytes', () => {
      expect(itemSize({ id: 'd' })).to.equal(3);
      expect(itemSize({ né: 'ü' })).to.equal(5);
      expect(itemSize({ a: 'xy', b: undefined })).to.equal(3);
    });

    it('numbers: one byte per two significant digits, plus one', () => {
      expect(valueSize(0)).to.equal(2);
      expect(valueSize(7)).to.equal(2);
      expect(valueSize(12)).to.equal(2);
      expect(valueSize(123)).to.equal(3);
      expect(valueSize(-12345)).to.equal(4);
      expect(valueSize(1000000)).to.equal(2);
      expect(valueSize(0.000123)).to.equal(3);
      expect(valueSize(1.5e-7)).to.equal(2);
      expect(valueSize(10n ** 37n + 1n)).to.equal(20);
      expect(valueSize(new NumberValue('12345678901234567890'))).to.equal(11);
    });

    it('binary counts its bytes; booleans and null one byte', () => {
      expect(valueSize(new Uint8Array(10))).to.equal(10);
      expect(valueSize(Buffer.from('héllo'))).to.equal(6);
      expect(valueSize(true)).to.equal(1);
      expect(valueSize(null)).to.equal(1);
    });

    it('sets sum their members; lists and maps add 3 bytes plus one per element (maps count keys)', () => {
      expect(valueSize(new Set(['ab', 'c']))).to.equal(3);
      expect(valueSize(['ab', 'c'])).to.equal(3 + 3 + 2);
      expect(valueSize([])).to.equal(3);
      expect(valueSize({})).to.equal(3);
      expect(valueSize({ ab: 'cd', e: undefined })).to.equal(3 + 2 + 2 + 1);
      expect(valueSize({ a: { b: ['c'] } })).to.equal(3 + (1 + (3 + (1 + (3 + 1 + 1) + 1)) + 1));
    });

    it("a map whose only key is 'value' is a map, not a number", () => {
      const big = 'x'.repeat(1000);
      expect(valueSize({ value: big })).to.equal(3 + 5 + 1000 + 1);
      expect(itemSize({ doc: { value: 'x'.repeat(410 * KB) } })).to.be.greaterThan(MAX_ITEM_BYTES);
    });
  });

  describe('checkItemSize', () => {
    it('accepts a 399 KB item', () => {
      expect(() => check({ body: 'x'.repeat(399 * KB) })).not.to.throw();
    });

    it('rejects a 400 KB+ item with a ValidationError naming the model and the size', () => {
      const body = 'x'.repeat(400 * KB);
      const size = 2 + 1 + 4 + body.length;
      const err = (() => {
        try {
          check({ body });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).message).to.equal(
        `Doc (id="d"): the item is ${size} bytes, over DynamoDB's limit of 409600 (400 KB); nothing was written. Store large values elsewhere (e.g. S3) and keep a reference.`,
      );
      expect((err as ValidationError).errors).to.deep.equal([{ property: '', constraints: { itemSize: `${size} > 409600` } }]);
    });

    it('is exact at the boundary: 409600 bytes pass, 409601 do not', () => {
      // 'id' + 'd' + 'body' = 7 bytes
      expect(() => check({ body: 'x'.repeat(MAX_ITEM_BYTES - 7) })).not.to.throw();
      expect(() => check({ body: 'x'.repeat(MAX_ITEM_BYTES - 6) })).to.throw(ValidationError, 'the item is 409601 bytes');
    });

    it('counts multibyte UTF-8 characters in bytes', () => {
      // 205,000 characters but 410,000 bytes
      expect(() => check({ body: 'é'.repeat(205_000) })).to.throw(ValidationError, 'the item is 410007 bytes');
      // 136,000 characters, 408,000 bytes: under the limit
      expect(() => check({ body: '€'.repeat(136_000) })).not.to.throw();
      // 4-byte characters are two UTF-16 units each
      expect(() => check({ body: '😀'.repeat(102_400) })).to.throw(ValidationError, 'the item is 409607 bytes');
    });

    it('adds up several attributes, binary and nested values', () => {
      expect(() => check({ body: new Uint8Array(200 * KB), extra: ['y'.repeat(200 * KB)] })).to.throw(ValidationError);
      expect(() => check({ body: new Uint8Array(200 * KB), extra: ['y'.repeat(199 * KB)] })).not.to.throw();
      expect(() => check({ body: { value: 'z'.repeat(401 * KB) } })).to.throw(ValidationError, 'Doc (id="d"): the item is');
    });
  });
});
