import { expect } from 'chai';
import { Readable } from 'node:stream';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  Connection,
  DynamormError,
  Model,
  MultiAccount,
  PartitionKey,
  type CredentialsProvider,
  type PartnerAccount,
} from '../../../lib';
import { stubConnection } from '../../../lib/testing';
import { fakeSts, type FakeSts } from '../../../examples/support/fake-sts';

@Model({ table: 'acct_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() owner?: string;
}

const ROLE_A = 'arn:aws:iam::111111111111:role/orders-reader';
const ROLE_B = 'arn:aws:iam::222222222222:role/orders-reader';
const master = { accessKeyId: 'master', secretAccessKey: 'master' };
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The credentials a Connection's client signs with, resolved the way each request resolves them. */
const signingCredentials = (conn: Connection) => conn.client.config.credentials();
/** dynamorm's own provider of those credentials, without the client's memo in front of it. */
const partnerCredentials = (conn: Connection) => (conn.config.credentials as CredentialsProvider)();

function partners(sts: FakeSts): Record<string, PartnerAccount> {
  const common = { region: 'eu-west-1', masterCredentials: master, stsClientConfig: { requestHandler: sts.requestHandler } };
  return {
    a: { ...common, roleArn: ROLE_A, externalId: 'ext-a' },
    b: { ...common, roleArn: ROLE_B, externalId: 'ext-b', sessionName: 'billing-sync' },
  };
}

/** Holds every STS answer until released: a way to have calls arrive while one is in flight. */
function gate(sts: FakeSts, sandbox: sinon.SinonSandbox) {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handle = sts.requestHandler.handle.bind(sts.requestHandler);
  const stub = sandbox.stub(sts.requestHandler, 'handle').callsFake(async (request) => {
    await opened;
    return handle(request);
  });
  return { stub, release };
}

describe('MultiAccount', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('builds a partner connection on first use and returns that one afterwards', async () => {
    const sts = fakeSts();
    const handle = sandbox.spy(sts.requestHandler, 'handle');
    const accounts = new MultiAccount({ ...partners(sts), c: { roleArn: ROLE_A, externalId: 'ext-c', region: 'us-east-2', tablePrefix: 'c_' } });
    expect(accounts.ids).to.deep.equal(['a', 'b', 'c']);
    const c = accounts.partner('c');
    expect(c).to.be.instanceOf(Connection);
    expect(accounts.partner('c')).to.equal(c);
    expect(c.tablePrefix).to.equal('c_');
    expect(await c.client.config.region()).to.equal('us-east-2');
    expect(accounts.partner('a')).to.not.equal(c);
    sinon.assert.notCalled(handle); // nothing is assumed before a request needs credentials
    accounts.close();
    expect(c.isClosed).to.equal(true);
    expect(accounts.partner('c')).to.not.equal(c);
  });

  it("partner('nope') is a DynamormError naming the known partners", () => {
    const accounts = new MultiAccount(partners(fakeSts()));
    expect(() => accounts.partner('nope')).to.throw(DynamormError, `unknown partner "nope"; the partners are 'a', 'b'`);
    expect(() => accounts.partner('toString')).to.throw(DynamormError, 'unknown partner "toString"');
  });

  it('refuses a partner STS would refuse, before any request', () => {
    const sts = fakeSts();
    const handle = sandbox.spy(sts.requestHandler, 'handle');
    const ok = partners(sts).a;
    const bad: Array<[Partial<PartnerAccount>, string]> = [
      [{ roleArn: 'orders-reader' }, 'partner \'x\': roleArn "orders-reader" is not a role ARN'],
      [{ roleArn: 'arn:aws:iam::111111111111:user/ann' }, 'is not a role ARN'],
      [{ externalId: '' }, 'externalId must be 2 to 1224 characters'],
      [{ externalId: undefined }, 'externalId must be'],
      [{ region: '' }, 'region is required'],
      [{ sessionName: 'has spaces' }, 'sessionName must be 2 to 64 characters'],
      [{ sessionName: 'x'.repeat(65) }, 'sessionName must be'],
      [{ durationSeconds: 60 }, 'durationSeconds must be a whole number from 900 to 43200'],
    ];
    for (const [change, message] of bad) {
      expect(() => new MultiAccount({ x: { ...ok, ...change } }), message).to.throw(DynamormError, message);
    }
    expect(() => new MultiAccount({})).to.throw(DynamormError, 'at least one partner');
    sinon.assert.notCalled(handle);
  });

  it('assumes the role once, then exactly once more 5 minutes before the credentials expire', async () => {
    const clock = sandbox.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z'), toFake: ['Date'] });
    const sts = fakeSts({ lifetimeMs: HOUR });
    const handle = sandbox.spy(sts.requestHandler, 'handle');
    const a = new MultiAccount(partners(sts)).partner('a');

    const first = await signingCredentials(a);
    for (let i = 0; i < 5; i++) expect(await signingCredentials(a)).to.include({ accessKeyId: first.accessKeyId });
    expect(handle.callCount).to.equal(1);

    clock.tick(HOUR - 5 * MINUTE - 1_000); // 5 min 1 s before expiry: still good
    expect((await signingCredentials(a)).accessKeyId).to.equal(first.accessKeyId);
    expect(handle.callCount).to.equal(1);

    clock.tick(2_000); // inside the 5-minute window: one refresh, however many callers
    const refreshed = await Promise.all([signingCredentials(a), signingCredentials(a), partnerCredentials(a)]);
    expect(handle.callCount).to.equal(2);
    expect(new Set(refreshed.map((c) => c?.accessKeyId))).to.deep.equal(new Set(['ASIA1111111111112']));
    expect(first.accessKeyId).to.equal('ASIA1111111111111');

    clock.tick(30 * MINUTE);
    await signingCredentials(a);
    expect(handle.callCount).to.equal(2);
  });

  it('concurrent first calls for one partner share one AssumeRole', async () => {
    const sts = fakeSts();
    const { stub, release } = gate(sts, sandbox);
    const accounts = new MultiAccount(partners(sts));
    const calls = [
      signingCredentials(accounts.partner('a')),
      signingCredentials(accounts.partner('a')),
      partnerCredentials(accounts.partner('a')),
      signingCredentials(accounts.partner('a')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const got = await Promise.all(calls);
    expect(stub.callCount).to.equal(1);
    expect(got.map((c) => c.accessKeyId)).to.deep.equal(Array(4).fill('ASIA1111111111111'));
  });

  it("two partners never see each other's credentials: each AssumeRole carries its own role, external ID and session", async () => {
    const clock = sandbox.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z'), toFake: ['Date'] });
    const sts = fakeSts({ lifetimeMs: HOUR });
    const accounts = new MultiAccount(partners(sts));
    const [a, b] = await Promise.all([signingCredentials(accounts.partner('a')), signingCredentials(accounts.partner('b'))]);
    const callOf = (role: string) => sts.calls.filter((call) => call.roleArn === role);
    expect(callOf(ROLE_A)).to.have.length(1);
    expect(callOf(ROLE_B)).to.have.length(1);
    expect(callOf(ROLE_A)[0]).to.include({ externalId: 'ext-a', sessionName: 'dynamorm-a', accessKeyId: a.accessKeyId });
    expect(callOf(ROLE_B)[0]).to.include({ externalId: 'ext-b', sessionName: 'billing-sync', accessKeyId: b.accessKeyId });
    expect(a.accessKeyId).to.match(/^ASIA111111111111/);
    expect(b.accessKeyId).to.match(/^ASIA222222222222/);
    expect(a.sessionToken).to.equal(`token-${a.accessKeyId}`);

    // Each partner refreshes on its own: b's refresh does not touch a's credentials.
    clock.tick(HOUR - MINUTE);
    const bAgain = await signingCredentials(accounts.partner('b'));
    expect(callOf(ROLE_B)).to.have.length(2);
    expect(callOf(ROLE_A)).to.have.length(1);
    expect(bAgain.accessKeyId).to.match(/^ASIA222222222222/);
    expect(bAgain.accessKeyId).to.not.equal(b.accessKeyId);
  });

  it('a failed AssumeRole names the partner and the role, keeps the cause, and the next request tries again', async () => {
    const sts = fakeSts();
    const handle = sts.requestHandler.handle.bind(sts.requestHandler);
    const stub = sandbox.stub(sts.requestHandler, 'handle');
    stub.onFirstCall().resolves({
      response: {
        statusCode: 403,
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([
          Buffer.from(
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
              '<Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>',
          ),
        ]),
      },
    });
    stub.callsFake(handle);
    const a = new MultiAccount(partners(sts)).partner('a');
    const err = await signingCredentials(a).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DynamormError);
    expect((err as Error).message).to.contain(`MultiAccount partner 'a': AssumeRole of ${ROLE_A} failed: not authorized`);
    expect(((err as Error).cause as Error).name).to.equal('AccessDenied');
    expect((await signingCredentials(a)).accessKeyId).to.equal('ASIA1111111111111');
    expect(stub.callCount).to.equal(2);
  });

  it('run() scopes stay isolated across interleaved async calls', async () => {
    const fallback = stubConnection(sandbox); // the default connection: must not be used
    const accounts = new MultiAccount(partners(fakeSts()));
    const seen: string[] = [];
    for (const id of accounts.ids) {
      sandbox.stub(accounts.partner(id), 'get').callsFake(async (input) => {
        await new Promise((resolve) => setImmediate(resolve));
        const key: unknown = input.Key?.id;
        seen.push(`${id}:${String(key)}`);
        return { Item: { id: key, owner: id }, $metadata: {} };
      });
    }
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const session = (id: string) =>
      accounts.partner(id).run(async () => {
        const owners: string[] = [];
        for (const key of ['1', '2', '3']) {
          await tick();
          owners.push((await User.find(key)).owner!);
          // A nested scope for the other partner, then back to this one.
          const other = id === 'a' ? 'b' : 'a';
          owners.push(`(${(await accounts.partner(other).run(() => User.find(`n${key}`))).owner})`);
        }
        return owners;
      });
    const [fromA, fromB] = await Promise.all([session('a'), session('b')]);
    expect(fromA).to.deep.equal(['a', '(b)', 'a', '(b)', 'a', '(b)']);
    expect(fromB).to.deep.equal(['b', '(a)', 'b', '(a)', 'b', '(a)']);
    expect(seen.filter((s) => s.startsWith('a:')).sort()).to.deep.equal(['a:1', 'a:2', 'a:3', 'a:n1', 'a:n2', 'a:n3']);
    // The calls did interleave: neither partner ran all of its calls before the other started.
    expect(
      seen
        .slice(0, 2)
        .map((s) => s[0])
        .sort(),
    ).to.deep.equal(['a', 'b']);
    sinon.assert.notCalled(fallback.get);
  });
});
