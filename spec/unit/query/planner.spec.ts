import { expect } from 'chai';
import { Attribute, BaseModel, Index, Model, PartitionKey, QueryError, SortKey, TTL } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { planQuery, type PlanRequest, type WhereClause } from '../../../lib/query/planner';
import { thrown } from '../../support/thrown';

@Model({ table: 'plan_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-email', 'pk') email!: string;
  @Index('gsi-age-status', 'pk', { type: Number }) age!: number;
  @Index('gsi-age-status', 'sk') @Index('gsi-status-created', 'pk') status!: string;
  @Index('gsi-status-created', 'sk', { type: Date }) createdAt!: Date;
  @Attribute() name?: string;
}

@Model({ table: 'plan_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey() orderId!: string;
  @Index('lsi-total', 'sk', { type: Number }) total!: number;
  @Index('gsi-status', 'pk') status!: string;
}

@Model({ table: 'plan_projects' })
class Task extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}#PROJECT#{projectId}' }) pk!: string;
  @SortKey({ template: 'STATE#{state}#TASK#{taskId}' }) sk!: string;
  @Attribute() orgId!: string;
  @Attribute() projectId!: string;
  @Attribute() state!: string;
  @Attribute() taskId!: string;
}

@Model({ table: 'plan_logs' })
class Log extends BaseModel {
  @PartitionKey() stream!: string;
  @SortKey({ type: Number }) seq!: number;
}

const users = resolveModel(User);
const logs = resolveModel(Log);
const orders = resolveModel(Order);
const tasks = resolveModel(Task);
const w = (property: string, op: WhereClause['op'], ...values: unknown[]): WhereClause => ({ property, op, values });
const request = (where: WhereClause[], more: Partial<PlanRequest> = {}): PlanRequest => ({ where, filtered: new Set(), consistent: false, ...more });
const indexOf = (plan: ReturnType<typeof planQuery>) => plan.keySchema.name ?? 'table';

