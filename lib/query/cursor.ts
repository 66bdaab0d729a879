import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DynamormError, InvalidCursorError } from '../errors/dynamorm-error';
import { tagKeyValue, tagValue, untagKeyValue, type StartKeyValue, type TaggedValue } from './cursor-values';

/**
 * What a cursor is bound to: the query it may continue.
 *
 * @example
 * const query: CursorQuery = { identity: 'users', index: 'gsi-status', keyCondition: ['status', '=', 'active'] };
 */
interface CursorQuery {
  /** The model's identity: its `@Model` table name (plus its entity, once models can share a table); never the class name. */
  identity: string;
  /** The index queried; undefined for the table's own key. */
  index?: string | undefined;
  /**
   * The key condition, as a plain object or array of DocumentClient values: its values, and
   * whatever else decides which items follow a start key (page() adds the operators and the
   * sort direction), so a cursor from another partition, key range or order is refused.
   * Compared exactly: the number 5 and NumberValue '5.0' differ.
   */
  keyCondition: readonly unknown[] | Readonly<Record<string, unknown>>;
}

/**
 * Everything a cursor holds: its query and where the next page starts.
 *
 * @example
 * encodeCursor({ ...query, startKey: { id: 'u7', status: 'active' } });
 */
export interface CursorContent extends CursorQuery {
  /**
   * The ExclusiveStartKey: the table key attributes of the last item returned, plus the
   * index's, as read (CursorKeyValue each; undefined ones are left out, anything else is a
   * DynamormError).
   */
  startKey: Readonly<Record<string, unknown>>;
}

/**
 * The query a cursor is being used with, checked against the one it was made for.
 *
 * @example
 * decodeCursor(cursor, { ...query, keyAttributes: ['id', 'status'] });
 */
export interface ExpectedCursor extends CursorQuery {
  /** When given, the start key must name exactly these attributes (the table's and the index's key). */
  keyAttributes?: readonly string[];
}

/**
 * An ExclusiveStartKey in the DocumentClient's input shape.
 *
 * @example
 * const key: StartKey = { id: 'u7', age: NumberValue.from('30'), blob: new Uint8Array([1]) };
 */
export type StartKey = Record<string, StartKeyValue>;

// 2: the key-condition digest also covers the operators and the sort direction (a format-1
// cursor, made before, is refused as another version's rather than as another query's).
const VERSION = 2;

// Inside the base64url: the JSON of this, keys in this order.
interface Payload {
  v: number;
  model: string;
  index?: string;
  /** A digest of the key-condition values: fixed size however long the values are. */
  kc: string;
  key: Record<string, TaggedValue>;
}

const CURSOR = /^([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]{43}))?$/;
const START_AGAIN = 'start the query again without a cursor';
const PASS_AS_RETURNED = 'pass the `cursor` a previous page() returned, exactly as it was, or none to start at the first page';

/**
 * The opaque, url-safe cursor a `page()` returns: base64url (no padding) of a small JSON
 * payload holding the format version, the model's identity, the index, a digest of the
 * key-condition values, and the start key with each value in DynamoDB's notation (numbers
 * as their exact text, binary as base64url). With a `secret` (the connection's
 * `cursorSecret`), `.` and an HMAC-SHA256 of the payload follow. Only `[A-Za-z0-9_.-]`
 * appear, and the same input always gives the same cursor.
 *
 * @example
 * encodeCursor({ identity: 'users', index: 'gsi-email', keyCondition: ['a@b.c'], startKey: { id: '1', email: 'a@b.c' } });
 * // 'eyJ2IjoxLCJtb2RlbCI6InVzZXJzIiwiaW5kZXgiOiJnc2ktZW1haWwiLC...'
 * encodeCursor(content, 'my-secret'); // '<payload>.<43 characters of signature>'
 */
export function encodeCursor(content: CursorContent, secret?: string): string {
  const body = bodyOf(content, keyConditionDigest(content.keyCondition), content.startKey);
  return secret === undefined ? body : `${body}.${sign(body, secret)}`;
}

/**
 * The ExclusiveStartKey a cursor holds, after checking that it belongs to `expected`: the
 * same model identity, index and key condition, and (with a `secret`) an intact
 * signature. Numbers come back as NumberValue, as reads give them with `wrapNumbers`, so
 * their text reaches DynamoDB unchanged; binary as Uint8Array.
 *
 * Anything else is an InvalidCursorError saying what is wrong: not a non-empty string, not
 * base64url or JSON, an unknown shape or format version, a missing or wrong signature when
 * a secret is set, another model, index or key condition, or any text other than
 * the exact form encodeCursor gives (so an unsigned cursor with a character appended is
 * refused, not read as its first part; only a signature stops deliberate forgery).
 *
 * A signed cursor is accepted when no secret is set: its signature cannot be checked, and
 * refusing it would protect nothing, since the same payload unsigned would be accepted.
 *
 * @example
 * decodeCursor(cursor, { identity: 'users', index: 'gsi-email', keyCondition: ['a@b.c'] });
 * // { email: 'a@b.c', id: '1' }
 * decodeCursor(cursor, { identity: 'orders', keyCondition: ['u1'] });
 * // InvalidCursorError: Invalid cursor for orders (table key): it was made for model "users"; start the query again without a cursor.
 */
