// A stand-in for AWS STS, for the examples and the tests: a request handler for the STS
// client that `MultiAccount` uses (pass it as `stsClientConfig: { requestHandler }`), which
// answers AssumeRole the way STS does, with made-up credentials, without any network.
import { Readable } from 'node:stream';

/** One AssumeRole the fake answered. */
export interface AssumeRoleCall {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  /** The access key id it handed out: 'ASIA' + the role's account id + a call number. */
  accessKeyId: string;
  expiration: Date;
}

export interface FakeSts {
  /** Give it to the STS client: `stsClientConfig: { requestHandler }`. */
  requestHandler: { handle(request: { body?: unknown }): Promise<{ response: FakeResponse }> };
  /** Every AssumeRole answered, in order. */
  calls: AssumeRoleCall[];
}

interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

const respond = (statusCode: number, xml: string): { response: FakeResponse } => ({
  response: { statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) },
});

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * A fake STS whose credentials last `lifetimeMs` (default an hour, as STS's default).
 *
 * @example
 * const sts = fakeSts();
 * new MultiAccount({ a: { roleArn, externalId, region, stsClientConfig: { requestHandler: sts.requestHandler } } });
 */
export function fakeSts(options: { lifetimeMs?: number } = {}): FakeSts {
  const calls: AssumeRoleCall[] = [];
  const requestHandler = {
    async handle(request: { body?: unknown }) {
      const form = new URLSearchParams(String(request.body ?? ''));
      const roleArn = form.get('RoleArn') ?? '';
      if (form.get('Action') !== 'AssumeRole' || !roleArn) {
        return respond(
          400,
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the fake STS answers AssumeRole only</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
        );
      }
      const account = /:iam::(\d+):/.exec(roleArn)?.[1] ?? '000000000000';
      const call: AssumeRoleCall = {
        roleArn,
        externalId: form.get('ExternalId') ?? undefined,
        sessionName: form.get('RoleSessionName') ?? undefined,
        accessKeyId: `ASIA${account}${calls.length + 1}`,
        expiration: new Date(Date.now() + (options.lifetimeMs ?? 3_600_000)),
      };
      calls.push(call);
      return respond(
        200,
        `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials>` +
          `<AccessKeyId>${call.accessKeyId}</AccessKeyId><SecretAccessKey>secret-${call.accessKeyId}</SecretAccessKey>` +
          `<SessionToken>token-${call.accessKeyId}</SessionToken><Expiration>${call.expiration.toISOString()}</Expiration>` +
          `</Credentials><AssumedRoleUser><Arn>${roleArn}/${call.sessionName}</Arn><AssumedRoleId>AROAFAKE:${call.sessionName}</AssumedRoleId></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>fake-${calls.length}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    },
  };
  return { requestHandler, calls };
}