describe('query planner: choosing the key schema (DESIGN §3)', () => {
  it('an = on a GSI partition key chooses that GSI', () => {
    const plan = planQuery(users, request([w('email', '=', 'a@b.co')]));
    expect(indexOf(plan)).to.equal('gsi-email');
    expect(plan.score).to.equal(1);
    expect(plan.rest).to.deep.equal([]);
  });

  it('the table key wins a tie, and non-key conditions stay as filters', () => {
    const plan = planQuery(users, request([w('id', '=', '1'), w('name', '=', 'Ann')]));
    expect(indexOf(plan)).to.equal('table');
    expect(plan.rest.map((c) => c.property)).to.deep.equal(['name']);
  });

  it('a sort key condition scores one more', () => {
    const plan = planQuery(users, request([w('age', '=', 30), w('status', '>=', 'a')]));
    expect(indexOf(plan)).to.equal('gsi-age-status');
    expect(plan.score).to.equal(2);
    expect(plan.sort[0]?.attr.property).to.equal('status');
  });

  it('orderBy on a sort key scores one more, and decides between indexes', () => {
    const plan = planQuery(users, request([w('status', '=', 'active')], { orderBy: 'createdAt' }));
    expect(indexOf(plan)).to.equal('gsi-status-created');
    expect(plan.score).to.equal(2);
  });

  it('orderBy on anything but the chosen sort key is a QueryError', () => {
    const err = thrown(QueryError, () => planQuery(users, request([w('email', '=', 'a')], { orderBy: 'name' })));
    expect(err.message).to.include("orderBy('name') needs 'name' to be the sort key");
  });

  it('a key attribute of an index that cannot join its key condition rules that index out (DynamoDB forbids it in a filter)', () => {
    // status is gsi-status-created's partition key and gsi-age-status's sort key; a '>=' cannot be a partition key condition.
    const plan = planQuery(users, request([w('age', '=', 30), w('status', '>=', 'a'), w('createdAt', '>', new Date(0))]));
    expect(indexOf(plan)).to.equal('gsi-age-status');
    expect(plan.rest.map((c) => c.property)).to.deep.equal(['createdAt']);
    const err = thrown(QueryError, () => planQuery(users, request([w('age', '=', 30)], { filtered: new Set(['status']) })));
    expect(err.message).to.include("gsi-age-status ('status' is one of its key attributes");
  });

  it('a filter() on the key attribute of the only candidate leaves no index', () => {
    const err = thrown(QueryError, () => planQuery(users, request([w('email', '=', 'a')], { filtered: new Set(['email']) })));
    expect(err.message).to.include("gsi-email ('email' is one of its key attributes");
  });

  it('consistent() leaves out GSIs', () => {
    const err = thrown(QueryError, () => planQuery(users, request([w('email', '=', 'a')], { consistent: true })));
    expect(err.message).to.include('gsi-email (a global secondary index cannot be read consistently');
    const plan = planQuery(orders, request([w('customerId', '=', 'c'), w('total', '>', 5)], { consistent: true }));
    expect(indexOf(plan)).to.equal('lsi-total');
  });

  it('an LSI wins over a GSI with the same score, the table over both', () => {
    expect(indexOf(planQuery(orders, request([w('customerId', '=', 'c'), w('total', '>', 5)])))).to.equal('lsi-total');
    expect(indexOf(planQuery(orders, request([w('customerId', '=', 'c')])))).to.equal('table');
  });

  it('no qualifying key schema is a QueryError naming the indexes and pointing to scan()', () => {
    const err = thrown(QueryError, () => planQuery(users, request([w('name', '=', 'Ann')])));
    expect(err.message).to.include('no key schema can serve this query (where: name =)');
    expect(err.message).to.include('gsi-age-status (GSI: age, status)');
    expect(err.message).to.include('User.scan()');
  });

  it('a range on a partition key, or two conditions on one key attribute, say so', () => {
    expect(thrown(QueryError, () => planQuery(users, request([w('id', '>', 'a')]))).message).to.include(
      "needs '=', not '>' (a partition key cannot take a range)",
    );
    expect(thrown(QueryError, () => planQuery(logs, request([w('stream', '=', 's'), w('seq', '>', 1), w('seq', '<', 9)]))).message).to.include(
      'its sort key seq has 2 conditions; a key condition takes one (use between)',
    );
    // With an LSI to read instead, the table's sort key is an ordinary filter there.
    const viaLsi = planQuery(orders, request([w('customerId', '=', 'c'), w('orderId', '>', 'a'), w('orderId', '<', 'z')]));
    expect(indexOf(viaLsi)).to.equal('lsi-total');
    expect(viaLsi.rest.map((c) => c.property)).to.deep.equal(['orderId', 'orderId']);
  });

  it('index(name) reads that index or says why it cannot; an unknown index is named', () => {
    expect(indexOf(planQuery(users, request([w('age', '=', 30)], { index: 'gsi-age-status' })))).to.equal('gsi-age-status');
    expect(thrown(QueryError, () => planQuery(users, request([w('age', '=', 30)], { index: 'gsi-email' }))).message).to.include(
      "gsi-email (no '=' condition on its partition key email",
    );
    expect(thrown(QueryError, () => planQuery(users, request([], { index: 'nope' }))).message).to.include(
      "User.index('nope'): no such index; User has the indexes gsi-age-status",
    );
  });

  it('key templates: = on every source of the partition key, a prefix of the sort key as begins_with', () => {
    const plan = planQuery(tasks, request([w('orgId', '=', 'o'), w('projectId', '=', 'p'), w('state', '=', 'open')]));
    expect(indexOf(plan)).to.equal('table');
    expect(plan.partition[0]).to.include({ kind: 'template', complete: true });
    expect(plan.sort[0]).to.include({ kind: 'template', complete: false });
    expect(plan.rest).to.deep.equal([]);
    expect(plan.score).to.equal(2);
    const whole = planQuery(tasks, request([w('orgId', '=', 'o'), w('projectId', '=', 'p'), w('state', '=', 'open'), w('taskId', '=', 't')]));
    expect(whole.sort[0]).to.include({ kind: 'template', complete: true });
    expect(thrown(QueryError, () => planQuery(tasks, request([w('orgId', '=', 'o')]))).message).to.include('is built from orgId, projectId');
  });
});

describe('query planner: one plan per query shape', () => {
  it("reuses the plan of a shape with each query's own values", () => {
    const first = User.where('age', '=', 30).where('status', '>=', 'a').where('name', '=', 'Ann').toParams();
    const second = User.where('age', '=', 41).where('status', '>=', 'q').where('name', '=', 'Bo').toParams();
    expect(second.IndexName).to.equal('gsi-age-status');
    expect(second.KeyConditionExpression).to.equal('#n1 = :v1 AND #n2 >= :v2');
    expect(second.ExpressionAttributeValues).to.deep.equal({ ':v1': 41, ':v2': 'q', ':v3': 'Bo' });
    expect(first.ExpressionAttributeValues).to.deep.equal({ ':v1': 30, ':v2': 'a', ':v3': 'Ann' });
    // Another shape is planned on its own.
    expect(User.where('email', '=', 'a').toParams().IndexName).to.equal('gsi-email');
  });
});

// Three GSIs that tie on a query of status and assignee; 'a-status' wins the name tie-break
// unless its projection rules it out.
@Model({ table: 'plan_tickets' })
class Ticket extends BaseModel {
  @PartitionKey() id!: string;
  @Index('a-status', 'pk', { projection: 'KEYS_ONLY' }) status!: string;
  @Index('b-assignee', 'pk') assignee!: string;
  @Index('c-team', 'pk', { projection: ['title', 'expiresAt'] }) team!: string;
  @Attribute({ name: 'ttl_title' }) title!: string;
  @Attribute() body?: string;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'plan_boards' })
