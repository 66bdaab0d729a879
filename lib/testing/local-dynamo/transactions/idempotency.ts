import { idempotentParameterMismatch } from '../errors';
import { canonicalJson, type WireBody } from '../wire';

/** DynamoDB keeps a client request token for 10 minutes after the request completes. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

interface Entry {
  fingerprint: string;
  response: WireBody;
  expiresAt: number;
}

/**
 * Remembers the ClientRequestToken of each committed TransactWriteItems so that a
 * retry is answered without applying the writes twice.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The stored response for a repeat of `body`, or undefined for a new token.
   * Throws IdempotentParameterMismatchException when the token came with other parameters.
   */
  replay(body: WireBody): WireBody | undefined {
    const token = body.ClientRequestToken;
    if (typeof token !== 'string') return undefined;
    this.prune();
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.fingerprint !== fingerprint(body)) throw idempotentParameterMismatch();
    return entry.response;
  }

  /** Records a committed request. */
  remember(body: WireBody, response: WireBody): void {
    const token = body.ClientRequestToken;
    if (typeof token !== 'string') return;
    this.entries.set(token, { fingerprint: fingerprint(body), response, expiresAt: Date.now() + TOKEN_LIFETIME_MS });
  }

  private prune(): void {
    const now = Date.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
  }
}

function fingerprint(body: WireBody): string {
  const { ClientRequestToken: _token, ...rest } = body;
  return canonicalJson(rest);
}
