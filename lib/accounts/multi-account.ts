import { Connection } from '../connection/connection';
import { DynamormError } from '../errors/dynamorm-error';
import { assumedRoleCredentials } from './assumed-role';
import { loadFromTemporaryCredentials, type FromTemporaryCredentials, type TemporaryCredentialsOptions } from './credential-providers-peer';
import { checkPartner, type PartnerAccount } from './partner-account';
import type { CredentialsProvider } from './refreshing-credentials';

/** Options of `new MultiAccount(partners, options)`. */
export interface MultiAccountOptions {
  // Method syntax on purpose: the package's own function (with its wider option types)
  // must be accepted as it is.
  /**
   * `fromTemporaryCredentials` of `@aws-sdk/credential-providers`. By default dynamorm loads
   * it by name from your node_modules; a bundled app that does not ship node_modules passes
   * the one it imported.
   */
  fromTemporaryCredentials?(options: TemporaryCredentialsOptions): CredentialsProvider;
}

/**
 * One Connection per partner account, each with the credentials of a role assumed in that
 * account (AssumeRole with the partner's external ID). A partner's Connection is built on
 * first use and kept; its credentials are assumed at its first request, shared by the
 * requests that arrive meanwhile, and assumed again 5 minutes before they expire. Partners
 * never share credentials, clients or STS clients.
 *
 * @example
 * const accounts = new MultiAccount({
 *   partnerA: { roleArn: 'arn:aws:iam::111111111111:role/orders', externalId: 'a-secret', region: 'eu-west-1' },
 * });
 * const user = await accounts.partner('partnerA').run(() => User.find('1'));
 */
export class MultiAccount {
  private readonly accounts = new Map<string, PartnerAccount>();
  private readonly connections = new Map<string, Connection>();
  private readonly fromTemporaryCredentials: FromTemporaryCredentials;

  constructor(partners: Readonly<Record<string, PartnerAccount>>, options: MultiAccountOptions = {}) {
    if (!partners || typeof partners !== 'object' || Object.keys(partners).length === 0) {
      throw new DynamormError('new MultiAccount(partners): give at least one partner, e.g. { partnerA: { roleArn, externalId, region } }.');
    }
    for (const [id, account] of Object.entries(partners)) {
      checkPartner(id, account);
      this.accounts.set(id, Object.freeze({ ...account }));
    }
    // Loaded here, not at the first request: a missing package fails at startup.
    this.fromTemporaryCredentials = options.fromTemporaryCredentials ?? loadFromTemporaryCredentials();
  }

  /** The partner ids, in the order given. */
  get ids(): string[] {
    return [...this.accounts.keys()];
  }

  /**
   * The partner's Connection (the same one on every call). Use it with `run()` to scope
   * model calls to the partner's account, or pass it where a Connection is taken.
   */
  partner(id: string): Connection {
    const known = this.connections.get(id);
    if (known) return known;
    const account = this.accounts.get(id);
    if (!account) {
      throw new DynamormError(`MultiAccount: unknown partner ${JSON.stringify(id)}; the partners are ${this.ids.map((known) => `'${known}'`).join(', ')}.`);
    }
    const {
      roleArn: _role,
      externalId: _externalId,
      sessionName: _session,
      durationSeconds: _duration,
      masterCredentials: _master,
      stsClientConfig: _sts,
      ...config
    } = account;
    const conn = new Connection({ ...config, credentials: assumedRoleCredentials(id, account, this.fromTemporaryCredentials) });
    this.connections.set(id, conn);
    return conn;
  }

  /** Closes every partner Connection built so far; `partner(id)` builds a new one afterwards. */
  close(): void {
    for (const conn of this.connections.values()) conn.close();
    this.connections.clear();
  }
}
