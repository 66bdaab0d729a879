import type { ConnectionConfig } from '../connection/config';
import { DynamormError } from '../errors/dynamorm-error';

/**
 * One partner of a `MultiAccount`: the role dynamorm assumes in the partner's account, and
 * the options of the Connection built with the role's credentials.
 */
export interface PartnerAccount extends Omit<ConnectionConfig, 'credentials' | 'client' | 'region'> {
  /** The role to assume, e.g. 'arn:aws:iam::123456789012:role/dynamorm-access'. */
  roleArn: string;
  /** The external ID the role's trust policy requires (the partner gives it to you). */
  externalId: string;
  /** The partner's region: of the DynamoDB client, and of the STS endpoint called. */
  region: string;
  /** AssumeRole's RoleSessionName (it shows in the partner's CloudTrail). Default 'dynamorm-<id>'. */
  sessionName?: string;
  /** How long each set of credentials lasts, 900 to the role's maximum (STS's default: 3600). */
  durationSeconds?: number;
  /** The credentials that call AssumeRole. Default: the SDK's default chain (the Lambda's own role). */
  masterCredentials?: ConnectionConfig['credentials'];
  /** Options of the STS client that calls AssumeRole (endpoint, requestHandler, ...). */
  stsClientConfig?: Record<string, unknown>;
}

// The character sets and lengths STS accepts (AssumeRole's API reference), checked here so
// that a typo fails at startup rather than as an AccessDenied on the first request.
const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The session name of a partner that names none: 'dynamorm-<id>', in STS's character set. */
export function defaultSessionName(id: string): string {
  return `dynamorm-${id}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** Refuses a partner STS would refuse, naming the partner and the option to fix. */
export function checkPartner(id: string, account: PartnerAccount | undefined): void {
  const where = `MultiAccount partner '${id}'`;
  if (!account || typeof account !== 'object') throw new DynamormError(`${where}: expected { roleArn, externalId, region }, got ${String(account)}.`);
  if (typeof account.roleArn !== 'string' || !ROLE_ARN.test(account.roleArn)) {
    throw new DynamormError(`${where}: roleArn ${JSON.stringify(account.roleArn)} is not a role ARN like 'arn:aws:iam::123456789012:role/name'.`);
  }
  if (typeof account.externalId !== 'string' || !EXTERNAL_ID.test(account.externalId)) {
    throw new DynamormError(`${where}: externalId must be 2 to 1224 characters of letters, digits and +=,.@:/- (got ${JSON.stringify(account.externalId)}).`);
  }
  if (typeof account.region !== 'string' || account.region === '') {
    throw new DynamormError(`${where}: region is required (the partner's region, e.g. 'eu-west-1').`);
  }
  if (account.sessionName !== undefined && (typeof account.sessionName !== 'string' || !SESSION_NAME.test(account.sessionName))) {
    throw new DynamormError(`${where}: sessionName must be 2 to 64 characters of letters, digits and +=,.@- (got ${JSON.stringify(account.sessionName)}).`);
  }
  const duration = account.durationSeconds;
  if (duration !== undefined && !(Number.isInteger(duration) && duration >= 900 && duration <= 43_200)) {
    throw new DynamormError(`${where}: durationSeconds must be a whole number from 900 to 43200 (got ${String(duration)}).`);
  }
}
