import { expect } from 'chai';
import { decoderFor } from '../../../lib/marshal/attribute-codec';
import { parseIsoTime } from '../../../lib/marshal/iso-date';
import type { AttributeSchema } from '../../../lib/metadata/model-schema';

describe('marshal: parseIsoTime', () => {
  it("gives exactly what new Date(text) gives, for dynamorm's form and everything else", () => {
    const samples = [
      '2026-01-05T09:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
      '0100-01-01T00:00:00.000Z',
      '2024-02-29T12:34:56.789Z',
      '2023-02-29T00:00:00.000Z',
      '2024-02-30T00:00:00.000Z',
      '2024-04-31T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-13-01T00:00:00.000Z',
      '2024-00-10T00:00:00.000Z',
      '2024-01-32T00:00:00.000Z',
      '2024-01-00T00:00:00.000Z',
      '2024-01-01T00:60:00.000Z',
      '2024-01-01T00:00:60.000Z',
      '0050-01-01T00:00:00.000Z',
      '2024-1-01T00:00:00.000Z',
      '2024-01-01 00:00:00.000Z',
      '2024-01-01T00:00:00.000+',
      '2024-01-01T00:00:00Z',
      '2024-01-01',
      '2024-13-45',
      'not a date',
      '',
      '+002024-01-01T00:00:00.000Z',
      '2024-01-01T00:00:00,000Z',
      '2024/01/01T00:00:00.000Z',
      '２０２４-01-01T00:00:00.000Z',
      '2024-01-01T0a:00:00.000Z',
    ];
    for (const text of samples) expect(parseIsoTime(text), text).to.deep.equal(new Date(text).getTime());
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((Math.random() - 0.3) * 2 ** 42);
      const text = new Date(ms).toISOString();
      if (text.length === 24) expect(parseIsoTime(text), text).to.equal(ms);
    }
  });

  it('agrees with new Date(text) across leap years, century years, 0000-9999 and around 1970', () => {
    const times = ['00:00:00.000', '23:59:59.999', '12:34:56.789', '24:00:00.000', '00:60:00.000', '00:00:60.000'];
    const years = [
      0, 1, 4, 99, 100, 101, 399, 400, 401, 1582, 1600, 1700, 1800, 1899, 1900, 1968, 1969, 1970, 1971, 1972, 2000, 2023, 2024, 2100, 2400, 9998, 9999,
    ];
    for (let y = 0; y <= 9999; y += 97) years.push(y);
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let checked = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 15, 28, 29, 30, 31, 32]) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${times[(year + month + day) % times.length]}Z`;
          expect(parseIsoTime(text), text).to.deep.equal(new Date(text).getTime());
          expect(new Date(parseIsoTime(text)).getTime(), text).to.deep.equal(new Date(text).getTime());
          checked++;
        }
      }
    }
    expect(checked).to.be.greaterThan(5000);
  });

  it('parseIsoTime gives NaN for what is not a date, as new Date(text).getTime() does', () => {
    for (const text of [
      'not a date',
      '',
      '2024-01-01T0a:00:00.000Z',
      '2024-01-01T-1:00:00.000Z',
      '2024-01-01T00:-1:00.000Z',
      '2024-0\u00001-01T00:00:00.000Z',
      '9999-99-99T99:99:99.999Z',
    ]) {
      expect(parseIsoTime(text), text).to.deep.equal(new Date(text).getTime());
    }
  });

  it('reading one text twice gives two Dates of the same time, each free to change', () => {
    const decode = decoderFor({ kind: 'date', dateFormat: 'iso' } as AttributeSchema, Object);
    const text = '2026-03-04T05:06:07.089Z';
    const a = decode(text) as Date;
    a.setUTCFullYear(1999);
    const b = decode(text) as Date;
    expect(b).not.to.equal(a);
    expect(b.toISOString()).to.equal(text);
    expect((decode('2024-02-30T00:00:00.000Z') as Date).getTime()).to.equal(new Date('2024-02-30T00:00:00.000Z').getTime());
    expect((decode(text) as Date).toISOString()).to.equal(text);
  });
});