class Board extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
  @SortKey() id!: string;
  @Attribute() orgId!: string;
  @Index('lsi-rank', 'sk', { type: Number, projection: ['note'] }) rank!: number;
  @Index('gsi-lane', 'pk', { projection: 'KEYS_ONLY' }) @Attribute({ template: 'LANE#{lane}' }) laneKey!: string;
  @Attribute() lane!: string;
  @Attribute() note?: string;
}

const tickets = resolveModel(Ticket);
const boards = resolveModel(Board);

describe('query planner: index projections (DESIGN §11)', () => {
  it('a tie no longer goes to a KEYS_ONLY index that lacks a filtered attribute', () => {
    const plan = planQuery(tickets, request([w('status', '=', 'open'), w('assignee', '=', 'ann')], { reads: 'all' }));
    expect(indexOf(plan)).to.equal('b-assignee');
    expect(plan.rest.map((c) => c.property)).to.deep.equal(['status']);
    expect(plan.passedOver).to.deep.include({
      index: 'a-status',
      reason: 'its projection (KEYS_ONLY) lacks assignee, team, title, body, expiresAt, which this query reads',
    });
    // Where only the filter is missing, the reason names it alone.
    const select = planQuery(tickets, request([w('status', '=', 'open'), w('assignee', '=', 'ann')], { reads: ['id'] }));
    expect(indexOf(select)).to.equal('b-assignee');
    expect(select.passedOver).to.deep.include({ index: 'a-status', reason: 'its projection (KEYS_ONLY) lacks assignee, which this query reads' });
    // A query only the keys can serve still goes to a-status by the tie-break.
    expect(indexOf(planQuery(tickets, request([w('status', '=', 'open'), w('id', '=', 'x')], { index: 'a-status', reads: [] })))).to.equal('a-status');
  });

  it('whole items (all, first, page, deleteAll, updateAll) need every persisted attribute', () => {
    const err = thrown(QueryError, () => planQuery(tickets, request([w('team', '=', 't')], { reads: 'all' })));
    expect(err.message).to.include('c-team (its projection (INCLUDE ttl_title, expiresAt) lacks');
    expect(err.message).to.include('lacks status, assignee, body, which this query reads');
    expect(indexOf(planQuery(tickets, request([w('assignee', '=', 'a')], { reads: 'all' })))).to.equal('b-assignee');
  });

  it('select() and the @TTL check need only their attributes: an INCLUDE index that has them serves', () => {
    const plan = planQuery(tickets, request([w('team', '=', 't')], { reads: ['title', 'expiresAt'] }));
    expect(indexOf(plan)).to.equal('c-team');
    // The table key and the index key are always projected.
    expect(indexOf(planQuery(tickets, request([w('status', '=', 'open')], { reads: ['id', 'status'] })))).to.equal('a-status');
    const err = thrown(QueryError, () => planQuery(tickets, request([w('status', '=', 'open')], { reads: ['id', 'expiresAt'] })));
    expect(err.message).to.include('a-status (its projection (KEYS_ONLY) lacks expiresAt, which this query reads)');
  });

  it("filters count: a where clause outside the key condition and filter()'s properties", () => {
    expect(thrown(QueryError, () => planQuery(tickets, request([w('team', '=', 't')], { filtered: new Set(['body']), reads: [] }))).message).to.include(
      'lacks body',
    );
    expect(
      thrown(QueryError, () => planQuery(tickets, request([w('team', '=', 't'), w('assignee', '=', 'a')], { index: 'c-team', reads: [] }))).message,
    ).to.include('without assignee,');
  });

  it('index(name) of an index that lacks what the query reads is a QueryError naming the attributes', () => {
    const err = thrown(QueryError, () =>
      planQuery(tickets, request([w('status', '=', 'open')], { index: 'a-status', filtered: new Set(['title']), reads: ['body', 'expiresAt'] })),
    );
    expect(err.message).to.include("Ticket.index('a-status'): the index projects KEYS_ONLY, without title, body, expiresAt, which this query reads");
    expect(err.message).to.include('withExpired()');
    expect(indexOf(planQuery(tickets, request([w('status', '=', 'open')], { index: 'a-status', reads: ['id'] })))).to.equal('a-status');
  });

  it('an LSI projects its own list plus the keys; a key template source that joins the key condition is not read', () => {
    expect(indexOf(planQuery(boards, request([w('orgId', '=', 'o'), w('rank', '>', 1)], { reads: ['note'] })))).to.equal('lsi-rank');
    const plan = planQuery(boards, request([w('orgId', '=', 'o'), w('rank', '>', 1)], { reads: 'all' }));
    expect(indexOf(plan)).to.equal('table');
    expect(plan.passedOver).to.deep.include({ index: 'lsi-rank', reason: 'its projection (INCLUDE note) lacks orgId, laneKey, lane, which this query reads' });
    expect(plan.rest.map((c) => c.property)).to.deep.equal(['rank']);
    // lane builds gsi-lane's key, so its condition is the key condition and needs no projection.
    expect(indexOf(planQuery(boards, request([w('lane', '=', 'todo')], { reads: ['id'] })))).to.equal('gsi-lane');
  });
});