export function decodeCursor(cursor: unknown, expected: ExpectedCursor, secret?: string): StartKey {
  const refuse = (why: string, what = START_AGAIN): InvalidCursorError => new InvalidCursorError(`Invalid cursor for ${describe(expected)}: ${why}; ${what}.`);

  if (typeof cursor !== 'string') throw refuse(`got ${cursor === null ? 'null' : typeof cursor}, not a string`, PASS_AS_RETURNED);
  if (cursor === '') throw refuse('it is an empty string', PASS_AS_RETURNED);
  const match = CURSOR.exec(cursor);
  if (!match) throw refuse('it is not a dynamorm cursor (those hold only letters, digits, "-", "_" and at most one ".")', PASS_AS_RETURNED);
  const [, body, signature] = match;

  // The signature first: nothing of an unverified payload is read when a secret is set.
  if (secret !== undefined) {
    if (signature === undefined) throw refuse('it is not signed, but cursorSecret is set (it was made without the secret, or cut short)');
    // Both are 43 ASCII characters (the pattern saw to it); comparing the text rather than the
    // decoded bytes leaves no second spelling of a valid signature.
    const wanted = Buffer.from(sign(body, secret));
    if (!timingSafeEqual(wanted, Buffer.from(signature))) throw refuse('its signature does not match (it was altered, or signed with another cursorSecret)');
  }

  const json = parseJson(body);
  if (json === undefined) throw refuse('it is not a dynamorm cursor (its content is not a JSON object)', PASS_AS_RETURNED);
  // The version alone first, so a later format is named as such rather than as garbage.
  if (typeof json.v === 'number' && json.v !== VERSION)
    throw refuse(`it was made by another version of dynamorm (cursor format ${json.v}; this one reads format ${VERSION})`);
  const payload = asPayload(json);
  if (!payload) throw refuse('it is not a dynamorm cursor (unexpected content)', PASS_AS_RETURNED);
  if (payload.model !== expected.identity) throw refuse(`it was made for model ${quote(payload.model)}`);
  if (payload.index !== expected.index) throw refuse(`it was made for ${payload.index === undefined ? 'the table key' : `index ${quote(payload.index)}`}`);
  const kc = keyConditionDigest(expected.keyCondition);
  if (payload.kc !== kc) throw refuse('it was made for another key condition (another partition, key range, operator or sort direction)');

  const startKey: StartKey = {};
  for (const [name, tagged] of Object.entries(payload.key)) {
    const value = untagKeyValue(tagged);
    if (value === undefined) throw refuse(`its start key value for ${quote(name)} is not a DynamoDB key value`, PASS_AS_RETURNED);
    Object.defineProperty(startKey, name, { value, enumerable: true, writable: true, configurable: true }); // '__proto__' too
  }
  // Unsigned, too, only the exact text encodeCursor gives passes: an appended or changed
  // character that base64url or JSON would let through unnoticed is refused.
  if (bodyOf(expected, kc, startKey) !== body) throw refuse('it was altered (it is not the text page() returned)', PASS_AS_RETURNED);
  if (expected.keyAttributes) {
    const names = Object.keys(startKey).sort();
    const wanted = [...expected.keyAttributes].sort();
    if (names.join('\0') !== wanted.join('\0')) {
      throw refuse(
        `its start key has the attributes ${names.map(quote).join(', ')}, not ${wanted.map(quote).join(', ')} (the key schema changed since it was made?)`,
      );
    }
  }
  return startKey;
}

// The base64url payload, in one canonical form: fixed field order, sorted attributes.
function bodyOf(query: CursorQuery, kc: string, startKey: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(startKey)
    .filter((name) => startKey[name] !== undefined)
    .sort();
  if (names.length === 0) throw new DynamormError(`A cursor for ${describe(query)} needs a start key; the last item returned had no key attributes.`);
  const payload: Payload = {
    v: VERSION,
    model: query.identity,
    ...(query.index === undefined ? {} : { index: query.index }),
    kc,
    key: Object.fromEntries(names.map((name) => [name, tagKeyValue(startKey[name], `cursor start key ${name}`)])),
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function sign(body: string, secret: string): string {
  if (secret === '') throw new DynamormError('cursorSecret is an empty string; set a long random secret, or leave it out to send unsigned cursors.');
  return createHmac('sha256', secret).update(body).digest('base64url');
}

// 128 bits of SHA-256: a collision would need two key conditions of one model and index.
function keyConditionDigest(keyCondition: CursorQuery['keyCondition']): string {
  return createHash('sha256')
    .update(JSON.stringify(tagValue(keyCondition, 'cursor key condition')))
    .digest('base64url')
    .slice(0, 22);
}

function parseJson(body: string): Record<string, unknown> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return isRecord(json) ? json : undefined;
}

function asPayload(json: Record<string, unknown>): Payload | undefined {
  const { v, model, index, kc, key } = json;
  if (v !== VERSION || typeof model !== 'string' || typeof kc !== 'string') return undefined;
  if (index !== undefined && typeof index !== 'string') return undefined;
  if (!isRecord(key) || Object.keys(key).length === 0) return undefined;
  return { v, model, ...(index === undefined ? {} : { index }), kc, key: key as Record<string, TaggedValue> };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(query: CursorQuery): string {
  return `${query.identity} (${query.index === undefined ? 'table key' : `index ${query.index}`})`;
}

// Text from an unsigned cursor goes into a message: quoted, and cut short.
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
