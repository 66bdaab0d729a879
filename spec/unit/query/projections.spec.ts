import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Index, Model, PartitionKey, QueryError, TTL, Version } from '../../../lib';
import { schemaOf } from '../../../lib/metadata/registry';
import { deleteAllMatches } from '../../../lib/query/query-writes';
import { stubConnection } from '../../../lib/testing';
import { rejection, thrown } from '../../support/thrown';

// Twins: a query of the first warms its shape cache, the same query of the second compiles
// cold, so the order in which count() and all() meet a shape can be checked both ways.
function ticketModel() {
  @Model({ table: 'pj_tickets' })
  class Ticket extends BaseModel {
    @PartitionKey() id!: string;
    @Index('a-status', 'pk', { projection: 'KEYS_ONLY' }) status!: string;
    @Index('b-assignee', 'pk') assignee?: string;
    @Index('c-team', 'pk', { projection: ['title', 'expiresAt'] }) team?: string;
    @Attribute() title?: string;
    @Attribute({ unique: true }) email?: string;
    @TTL() expiresAt?: Date;
    @Version() version!: number;
  }
  return Ticket;
}

// count() may throw rather than reject (another item of issue 15 makes every terminal reject): either way.
const failure = (run: () => Promise<unknown>) => rejection((async () => run())());

const Ticket = ticketModel();

