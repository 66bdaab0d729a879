import type { ConnectionConfig } from '../connection/config';

/** A function that resolves AWS credentials, as the SDK's clients take them. */
export type CredentialsProvider = Extract<NonNullable<ConnectionConfig['credentials']>, Function>;
/** What a CredentialsProvider resolves to. */
type Credentials = Awaited<ReturnType<CredentialsProvider>>;

/**
 * How long before their expiry assumed-role credentials are replaced: the window in which
 * the AWS SDK's clients also ask their provider again (its EXPIRATION_MS), so the two agree
 * and a request never goes out with credentials that expire while it is in flight.
 */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Wraps a provider so that it is called once, then again only when the credentials it gave
 * are within `refreshBeforeMs` of their expiration (never, for credentials without one);
 * callers that arrive while a call is in flight share it. A failed call is not kept: the
 * next caller tries again.
 *
 * The SDK's clients memoize their provider the same way, but each client its own copy and
 * by rules that are the SDK's to change; this one holds for every client given it.
 *
 * @example
 * const credentials = refreshingCredentials(fromTemporaryCredentials({ params }));
 * await credentials(); await credentials();   // one AssumeRole
 */
export function refreshingCredentials(provider: CredentialsProvider, refreshBeforeMs = REFRESH_BEFORE_EXPIRY_MS): CredentialsProvider {
  let current: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  const fresh = (credentials: Credentials) => !credentials.expiration || credentials.expiration.getTime() - Date.now() > refreshBeforeMs;

  return (options?: Parameters<CredentialsProvider>[0]) => {
    if (current && fresh(current) && !(options as { forceRefresh?: boolean } | undefined)?.forceRefresh) return Promise.resolve(current);
    pending ??= provider(options)
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
