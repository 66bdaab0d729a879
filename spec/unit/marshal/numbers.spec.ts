import { expect } from 'chai';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { Attribute, BaseModel, Model, PartitionKey, ValidationError } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { checkBigInt, checkNumber, isNumberText, isWrappedNumber, naturalNumber, numberText, parseNumberText } from '../../../lib/marshal/numbers';
import { UndecodableValue } from '../../../lib/marshal/undecodable-value';
import { toItem } from '../../../lib/marshal/item-codec';
import { thrown } from '../../support/thrown';

// DESIGN §1 / §11: numbers that are not finite, past ±2^53, outside DynamoDB's range or
// with more than 38 significant digits are a ValidationError before sending.

const validationError = (fn: () => unknown): ValidationError => thrown(ValidationError, fn);

@Model({ table: 'mn_numbers' })
class Numbers extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) n?: number;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute() untyped?: unknown;
  @Attribute({ type: Array }) list?: unknown[];
  @Attribute({ type: Object }) map?: Record<string, unknown>;
  @Attribute({ set: true }) set?: Set<unknown>;
}

const schema = resolveModel(Numbers);
const item = (attrs: Partial<Numbers>) => toItem(schema, Object.assign(new Numbers(), { id: '1' }, attrs));

describe('marshal: numbers', () => {
  describe('checkNumber', () => {
    for (const [label, value] of [
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      it(`rejects ${label}`, () => {
        const err = validationError(() => checkNumber(value, 'Numbers.n'));
        expect(err.message).to.equal(`Numbers.n: ${label} is not a finite number; DynamoDB cannot store NaN or Infinity.`);
        expect(err.errors).to.deep.equal([
          { property: 'n', value, constraints: { dynamoNumber: 'is not a finite number; DynamoDB cannot store NaN or Infinity' } },
        ]);
      });
    }

    it('rejects integers past ±2^53, pointing to bigint', () => {
      for (const value of [2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e20]) {
        const err = validationError(() => checkNumber(value, 'Numbers.n'));
        expect(err.message).to.include('past ±2^53');
        expect(err.message).to.include('use a bigint');
      }
    });

    it('accepts the largest safe integers', () => {
      expect(() => checkNumber(Number.MAX_SAFE_INTEGER, 'n')).not.to.throw();
      expect(() => checkNumber(Number.MIN_SAFE_INTEGER, 'n')).not.to.throw();
    });

    it("rejects 1e200 and 1e-200 (outside DynamoDB's range)", () => {
      validationError(() => checkNumber(1e200, 'n'));
      validationError(() => checkNumber(-1e200, 'n'));
      const tiny = validationError(() => checkNumber(1e-200, 'Numbers.n'));
      expect(tiny.message).to.equal('Numbers.n: 1e-200 is outside the range DynamoDB stores (1E-130 to 1E+126).');
      validationError(() => checkNumber(-1e-200, 'n'));
      validationError(() => checkNumber(1e-131, 'n'));
    });

    it('accepts values at the edges of the range, zero and ordinary fractions', () => {
      for (const value of [0, -0, 1e-130, -1e-130, 0.1 + 0.2, -3.5, 1.7976931348623157e-100, 123.456]) {
        expect(() => checkNumber(value, 'n'), String(value)).not.to.throw();
      }
    });
  });

  describe('checkBigInt', () => {
    it('accepts 2^64, 2^70 and 38 significant digits', () => {
      for (const value of [2n ** 64n, -(2n ** 64n), 2n ** 70n, 10n ** 38n - 1n, 12345678901234567890123456789012345678n * 10n ** 80n, 10n ** 125n]) {
        expect(() => checkBigInt(value, 'n'), String(value)).not.to.throw();
      }
    });

    it('rejects more than 38 significant digits', () => {
      const value = 10n ** 38n + 1n; // 39 digits
      const err = validationError(() => checkBigInt(value, 'Numbers.big'));
      expect(err.message).to.equal(`Numbers.big: ${value}n has 39 significant digits; DynamoDB keeps at most 38.`);
      validationError(() => checkBigInt(-value, 'n'));
      validationError(() => checkBigInt(2n ** 128n, 'n')); // 39 digits
    });

    it('trailing zeros are not significant', () => {
      expect(() => checkBigInt(10n ** 100n, 'n')).not.to.throw();
      expect(() => checkBigInt((10n ** 38n + 1n) * 10n, 'n')).to.throw(ValidationError, 'has 39 significant digits');
    });

    it('rejects magnitudes from 1E+126', () => {
      const err = validationError(() => checkBigInt(10n ** 126n, 'Numbers.big'));
      expect(err.message).to.include('is outside the range DynamoDB stores (up to 1E+126)');
      validationError(() => checkBigInt(-(10n ** 126n), 'n'));
    });
  });

  describe('on write (toItem)', () => {
    it('checks numbers of a number attribute', () => {
      expect(() => item({ n: NaN })).to.throw(ValidationError, 'Numbers.n: NaN is not a finite number');
      expect(() => item({ n: Infinity })).to.throw(ValidationError, 'Numbers.n: Infinity');
      expect(() => item({ n: 2 ** 53 + 2 })).to.throw(ValidationError, 'use a bigint');
      expect(() => item({ n: 1e200 })).to.throw(ValidationError, 'Numbers.n');
      expect(() => item({ n: 1e-200 })).to.throw(ValidationError, 'outside the range');
      expect(item({ n: 42.5 })).to.deep.equal({ id: '1', n: 42.5 });
    });

    it('checks bigints', () => {
      expect(() => item({ big: 10n ** 38n + 1n })).to.throw(ValidationError, 'Numbers.big');
      expect(item({ big: 2n ** 64n })).to.deep.equal({ id: '1', big: 18446744073709551616n });
      expect(() => item({ n: (10n ** 38n + 1n) as never })).to.throw(ValidationError, 'Numbers.n');
    });

    it('checks numbers of untyped attributes, inside lists, maps and sets, naming the path', () => {
      expect(() => item({ untyped: NaN })).to.throw(ValidationError, 'Numbers.untyped: NaN');
      expect(() => item({ list: [1, Infinity] })).to.throw(ValidationError, 'Numbers.list[1]: Infinity');
      expect(() => item({ map: { a: { b: 1e-200 } } })).to.throw(ValidationError, 'Numbers.map.a.b: 1e-200');
      expect(() => item({ map: { deep: [10n ** 40n + 1n] } })).to.throw(ValidationError, 'Numbers.map.deep[0]');
      expect(() => item({ set: new Set([1, NaN]) })).to.throw(ValidationError, 'Numbers.set: NaN');
      expect(() => item({ set: new Set([2n ** 200n + 1n]) })).to.throw(ValidationError, 'significant digits');
    });
  });

  describe('reading', () => {
    it('numberText takes wrapped and plain numbers', () => {
      expect(numberText(new NumberValue('12345678901234567890123'))).to.equal('12345678901234567890123');
      expect(numberText(42)).to.equal('42');
      expect(isWrappedNumber(new NumberValue('1'))).to.equal(true);
      expect(isWrappedNumber(1)).to.equal(false);
      expect(isWrappedNumber({ value: '1' })).to.equal(false);
    });

    it('naturalNumber gives a number when exact, a bigint for larger integers', () => {
      expect(naturalNumber('42')).to.equal(42);
      expect(naturalNumber('-3.25')).to.equal(-3.25);
      expect(naturalNumber('9007199254740991')).to.equal(9007199254740991);
      expect(naturalNumber('9007199254740993')).to.equal(9007199254740993n);
      expect(naturalNumber('-1180591620717411303424')).to.equal(-1180591620717411303424n);
      expect(naturalNumber('1.5e120')).to.equal(1.5e120);
    });

    it('naturalNumber refuses text DynamoDB could not have stored (UndecodableValue, naming the text)', () => {
      for (const text of ['abc', '', '1e400', '1e-400', '1'.repeat(39)]) {
        const error = thrown(UndecodableValue, () => naturalNumber(text));
        expect(error.message).to.equal(
          `stored with the number text ${JSON.stringify(text)} (N), which is not a number DynamoDB stores (decimal, at most 38 significant digits, 0 or 1E-130 to 1E+126 in magnitude)`,
        );
      }
    });
  });

  // DESIGN §11 "Reading stored data": number text that DynamoDB would refuse is undecodable.
  // The local server (dynalite) refuses exactly these on PutItem with "cannot be converted to
  // a numeric value", "Number overflow/underflow" or "more than 38 significant digits".
  describe('number text: what DynamoDB stores (isNumberText, parseNumberText)', () => {
    const nines = `9.${'9'.repeat(37)}E+125`; // the largest number DynamoDB stores
    const valid: Array<[string, number]> = [
      ['42', 42],
      ['-3.25', -3.25],
      ['0', 0],
      ['-0', -0],
      ['007', 7],
      ['0.5', 0.5],
      ['.5', 0.5],
      ['5.', 5],
      ['1e2', 100],
      ['1E+2', 100],
      ['-1.5e-3', -0.0015],
      ['1E-130', 1e-130],
      ['-1E-130', -1e-130],
      [nines, 1e126],
      ['1e125', 1e125],
      ['0e999', 0],
      ['0.000e-999', 0],
      // eslint-disable-next-line no-loss-of-precision -- on purpose: the expected value is the double nearest the decimal, as the literal gives it
      ['12345678901234567890123456789012345678', 12345678901234567890123456789012345678],
      ['1234567890123456789012345678901234567800000', 1.2345678901234567e42], // trailing zeros are not significant
      ['0.00000000000000000000000000000000000000000012', 1.2e-43], // nor leading ones
      // eslint-disable-next-line no-loss-of-precision -- on purpose: above 2^53, the double nearest the decimal, as the literal gives it
      ['90071992547409930', 90071992547409930],
      ['1700000000', 1700000000],
    ];
    const invalid = [
      '',
      ' ',
      ' 7',
      '7 ',
      '\n7',
      '0x1F',
      '0x10',
      '0X10',
      '0b1',
      '0o7',
      'abc',
      'NaN',
      'Infinity',
      '-Infinity',
      '+5',
      '1_000',
      '1.2.3',
      '--1',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '１２',
      '1e126',
      '-1e126',
      '1e400',
      '1e-131',
      '1e-400',
      '0.99999e-130',
      '1'.repeat(39),
      `-${'1'.repeat(39)}`,
      '1.00000000000000000000000000000000000001',
    ];

    it('accepts decimal text of at most 38 significant digits, 0 or 1E-130 to 9.99...E+125 in magnitude', () => {
      for (const [text, value] of valid) {
        expect(isNumberText(text), text).to.equal(true);
        expect(Object.is(parseNumberText(text), value), `${text} -> ${parseNumberText(text)}`).to.equal(true);
      }
    });

    it("refuses what Number() would read as 0, Infinity or a number ('', '1e-400', '1e400', ' 7', '0x10') and anything else not decimal", () => {
      for (const text of invalid) {
        expect(isNumberText(text), JSON.stringify(text)).to.equal(false);
        expect(parseNumberText(text), JSON.stringify(text)).to.be.NaN;
      }
    });

    it('the quick path of parseNumberText agrees with isNumberText on random texts', () => {
      // Texts near the edges of the quick path: digits, '-', '.', 'e', 'x', 'b', 'o', blanks and '+'.
      const alphabet = ['0', '0', '1', '5', '9', '-', '.', 'e', 'E', '+', 'x', 'b', 'o', ' '];
      let seed = 15;
      const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      for (let i = 0; i < 20000; i++) {
        let text = '';
        for (let length = 1 + random(8); length > 0; length--) text += alphabet[random(alphabet.length)];
        const parsed = parseNumberText(text);
        expect(Number.isNaN(parsed), JSON.stringify(text)).to.equal(!isNumberText(text));
        if (!Number.isNaN(parsed)) expect(parsed, JSON.stringify(text)).to.equal(Number(text));
      }
    });
  });
});
