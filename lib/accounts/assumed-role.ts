import { DynamormError } from '../errors/dynamorm-error';
import type { FromTemporaryCredentials } from './credential-providers-peer';
import { defaultSessionName, type PartnerAccount } from './partner-account';
import { refreshingCredentials, type CredentialsProvider } from './refreshing-credentials';

/**
 * The credentials of one partner: AssumeRole of its role with its external ID, through a
 * provider (and an STS client) of its own, so no two partners ever share credentials;
 * assumed once and again shortly before they expire (see refreshingCredentials).
 */
export function assumedRoleCredentials(id: string, account: PartnerAccount, fromTemporaryCredentials: FromTemporaryCredentials): CredentialsProvider {
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: account.roleArn,
      ExternalId: account.externalId,
      RoleSessionName: account.sessionName ?? defaultSessionName(id),
      ...(account.durationSeconds ? { DurationSeconds: account.durationSeconds } : {}),
    },
    ...(account.masterCredentials ? { masterCredentials: account.masterCredentials } : {}),
    // STS in the partner's region unless told otherwise: regional endpoints are the SDK's
    // recommendation, and the result no longer depends on which client asked first.
    clientConfig: { region: account.region, ...account.stsClientConfig },
  });

  const named: CredentialsProvider = (options) =>
    assume(options).catch((error: unknown) => {
      const message = (error as { message?: unknown })?.message ?? String(error);
      throw new DynamormError(
        `MultiAccount partner '${id}': AssumeRole of ${account.roleArn} failed: ${String(message)}. ` +
          "Check the role's trust policy (the caller as principal, sts:ExternalId) and the caller's sts:AssumeRole permission.",
        { cause: error },
      );
    });
  return refreshingCredentials(named);
}