@Model({ table: 'pj_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text?: string;
}
const ColdTicket = ticketModel();

describe('query: index projections (DESIGN §11)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('count() reads a KEYS_ONLY index that all() of the same query cannot, whichever comes first', async () => {
    const conn = stubConnection(sandbox);
    conn.query.resolves({ Count: 3 });
    for (const [first, second] of [
      [Ticket, ColdTicket],
      [ColdTicket, Ticket],
    ] as const) {
      conn.query.resetHistory();
      expect(await first.where('status', '=', 'open').withExpired().count()).to.equal(3);
      const err = await failure(() => second.where('status', '=', 'open').withExpired().all());
      expect(err).to.be.instanceOf(QueryError);
      expect((err as Error).message).to.include(
        'a-status (its projection (KEYS_ONLY) lacks assignee, team, title, email, expiresAt, version, which this query reads)',
      );
      expect(await second.where('status', '=', 'open').withExpired().count()).to.equal(3);
      expect(conn.query.callCount).to.equal(2);
      expect(conn.query.firstCall.args[0]).to.deep.equal({
        TableName: 'pj_tickets',
        IndexName: 'a-status',
        KeyConditionExpression: '#n1 = :v1',
        ExpressionAttributeNames: { '#n1': 'status' },
        ExpressionAttributeValues: { ':v1': 'open' },
        Select: 'COUNT',
      });
    }
  });

  it('count() needs the @TTL attribute unless withExpired(), and the attributes its filters read', async () => {
    const conn = stubConnection(sandbox);
    const expiry = await failure(() => Ticket.where('status', '=', 'open').count());
    expect((expiry as Error).message).to.include('a-status (its projection (KEYS_ONLY) lacks expiresAt, which this query reads)');
    const filter = await failure(() => Ticket.where('status', '=', 'open').withExpired().filter('title', 'begins_with', 'Bug').count());
    expect((filter as Error).message).to.include('lacks title, which');
    conn.query.resolves({ Count: 1 });
    expect(await Ticket.where('team', '=', 't').filter('title', 'begins_with', 'Bug').count()).to.equal(1);
    expect(conn.query.callCount).to.equal(1);
    expect(conn.query.firstCall.args[0]).to.include({ IndexName: 'c-team', FilterExpression: 'begins_with(#n2, :v2) AND NOT #n3 < :v3' });
  });

  it('index(name) of an index that lacks what the query reads: a QueryError naming the attributes, before any request', async () => {
    const conn = stubConnection(sandbox);
    const query = Ticket.query().index('a-status').where('status', '=', 'open');
    for (const attempt of [() => query.all(), () => query.first(), () => query.page(), () => query.deleteAll(), () => query.updateAll({ title: 'x' })]) {
      const err = await failure(attempt);
      expect(err).to.be.instanceOf(QueryError);
      expect((err as Error).message).to.include(
        "Ticket.index('a-status'): the index projects KEYS_ONLY, without assignee, team, title, email, expiresAt, version, which this query reads",
      );
    }
    expect(thrown(QueryError, () => query.select('title').toParams()).message).to.include('without title, expiresAt, which this query reads');
    expect(thrown(QueryError, () => query.filter('email', 'exists').select('id').withExpired().toParams()).message).to.include('without email, which');
    for (const method of ['query', 'scan', 'get', 'delete', 'update', 'transactWrite', 'batchWrite'] as const)
      expect(conn[method].callCount, method).to.equal(0);
    // What the index projects, it serves.
    expect(query.select('id').withExpired().toParams()).to.deep.equal({
      TableName: 'pj_tickets',
      IndexName: 'a-status',
      KeyConditionExpression: '#n1 = :v1',
      ProjectionExpression: '#n2, #n1',
      ExpressionAttributeNames: { '#n1': 'status', '#n2': 'id' },
      ExpressionAttributeValues: { ':v1': 'open' },
    });
  });

  it('scan().index(name) follows the same rule', () => {
    stubConnection(sandbox);
    const err = thrown(QueryError, () => Ticket.scan().index('c-team').filter('email', 'exists').select('title').toParams());
    expect(err.message).to.include("Ticket.scan().index('c-team'): the index projects INCLUDE title, expiresAt, without email, which this query reads");
    expect(thrown(QueryError, () => Ticket.scan().index('c-team').toParams()).message).to.include('without status, assignee, email, version');
    expect(Ticket.scan().index('c-team').select('title').toParams()).to.include({ IndexName: 'c-team', ProjectionExpression: '#n3, #n4, #n5' });
  });

  it('explain() says why a projection passed an index over', () => {
    stubConnection(sandbox);
    const explained = Ticket.where('status', '=', 'open').where('assignee', '=', 'ann').explain();
    expect(explained.index).to.equal('b-assignee');
    expect(explained.notes).to.include(
      'not a-status: its projection (KEYS_ONLY) lacks assignee, team, title, email, expiresAt, version, which this query reads',
    );
  });

  it('deleteAll and updateAll plan as all() does: no KEYS_ONLY index, nothing sent', async () => {
    const conn = stubConnection(sandbox);
    for (const attempt of [() => Ticket.where('status', '=', 'open').deleteAll(), () => Ticket.where('status', '=', 'open').updateAll({ title: 'x' })]) {
      const err = await failure(attempt);
      expect(err).to.be.instanceOf(QueryError);
      expect((err as Error).message).to.include('a-status (its projection (KEYS_ONLY) lacks');
    }
    expect(conn.query.callCount + conn.transactWrite.callCount + conn.update.callCount).to.equal(0);
  });

  it('deleteAll refuses a partial instance on its batched path too (no @Version, no unique attributes), before any write', async () => {
    const conn = stubConnection(sandbox);
    conn.query.resolves({ Items: [{ id: 'n1', text: 'a' }, { id: 'n2' }] });
    const partial = await Note.where('id', '=', 'n1').select('id').all();
    async function* matches() {
      yield* await Note.where('id', '=', 'n1').all();
      yield* partial;
    }
    const err = await rejection(deleteAllMatches(schemaOf(Note), matches(), 'Note.where(...).deleteAll'));
    expect(err).to.be.instanceOf(QueryError);
    expect((err as Error).message).to.equal(
      'Note: cannot deleteAll an instance read with select(...): it holds only some attributes, so it is read-only; call reload() first to load it whole.',
    );
    expect(conn.batchWrite.callCount).to.equal(0);
  });
});
