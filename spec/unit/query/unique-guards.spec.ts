import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Index, Model, PartitionKey, SortKey, TTL, ValidationError } from '../../../lib';
import { stubConnection } from '../../../lib/testing';
import { rejection, thrown } from '../../support/thrown';

// DESIGN §11: unique guards are invisible to every read path. A guard stores reserved values
// ('_dynamorm#...') in the table's partition and sort key, and its owner's @TTL. A key
// condition whose partition value is reserved, on a key schema partitioned by one of the
// table's key attributes, is a ValidationError (for every query of the shape, cached or
// not); a key schema that can still hold guards (partitioned by the @TTL) filters them out;
// every other query's request stays as it was.

function accountModel() {
  @Model({ table: 'ug_accounts' })
  class Account extends BaseModel {
    @PartitionKey() tenant!: string;
    @Index('gsi-by-user', 'pk') @SortKey() user!: string;
    @Index('lsi-plan', 'sk') plan!: string;
    @Index('gsi-email', 'pk') @Attribute({ unique: true }) email!: string;
    @Index('gsi-expiry', 'pk', { type: Date }) @Index('gsi-email', 'sk', { type: Date }) @TTL() expiresAt?: Date;
  }
  return Account;
}

function orgModel() {
  @Model({ table: 'ug_orgs' })
  class Org extends BaseModel {
    @PartitionKey({ template: '{region}#{orgId}' }) pk!: string;
    @Attribute() region!: string;
    @Attribute() orgId!: string;
  }
  return Org;
}

const Account = accountModel();
const ColdAccount = accountModel();
const Org = orgModel();
const GUARD = '_dynamorm#unique#ug_accounts#email#a@b.co';

describe('query: unique guards never reach a result', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('a reserved partition value of the table, an LSI or a GSI on the table sort key is a ValidationError, warm or cold, before any request', async () => {
    const conn = stubConnection(sandbox);
    conn.query.resolves({ Items: [] });
    const refused: Array<[string, (M: typeof Account, value: string) => { toParams(): unknown; all(): Promise<unknown> }, string]> = [
      ['the table', (M, v) => M.where('tenant', '=', v), "Account.where('tenant', '=', ...): partition key values starting with '_dynamorm#' are reserved"],
      ['an LSI', (M, v) => M.where('tenant', '=', v).where('plan', '=', 'pro'), "Account.where('tenant', '=', ...)"],
      ['a GSI on the table sort key', (M, v) => M.query().index('gsi-by-user').where('user', '=', v), "Account.where('user', '=', ...)"],
    ];
    for (const [label, shape, message] of refused) {
      await shape(Account, 'warm').all(); // the shape's template is cached
      for (const M of [Account, ColdAccount]) {
        expect(thrown(ValidationError, () => shape(M, GUARD).toParams()).message, label).to.include(message);
        expect(await rejection(shape(M, '_dynamorm#unique').all()), label).to.be.instanceOf(ValidationError);
      }
    }
    expect(conn.query.callCount).to.equal(refused.length);
  });

  it('a value rendered into the reserved namespace by a key template is refused', () => {
    stubConnection(sandbox);
    Org.where('region', '=', 'eu').where('orgId', '=', 'o1').toParams();
    const error = thrown(ValidationError, () => Org.where('region', '=', '_dynamorm').where('orgId', '=', 'x').toParams());
    expect(error.message).to.include("Org.pk (rendered from its template): partition key values starting with '_dynamorm#' are reserved");
    expect(error.errors).to.deep.equal([{ property: 'pk', value: '_dynamorm#x', constraints: { reservedKey: 'starts with _dynamorm#' } }]);
  });

  it('a reserved value in a sort key condition, or in the key of an index guards are not in, is a value like any other', () => {
    stubConnection(sandbox);
    expect(Account.where('tenant', '=', 't1').where('user', '>=', '_dynamorm#').withExpired().toParams()).to.deep.equal({
      TableName: 'ug_accounts',
      KeyConditionExpression: '#n1 = :v1 AND #n2 >= :v2',
      ExpressionAttributeNames: { '#n1': 'tenant', '#n2': 'user' },
      ExpressionAttributeValues: { ':v1': 't1', ':v2': '_dynamorm#' },
    });
    expect(Account.where('email', '=', '_dynamorm#x').withExpired().toParams()).to.deep.equal({
      TableName: 'ug_accounts',
      IndexName: 'gsi-email',
      KeyConditionExpression: '#n1 = :v1',
      ExpressionAttributeNames: { '#n1': 'email' },
      ExpressionAttributeValues: { ':v1': '_dynamorm#x' },
    });
  });

  it('a query of the table, an LSI or a GSI on a table key attribute sends no guard filter', () => {
    stubConnection(sandbox);
    for (const query of [
      Account.where('tenant', '=', 't1').withExpired(),
      Account.where('tenant', '=', 't1').where('plan', '=', 'pro').withExpired(),
      Account.query().index('gsi-by-user').where('user', '=', 'u1').withExpired(),
    ]) {
      expect(query.toParams()).not.to.have.property('FilterExpression');
    }
  });

  it('a GSI partitioned by the @TTL (guards carry it) filters guards out, as scans do', () => {
    stubConnection(sandbox);
    const at = new Date(Date.UTC(2026, 0, 1));
    expect(Account.query().index('gsi-expiry').where('expiresAt', '=', at).withExpired().toParams()).to.deep.equal({
      TableName: 'ug_accounts',
      IndexName: 'gsi-expiry',
      KeyConditionExpression: '#n1 = :v1',
      FilterExpression: 'attribute_not_exists(#n2)',
      ExpressionAttributeNames: { '#n1': 'expiresAt', '#n2': '__dynamorm_unique' },
      ExpressionAttributeValues: { ':v1': at.getTime() / 1000 },
    });
    expect(Account.scan().withExpired().toParams()).to.deep.equal({
      TableName: 'ug_accounts',
      FilterExpression: 'attribute_not_exists(#n1)',
      ExpressionAttributeNames: { '#n1': '__dynamorm_unique' },
    });
  });
});
