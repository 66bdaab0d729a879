import type { StoredItem } from './stored-item';
import { isWrappedNumber } from './numbers';

/** A short, readable rendering of a key for error messages, e.g. `id="1", sk=2`. */
export function formatKey(key: StoredItem): string {
  return Object.entries(key)
    .map(
      ([k, v]) =>
        `${k}=${v instanceof Uint8Array ? `<${v.byteLength} bytes>` : typeof v === 'bigint' ? `${v}n` : isWrappedNumber(v) ? v.value : JSON.stringify(v)}`,
    )
    .join(', ');
}
