import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StoredItem } from '../marshal/stored-item';
import type { StreamAttributeValue, StreamImage } from './stream-types';

/** An image that is not a well-formed AttributeValue map (bad base64, an unknown type tag). */
export class UnreadableImage extends Error {}

// Standard base64 with padding, as Lambda writes it. Buffer.from(text, 'base64') would skip
// any other character silently and hand the model bytes nobody stored.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytes(value: string | Uint8Array, path: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new UnreadableImage(`${path} is binary (B) that is not base64 text`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

// Only B, BS, L and M can hold base64 text; anything else is passed to unmarshall as it is.
function withBytes(value: StreamAttributeValue, path: string): StreamAttributeValue {
  if (typeof value !== 'object' || value === null) throw new UnreadableImage(`${path} is not an AttributeValue`);
  if (value.B !== undefined) return { B: bytes(value.B, path) };
  if (value.BS !== undefined) {
    if (!Array.isArray(value.BS)) throw new UnreadableImage(`${path} is a binary set (BS) that is not a list`);
    return { BS: value.BS.map((member, i) => bytes(member, `${path}[${i}]`)) };
  }
  if (value.L !== undefined) {
    if (!Array.isArray(value.L)) throw new UnreadableImage(`${path} is a list (L) that is not a list`);
    return { L: value.L.map((element, i) => withBytes(element, `${path}[${i}]`)) };
  }
  if (value.M !== undefined) return { M: mapWithBytes(value.M, path) };
  return value;
}

function mapWithBytes(map: Record<string, StreamAttributeValue>, path: string): Record<string, StreamAttributeValue> {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new UnreadableImage(`${path} is a map (M) that is not an object`);
  const out: Record<string, StreamAttributeValue> = {};
  for (const name of Object.keys(map)) out[name] = withBytes(map[name], path ? `${path}.${name}` : name);
  return out;
}

/**
 * A stream image (or any AttributeValue map) as the item the DocumentClient would have read:
 * base64 binary decoded at every depth, then the SDK's `unmarshall` with `wrapNumbers`, so
 * numbers convert by the declared type exactly as the connection's reads do. A malformed image
 * is an UnreadableImage naming the attribute.
 *
 * @example
 * imageToItem({ id: { S: 'u1' }, avatar: { B: 'AAE=' }, n: { N: '7' } });
 * // { id: 'u1', avatar: Uint8Array [0, 1], n: NumberValue { value: '7' } }
 */
export function imageToItem(image: StreamImage): StoredItem {
  const decoded = mapWithBytes(image, '');
  try {
    return unmarshall(decoded as Record<string, AttributeValue>, { wrapNumbers: true });
  } catch (error) {
    throw new UnreadableImage(`it is not a well-formed AttributeValue map (${(error as Error).message})`);
  }
}
