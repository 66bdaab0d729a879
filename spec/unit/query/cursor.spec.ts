import { expect } from 'chai';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamormError, InvalidCursorError } from '../../../lib';
import { decodeCursor, encodeCursor, type CursorContent, type ExpectedCursor } from '../../../lib/query/cursor';
import { thrown } from '../../support/thrown';

// DESIGN §3 / §11: page() cursors are opaque and url-safe, bound to the model's identity (the
// @Model table name, never the class name), the index and the key-condition values, and
// HMAC-signed when cursorSecret is set; anything else is an InvalidCursorError.

const users: ExpectedCursor = { identity: 'users', index: 'gsi-email', keyCondition: { email: 'a@b.c' } };
const content = (startKey: CursorContent['startKey'], query: ExpectedCursor = users): CursorContent => ({ ...query, startKey });
const sample = content({ id: 'u1', email: 'a@b.c' });

const invalid = (fn: () => unknown): InvalidCursorError => thrown(InvalidCursorError, fn);
const b64 = (json: unknown): string => Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)).toString('base64url');
const payloadOf = (cursor: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(cursor.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
// A cursor's payload with some fields replaced (unsigned: nothing vouches for it).
const forged = (changes: Record<string, unknown>, base = encodeCursor(sample)): string => b64({ ...payloadOf(base), ...changes });
const flip = (text: string, at: number): string => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

const START_AGAIN = 'start the query again without a cursor.';
const PASS_AS_RETURNED = 'pass the `cursor` a previous page() returned, exactly as it was, or none to start at the first page.';

describe('query: cursor', () => {
  describe('round trips', () => {
    const cases: Array<[string, CursorContent['startKey'], Record<string, unknown>]> = [
      ['a string with unicode and #', { id: 'ünï#cødé 😀/+=?&' }, { id: 'ünï#cødé 😀/+=?&' }],
      ['a number', { n: 42 }, { n: NumberValue.from('42') }],
      ['a negative decimal', { n: -12.75 }, { n: NumberValue.from('-12.75') }],
      ['a bigint', { n: -9007199254740993n }, { n: NumberValue.from('-9007199254740993') }],
      ['a large NumberValue', { n: NumberValue.from('12345678901234567890123') }, { n: NumberValue.from('12345678901234567890123') }],
      ['a NumberValue keeps its text', { n: NumberValue.from('-0.000100e-5') }, { n: NumberValue.from('-0.000100e-5') }],
      ['binary (Uint8Array)', { b: new Uint8Array([0, 1, 250, 251, 255]) }, { b: new Uint8Array([0, 1, 250, 251, 255]) }],
      ['binary (Buffer)', { b: Buffer.from([255, 254, 62, 63]) }, { b: new Uint8Array([255, 254, 62, 63]) }],
      [
        'a table and index key together',
        { id: 'u1', sk: 3, email: 'a@b.c', age: NumberValue.from('30') },
        { id: 'u1', sk: NumberValue.from('3'), email: 'a@b.c', age: NumberValue.from('30') },
      ],
    ];
    for (const [label, startKey, decoded] of cases) {
      it(label, () => {
        const cursor = encodeCursor(content(startKey));
        expect(decodeCursor(cursor, users)).to.deep.equal(decoded);
        expect(decodeCursor(encodeCursor(content(startKey), 's3cret'), users, 's3cret')).to.deep.equal(decoded);
      });
    }

    it('gives numbers back as NumberValue and binary as a plain Uint8Array', () => {
      const key = decodeCursor(encodeCursor(content({ n: 1, b: Buffer.from('x') })), users);
      expect(key.n).to.be.instanceOf(NumberValue);
      expect(key.b?.constructor).to.equal(Uint8Array);
    });

    it('leaves out undefined start-key attributes', () => {
      expect(decodeCursor(encodeCursor(content({ id: 'u1', email: undefined })), users)).to.deep.equal({ id: 'u1' });
    });

    it('gives a start key the DocumentClient sends as the exact AttributeValues', async () => {
      const document = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
      let sent: unknown;
      document.middlewareStack.add(
        (_next, context) => async (args) => {
          if (context.commandName === 'QueryCommand') sent = (args.input as { ExclusiveStartKey?: unknown }).ExclusiveStartKey;
          return { output: { $metadata: {}, Items: [] }, response: {} };
        },
        { step: 'build' },
      );
      const startKey = { s: 'ü#', n: NumberValue.from('12345678901234567890123'), d: -1.5, b: Buffer.from([1, 2, 3]) };
      await document.send(
        new QueryCommand({ TableName: 'users', KeyConditionExpression: 'x', ExclusiveStartKey: decodeCursor(encodeCursor(content(startKey)), users) }),
      );
      expect(sent).to.deep.equal({ s: { S: 'ü#' }, n: { N: '12345678901234567890123' }, d: { N: '-1.5' }, b: { B: new Uint8Array([1, 2, 3]) } });
    });
  });

  describe('format', () => {
    it('is base64url JSON with a version, the identity, the index, a key-condition digest and the tagged key', () => {
      const cursor = encodeCursor(content({ id: 'u1', n: NumberValue.from('7'), b: Buffer.from([1, 2, 3]) }));
      expect(cursor).not.to.include('.');
      const payload = payloadOf(cursor);
      expect(Object.keys(payload)).to.deep.equal(['v', 'model', 'index', 'kc', 'key']);
      expect(payload).to.deep.include({ v: 2, model: 'users', index: 'gsi-email', key: { b: { B: 'AQID' }, id: { S: 'u1' }, n: { N: '7' } } });
      expect(payload.kc).to.match(/^[A-Za-z0-9_-]{22}$/);
    });

    it('has no index field for the table key', () => {
      expect(payloadOf(encodeCursor(content({ id: 'u1' }, { identity: 'users', keyCondition: ['u1'] })))).not.to.have.property('index');
    });

    it('appends "." and a 43-character HMAC-SHA256 when signed', () => {
      const unsigned = encodeCursor(sample);
      const signed = encodeCursor(sample, 's3cret');
      expect(signed).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(signed.split('.')[0]).to.equal(unsigned);
    });

    it('uses only url-safe characters (no padding, "+", "/" or "=")', () => {
      const keys: Array<CursorContent['startKey']> = [
        { id: '???>>>~~~ÿÿÿ' },
        { id: '/+=&#%' },
        { b: new Uint8Array(256).map((_, i) => i) },
        { n: NumberValue.from('-1e-130') },
        { id: '😀'.repeat(50) },
      ];
      for (const startKey of keys) {
        for (const length of [0, 1, 2]) {
          const query: ExpectedCursor = { identity: 'u'.repeat(length + 1), keyCondition: ['x'.repeat(length)] };
          expect(encodeCursor(content(startKey, query))).to.match(/^[A-Za-z0-9_-]+$/);
          expect(encodeCursor(content(startKey, query), 'k')).to.match(/^[A-Za-z0-9_.-]+$/);
        }
      }
    });

    it('is deterministic: the same input gives the same cursor, whatever the order of attributes', () => {
      const a = encodeCursor({ identity: 'users', index: 'i', keyCondition: { a: 1, b: 'x' }, startKey: { id: 'u1', email: 'e', n: 5 } }, 'k');
      const b = encodeCursor({ identity: 'users', index: 'i', keyCondition: { b: 'x', a: 1 }, startKey: { n: 5, email: 'e', id: 'u1' } }, 'k');
      expect(a).to.equal(b);
      expect(encodeCursor(sample)).to.equal(encodeCursor(sample));
    });
  });

  describe('garbage', () => {
    for (const [label, value, why] of [
      ['a number', 42, 'got number, not a string'],
      ['null', null, 'got null, not a string'],
      ['an object', { cursor: 'x' }, 'got object, not a string'],
      ['an empty string', '', 'it is an empty string'],
    ] as const) {
      it(`refuses ${label}`, () => {
        expect(invalid(() => decodeCursor(value, users)).message).to.equal(`Invalid cursor for users (index gsi-email): ${why}; ${PASS_AS_RETURNED}`);
      });
    }

    for (const cursor of ['abc+def', 'abc/def', 'abc=', 'ab cd', 'abc.def.ghi', `abc.${'x'.repeat(42)}`, '.abc', 'abc.', 'ab%3D']) {
      it(`refuses characters or a structure no cursor has: ${JSON.stringify(cursor)}`, () => {
        expect(invalid(() => decodeCursor(cursor, users)).message).to.equal(
          `Invalid cursor for users (index gsi-email): it is not a dynamorm cursor (those hold only letters, digits, "-", "_" and at most one "."); ${PASS_AS_RETURNED}`,
        );
      });
    }

    for (const [label, cursor] of [
      ['not JSON', 'garbage'],
      ['JSON but a number', b64('5')],
      ['a JSON array', b64([1])],
      ['JSON null', b64('null')],
    ]) {
      it(`refuses base64url that is ${label}`, () => {
        expect(invalid(() => decodeCursor(cursor, users)).message).to.equal(
          `Invalid cursor for users (index gsi-email): it is not a dynamorm cursor (its content is not a JSON object); ${PASS_AS_RETURNED}`,
        );
      });
    }

    it('refuses a cursor of another format version, naming it (format 1: made before cursors bound operators and direction)', () => {
      expect(invalid(() => decodeCursor(forged({ v: 1 }), users)).message).to.equal(
        `Invalid cursor for users (index gsi-email): it was made by another version of dynamorm (cursor format 1; this one reads format 2); ${START_AGAIN}`,
      );
    });

    const shapes: Array<[string, Record<string, unknown>]> = [
      ['no version', { v: undefined }],
      ['a version that is a string', { v: '1' }],
      ['no model', { model: undefined }],
      ['a model that is a number', { model: 1 }],
      ['an index that is not a string', { index: 3 }],
      ['no key-condition digest', { kc: undefined }],
      ['no start key', { key: undefined }],
      ['an empty start key', { key: {} }],
      ['a start key that is an array', { key: [{ S: 'x' }] }],
    ];
    for (const [label, changes] of shapes) {
      it(`refuses a payload with ${label}`, () => {
        expect(invalid(() => decodeCursor(forged(changes), users)).message).to.equal(
          `Invalid cursor for users (index gsi-email): it is not a dynamorm cursor (unexpected content); ${PASS_AS_RETURNED}`,
        );
      });
    }

    const values: Array<[string, unknown]> = [
      ['a number that is not one', { N: 'twelve' }],
      ['an empty number', { N: '' }],
      ['a number with spaces', { N: ' 1' }],
      ['an empty string', { S: '' }],
      ['a string tag holding a number', { S: 1 }],
      ['base64 with "+"', { B: 'AQ+D' }],
      ['an unknown tag', { X: 'a' }],
      ['two tags', { S: 'a', N: '1' }],
      ['no tag', {}],
      ['a bare string', 'u1'],
      ['a list', { L: [] }],
    ];
    for (const [label, value] of values) {
      it(`refuses a start-key value that is ${label}`, () => {
        expect(invalid(() => decodeCursor(forged({ key: { id: value } }), users)).message).to.equal(
          `Invalid cursor for users (index gsi-email): its start key value for "id" is not a DynamoDB key value; ${PASS_AS_RETURNED}`,
        );
      });
    }

    describe('an unsigned cursor not in the exact form encodeCursor gives', () => {
      const cursor = encodeCursor(sample);
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      const altered: Array<[string, string]> = [
        ['JSON with a trailing space', b64(`${text} `)],
        ['JSON with a space inside', b64(text.replace('"v":2', '"v": 2'))],
        ['a number spelled another way', b64(text.replace('"v":2', '"v":2.0'))],
        ['its fields in another order', b64({ model: 'users', v: 2, ...payloadOf(cursor) })],
        ['its key attributes unsorted', forged({ key: { id: { S: 'u1' }, email: { S: 'a@b.c' } } })],
      ];
      for (const [label, bad] of altered) {
        it(`refuses one with ${label}`, () => {
          expect(bad).not.to.equal(cursor);
          expect(invalid(() => decodeCursor(bad, users)).message).to.equal(
            `Invalid cursor for users (index gsi-email): it was altered (it is not the text page() returned); ${PASS_AS_RETURNED}`,
          );
        });
      }

      // One body of each length modulo 4 (0, 2 or 3; never 1), since base64url decoding treats their ends differently.
      const bodies = ['u', 'uu', 'uuu'].map((id) => encodeCursor(content({ id })));

      it('refuses one with characters appended, whatever its length', () => {
        expect(bodies.map((body) => body.length % 4).sort()).to.deep.equal([0, 2, 3]);
        for (const body of bodies) {
          for (const tail of ['A', 'x', 'xy', 'AAAA']) {
            expect(invalid(() => decodeCursor(body + tail, users)).message, body + tail).to.match(/: it (is not a dynamorm cursor|was altered) /);
          }
        }
      });

      it('refuses one whose last character differs only in bits base64url drops', () => {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (const body of bodies.filter((b) => b.length % 4 !== 0)) {
          // The last character of such a body leaves its lowest bit unused: setting it decodes to the same bytes.
          const twin = body.slice(0, -1) + alphabet[alphabet.indexOf(body[body.length - 1]) | 1];
          expect(twin).not.to.equal(body);
          expect(Buffer.from(twin, 'base64url')).to.deep.equal(Buffer.from(body, 'base64url'));
          expect(invalid(() => decodeCursor(twin, users)).message).to.include('it was altered');
        }
      });
    });

    it('keeps a "__proto__" attribute as a plain own property', () => {
      const key = decodeCursor(
        b64(`{"v":2,"model":"users","index":"gsi-email","kc":"${payloadOf(encodeCursor(sample)).kc as string}","key":{"__proto__":{"S":"x"}}}`),
        users,
      );
      expect(Object.getPrototypeOf(key)).to.equal(Object.prototype);
      expect(Object.keys(key)).to.deep.equal(['__proto__']);
    });
  });

  describe('another query', () => {
    it('refuses a cursor of another model identity', () => {
      const err = invalid(() => decodeCursor(encodeCursor(sample), { ...users, identity: 'orders' }));
      expect(err.message).to.equal(`Invalid cursor for orders (index gsi-email): it was made for model "users"; ${START_AGAIN}`);
    });

    it('refuses a cursor of another index, of an index on the table key, and of the table key on an index', () => {
      const table: ExpectedCursor = { identity: 'users', keyCondition: users.keyCondition };
      expect(invalid(() => decodeCursor(encodeCursor(sample), { ...users, index: 'gsi-name' })).message).to.equal(
        `Invalid cursor for users (index gsi-name): it was made for index "gsi-email"; ${START_AGAIN}`,
      );
      expect(invalid(() => decodeCursor(encodeCursor(sample), table)).message).to.equal(
        `Invalid cursor for users (table key): it was made for index "gsi-email"; ${START_AGAIN}`,
      );
      expect(invalid(() => decodeCursor(encodeCursor(content({ id: 'u1' }, table)), users)).message).to.equal(
        `Invalid cursor for users (index gsi-email): it was made for the table key; ${START_AGAIN}`,
      );
    });

    it('refuses a cursor of another partition or key range', () => {
      const message = `Invalid cursor for users (index gsi-email): it was made for another key condition (another partition, key range, operator or sort direction); ${START_AGAIN}`;
      expect(invalid(() => decodeCursor(encodeCursor(sample), { ...users, keyCondition: { email: 'x@y.z' } })).message).to.equal(message);
      const range = (low: number) => ({ ...users, keyCondition: ['a@b.c', 'between', low, 9] });
      expect(invalid(() => decodeCursor(encodeCursor({ ...range(1), startKey: { id: 'u1' } }), range(2))).message).to.equal(message);
      // The same text as another DynamoDB type is another value.
      expect(
        invalid(() => decodeCursor(encodeCursor({ ...range(1), startKey: { id: 'u1' } }), { ...users, keyCondition: ['a@b.c', 'between', '1', 9] })).message,
      ).to.equal(message);
    });

    it('binds a number however it was given: 5, 5n and NumberValue "5" are one value', () => {
      const cursor = encodeCursor({ ...users, keyCondition: [5], startKey: { id: 'u1' } });
      expect(decodeCursor(cursor, { ...users, keyCondition: [5n] })).to.deep.equal({ id: 'u1' });
      expect(decodeCursor(cursor, { ...users, keyCondition: [NumberValue.from('5')] })).to.deep.equal({ id: 'u1' });
    });

    it('names an identity from an unsigned cursor quoted and cut short', () => {
      const err = invalid(() => decodeCursor(forged({ model: `x"${'y'.repeat(100)}` }), users));
      expect(err.message).to.equal(`Invalid cursor for users (index gsi-email): it was made for model "x\\"${'y'.repeat(62)}…"; ${START_AGAIN}`);
    });

    it('checks the start key attributes when keyAttributes is given', () => {
      const cursor = encodeCursor(sample);
      expect(decodeCursor(cursor, { ...users, keyAttributes: ['email', 'id'] })).to.deep.equal({ id: 'u1', email: 'a@b.c' });
      expect(invalid(() => decodeCursor(cursor, { ...users, keyAttributes: ['id', 'sk', 'email'] })).message).to.equal(
        `Invalid cursor for users (index gsi-email): its start key has the attributes "email", "id", not "email", "id", "sk" (the key schema changed since it was made?); ${START_AGAIN}`,
      );
    });
  });

  describe('signatures', () => {
    const signed = encodeCursor(sample, 's3cret');

    it('accepts a signed cursor with its secret', () => {
      expect(decodeCursor(signed, users, 's3cret')).to.deep.equal({ id: 'u1', email: 'a@b.c' });
    });

    it('refuses an unsigned cursor when a secret is set', () => {
      expect(invalid(() => decodeCursor(encodeCursor(sample), users, 's3cret')).message).to.equal(
        `Invalid cursor for users (index gsi-email): it is not signed, but cursorSecret is set (it was made without the secret, or cut short); ${START_AGAIN}`,
      );
    });

    it('refuses a cursor signed with another secret', () => {
      expect(invalid(() => decodeCursor(signed, users, 'other')).message).to.equal(
        `Invalid cursor for users (index gsi-email): its signature does not match (it was altered, or signed with another cursorSecret); ${START_AGAIN}`,
      );
    });

    it('refuses a cursor with any character of its payload or signature changed', () => {
      for (let at = 0; at < signed.length; at++) {
        if (signed[at] === '.') continue;
        const err = invalid(() => decodeCursor(flip(signed, at), users, 's3cret'));
        expect(err.message, `changed at ${at}`).to.include('its signature does not match');
      }
    });

    it('refuses a forged payload under a copied signature before reading it', () => {
      const other = forged({ v: 3 }, signed);
      expect(invalid(() => decodeCursor(`${other}.${signed.split('.')[1]}`, users, 's3cret')).message).to.include('its signature does not match');
    });

    it('checks identity, index and key condition of a signed cursor too', () => {
      expect(invalid(() => decodeCursor(signed, { ...users, identity: 'orders' }, 's3cret')).message).to.include('it was made for model "users"');
      expect(invalid(() => decodeCursor(signed, { ...users, keyCondition: { email: 'x' } }, 's3cret')).message).to.include('another key condition');
    });

    it('accepts a signed cursor when no secret is set (its signature cannot be checked, and the bare payload would pass anyway)', () => {
      expect(decodeCursor(signed, users)).to.deep.equal({ id: 'u1', email: 'a@b.c' });
    });

    it('refuses an empty secret, which would sign nothing', () => {
      const message = 'cursorSecret is an empty string; set a long random secret, or leave it out to send unsigned cursors.';
      expect(thrown(DynamormError, () => encodeCursor(sample, '')).message).to.equal(message);
      expect(thrown(DynamormError, () => decodeCursor(signed, users, '')).message).to.equal(message);
    });
  });

  describe('encoding errors (a bug upstream, not a bad cursor)', () => {
    it('refuses a number past 2^53, which is no longer the stored one', () => {
      const err = thrown(DynamormError, () => encodeCursor(content({ n: 2 ** 60 })));
      expect(err).not.to.be.instanceOf(InvalidCursorError);
      expect(err.message).to.equal('cursor start key n: the number 1152921504606847000 cannot go into a cursor exactly; pass it as a NumberValue or a bigint.');
      expect(thrown(DynamormError, () => encodeCursor(content({ n: NaN }))).message).to.include('the number NaN cannot go into a cursor');
    });

    it('refuses key-condition values a DocumentClient key cannot hold', () => {
      expect(thrown(DynamormError, () => encodeCursor({ ...sample, keyCondition: { at: new Date(0) } })).message).to.equal(
        'cursor key condition.at: a cursor cannot hold Date; pass strings, numbers, bigints, NumberValues, binary, booleans, null, arrays or plain objects.',
      );
      expect(thrown(DynamormError, () => decodeCursor(encodeCursor(sample), { ...users, keyCondition: [new Set([1])] })).message).to.include('cannot hold Set');
    });

    for (const [label, value, shown] of [
      ['a boolean', true, 'boolean'],
      ['an empty string', '', 'an empty string'],
      ['empty binary', new Uint8Array(0), 'empty binary'],
      ['null', null, 'null'],
      ['a map', { S: 'x' }, 'Object'],
      ['a list', ['x'], 'a list'],
      ['a Date', new Date(0), 'Date'],
    ] as const) {
      it(`refuses a start-key value that is ${label}, which no key holds`, () => {
        expect(thrown(DynamormError, () => encodeCursor(content({ id: 'u1', email: value }))).message).to.equal(
          `cursor start key email: ${shown} is not a key value (a non-empty string or binary, or a number); a cursor's start key holds only key attributes.`,
        );
      });
    }

    it('refuses an empty start key', () => {
      expect(thrown(DynamormError, () => encodeCursor(content({}))).message).to.equal(
        'A cursor for users (index gsi-email) needs a start key; the last item returned had no key attributes.',
      );
    });
  });
});
