import { expect } from 'chai';
import { Attribute, BaseModel, deleteTable, ensureTable, Model, MultiAccount, PartitionKey } from '../../../lib';
import { fakeSts } from '../../../examples/support/fake-sts';
import { localEndpoint, testCredentials } from '../../support/root-hooks';

@Model({ table: 'acct_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text!: string;
}

describe('MultiAccount (local DynamoDB)', () => {
  const sts = fakeSts();
  let accounts: MultiAccount;
  const signedWith: Record<string, string[]> = { a: [], b: [] };

  before(async () => {
    const common = { endpoint: localEndpoint(), masterCredentials: testCredentials, stsClientConfig: { requestHandler: sts.requestHandler } };
    accounts = new MultiAccount({
      a: { ...common, roleArn: 'arn:aws:iam::111111111111:role/notes', externalId: 'ext-a', region: 'eu-west-1', tablePrefix: 'acct_a_' },
      b: { ...common, roleArn: 'arn:aws:iam::222222222222:role/notes', externalId: 'ext-b', region: 'us-east-1', tablePrefix: 'acct_b_' },
    });
    for (const id of accounts.ids) {
      // The access key of each request's signature, read once the request is signed.
      const stack = accounts.partner(id).client.middlewareStack;
      const capture = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        const auth = String((args as { request: { headers: Record<string, string | undefined> } }).request.headers.authorization);
        signedWith[id].push(/Credential=([^/]+)\//.exec(auth)?.[1] ?? auth);
        return next(args);
      };
      stack.addRelativeTo(capture as unknown as Parameters<typeof stack.addRelativeTo>[0], {
        relation: 'after',
        toMiddleware: 'httpSigningMiddleware',
        name: 'acctCaptureSignature',
      });
      await accounts.partner(id).run(() => ensureTable(Note));
    }
  });

  after(async () => {
    for (const id of accounts.ids) await accounts.partner(id).run(() => deleteTable(Note, { ifExists: true }));
    accounts.close();
  });

  it("signs each partner's requests with that partner's assumed credentials, and keeps their data apart", async () => {
    await Promise.all([
      accounts.partner('a').run(() => Note.create({ id: '1', text: 'from a' })),
      accounts.partner('b').run(() => Note.create({ id: '1', text: 'from b' })),
    ]);
    expect((await accounts.partner('a').run(() => Note.find('1'))).text).to.equal('from a');
    expect((await accounts.partner('b').run(() => Note.find('1'))).text).to.equal('from b');

    expect(sts.calls.map((call) => [call.roleArn, call.externalId]).sort()).to.deep.equal([
      ['arn:aws:iam::111111111111:role/notes', 'ext-a'],
      ['arn:aws:iam::222222222222:role/notes', 'ext-b'],
    ]);
    const keyOf = (role: string) => sts.calls.find((call) => call.roleArn.includes(role))!.accessKeyId;
    expect(signedWith.a.length).to.be.greaterThan(2);
    expect(new Set(signedWith.a)).to.deep.equal(new Set([keyOf('111111111111')]));
    expect(new Set(signedWith.b)).to.deep.equal(new Set([keyOf('222222222222')]));
  });
});
