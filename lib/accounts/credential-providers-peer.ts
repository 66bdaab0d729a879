import type { ConnectionConfig } from '../connection/config';
import { DynamormError } from '../errors/dynamorm-error';
import { loadPeer } from '../peers/load-peer';
import type { CredentialsProvider } from './refreshing-credentials';

/** What dynamorm passes to `fromTemporaryCredentials` of `@aws-sdk/credential-providers`. */
export interface TemporaryCredentialsOptions {
  params: { RoleArn: string; ExternalId?: string; RoleSessionName?: string; DurationSeconds?: number };
  masterCredentials?: ConnectionConfig['credentials'];
  clientConfig?: object;
}

/** `fromTemporaryCredentials` of `@aws-sdk/credential-providers`, as far as dynamorm uses it. */
export type FromTemporaryCredentials = (options: TemporaryCredentialsOptions) => CredentialsProvider;

const PEER = '@aws-sdk/credential-providers';

/**
 * `fromTemporaryCredentials`, loaded by name from the application's installation the first
 * time a MultiAccount is built, so that an app without one never loads STS code (nor gets
 * it in its bundle).
 */
export function loadFromTemporaryCredentials(): FromTemporaryCredentials {
  const api = loadPeer<{ fromTemporaryCredentials?: FromTemporaryCredentials }>(PEER);
  if (!api?.fromTemporaryCredentials) {
    throw new DynamormError(
      `MultiAccount needs the optional peer dependency ${PEER}, which is not installed: npm install ${PEER} ` +
        '(or pass its fromTemporaryCredentials: new MultiAccount(partners, { fromTemporaryCredentials })).',
    );
  }
  return api.fromTemporaryCredentials;
}
