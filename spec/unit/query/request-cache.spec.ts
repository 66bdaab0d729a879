import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Index, Model, PartitionKey, QueryError, SortKey, TTL, ValidationError } from '../../../lib';
import { schemaOf } from '../../../lib/metadata/registry';
import { MAX_TEMPLATES, templateCount } from '../../../lib/query/request-cache';
import { stubConnection } from '../../../lib/testing';
import { rejection, thrown } from '../../support/thrown';

// Two identical models per kind: queries of the first warm its template cache, the same
// queries of the twin compile cold (the first of their shape), so their requests must match.
function orderModel() {
  @Model({ table: 'rc_orders' })
  class Order extends BaseModel {
    @PartitionKey() customerId!: string;
    @SortKey({ type: Date }) placedAt!: Date;
    @Index('gsi-status', 'pk') status!: string;
    @Index('lsi-total', 'sk', { type: Number }) total!: number;
    @Attribute({ set: true }) tags?: Set<string>;
    @Attribute({ type: Number }) items?: number;
    @Attribute() note?: string;
    @TTL() expiresAt?: Date;
  }
  return Order;
}

function taskModel() {
  @Model({ table: 'rc_tasks' })
  class Task extends BaseModel {
    @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
    @SortKey({ template: 'STATE#{state}#TASK#{taskId}' }) sk!: string;
    @Attribute() orgId!: string;
    @Attribute() state!: string;
    @Attribute() taskId!: string;
  }
  return Task;
}

const Order = orderModel();
const ColdOrder = orderModel();
const Task = taskModel();
const ColdTask = taskModel();
type OrderClass = typeof Order;
type TaskClass = typeof Task;

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

// Query shapes, each given its values by `n`; `n` changes every value.
const orderShapes: Array<[string, (M: OrderClass, n: number) => { toParams(): Record<string, unknown> }]> = [
  ['partition =', (M, n) => M.where('customerId', '=', `c${n}`)],
  [
    'sort between, desc',
    (M, n) =>
      M.where('customerId', '=', `c${n}`)
        .where('placedAt', 'between', day(n), day(n + 3))
        .orderBy('placedAt', 'desc'),
  ],
  ['sort >=, a where clause as filter', (M, n) => M.where('customerId', '=', `c${n}`).where('placedAt', '>=', day(n)).where('items', '>', n)],
  [
    'structured filters',
    (M, n) =>
      M.where('customerId', '=', `c${n}`)
        .filter('tags', 'contains', `t${n}`)
        .filter('items', 'between', n, n + 9)
        .filter('note', 'exists'),
  ],
  [
    'filter in',
    (M, n) =>
      M.where('customerId', '=', `c${n}`)
        .filter('status', 'in', [`s${n}`, `s${n + 1}`, `s${n + 2}`])
        .filter('tags', 'not_contains', 'x'),
  ],
  [
    'begins_with on a gsi, limit',
    (M, n) =>
      M.where('status', '=', `s${n}`)
        .filter('note', 'begins_with', `n${n}`)
        .limit(n + 1),
  ],
  [
    'lsi, consistent, select, offset, limit',
    (M, n) =>
      M.where('customerId', '=', `c${n}`)
        .where('total', '<', n * 10)
        .consistent()
        .select('note', 'items')
        .offset(2)
        .limit(n + 5),
  ],
  ['withExpired', (M, n) => M.where('customerId', '=', `c${n}`).withExpired()],
  [
    'scan, filters, parallel',
    (M, n) =>
      M.scan()
        .filter('items', '<>', n)
        .filter('note', 'not_exists')
        .parallel(n + 1),
  ],
  [
    'scan of an index',
    (M, n) =>
      M.scan()
        .index('gsi-status')
        .filter('items', '>=', n)
        .limit(n + 2),
  ],
];

const taskShapes: Array<[string, (M: TaskClass, n: number) => { toParams(): Record<string, unknown>; explain(): unknown }]> = [
  ['a whole templated key', (M, n) => M.where('orgId', '=', `o${n}`).where('state', '=', `open${n}`).where('taskId', '=', `t${n}`)],
  ['a templated key prefix', (M, n) => M.where('orgId', '=', `o${n}`).where('state', '=', `open${n}`)],
];

describe('query: one compiled request per query shape', () => {
  for (const [name, shape] of orderShapes) {
    it(`${name}: a query of a known shape sends what a first compile sends`, () => {
      for (let n = 1; n <= 3; n++) shape(Order, n).toParams(); // warm
      for (let n = 4; n <= 6; n++) {
        expect(shape(Order, n).toParams(), `n = ${n}`).to.deep.equal(shape(ColdOrder, n).toParams());
      }
    });
  }

  for (const [name, shape] of taskShapes) {
    it(`${name}: a query of a known shape sends what a first compile sends`, () => {
      shape(Task, 1).toParams();
      expect(shape(Task, 2).toParams()).to.deep.equal(shape(ColdTask, 2).toParams());
      expect(shape(Task, 3).explain()).to.deep.equal(shape(ColdTask, 3).explain());
    });
  }

  it('keeps the request of one query apart from the next: fresh objects, each query its own values', () => {
    const first = Order.where('customerId', '=', 'c1').where('placedAt', 'between', day(1), day(2)).toParams();
    const second = Order.where('customerId', '=', 'c2').where('placedAt', 'between', day(5), day(6)).toParams();
    expect(second).not.to.equal(first);
    expect(second.ExpressionAttributeNames).not.to.equal(first.ExpressionAttributeNames);
    expect(first.ExpressionAttributeValues).to.include({ ':v1': 'c1', ':v2': day(1).toISOString(), ':v3': day(2).toISOString() });
    expect(second.ExpressionAttributeValues).to.include({ ':v1': 'c2', ':v2': day(5).toISOString(), ':v3': day(6).toISOString() });
    // What one caller (or the SDK) does to its request reaches no other.
    (first.ExpressionAttributeNames as Record<string, string>)['#n1'] = 'changed';
    (first.ExpressionAttributeValues as Record<string, unknown>)[':v1'] = 'changed';
    first.KeyConditionExpression = 'changed';
    const third = Order.where('customerId', '=', 'c3').where('placedAt', 'between', day(7), day(8)).toParams();
    expect(third).to.deep.equal(ColdOrder.where('customerId', '=', 'c3').where('placedAt', 'between', day(7), day(8)).toParams());
  });

  it('reads the time of each query into its expiry filter', () => {
    const clock = sinon.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    try {
      const at = (q: { toParams(): Record<string, unknown> }) => (q.toParams().ExpressionAttributeValues as Record<string, unknown>)[':v2'];
      expect(at(Order.where('customerId', '=', 'c1'))).to.equal(Date.UTC(2026, 0, 1) / 1000);
      clock.tick(5000);
      expect(at(Order.where('customerId', '=', 'c1'))).to.equal(Date.UTC(2026, 0, 1) / 1000 + 5);
    } finally {
      clock.restore();
    }
  });

  it("explain() of a known shape gives this query's request and the same notes", () => {
    Order.where('status', '=', 's1').explain();
    expect(Order.where('status', '=', 's9').explain()).to.deep.equal(ColdOrder.where('status', '=', 's9').explain());
  });

  it('still rejects a value of the wrong type, before any request', async () => {
    const sandbox = sinon.createSandbox();
    const conn = stubConnection(sandbox);
    try {
      conn.query.resolves({ Items: [] });
      await Order.where('customerId', '=', 'c1').where('placedAt', '>=', day(1)).all();
      expect(conn.query.callCount).to.equal(1);
      const wrongSort = thrown(ValidationError, () =>
        Order.where('customerId', '=', 'c1')
          .where('placedAt', '>=', 'yesterday' as unknown as Date)
          .toParams(),
      );
      expect(wrongSort.message).to.equal(
        thrown(ValidationError, () =>
          ColdOrder.where('customerId', '=', 'c1')
            .where('placedAt', '>=', 'yesterday' as unknown as Date)
            .toParams(),
        ).message,
      );
      expect(
        await rejection(
          Order.where('customerId', '=', 7 as unknown as string)
            .where('placedAt', '>=', day(1))
            .all(),
        ),
      ).to.be.instanceOf(ValidationError);
      Order.where('customerId', '=', 'c1').filter('items', '>', 1).toParams();
      thrown(ValidationError, () =>
        Order.where('customerId', '=', 'c1')
          .filter('items', '>', '1' as unknown as number)
          .toParams(),
      );
      Order.where('customerId', '=', 'c1')
        .filter('tags', '=', new Set(['a']))
        .toParams();
      expect(thrown(QueryError, () => Order.where('customerId', '=', 'c1').filter('tags', '=', new Set<string>()).toParams()).message).to.match(
        /got undefined/,
      );
      expect(conn.query.callCount).to.equal(1);
    } finally {
      sandbox.restore();
    }
  });

  it('compiles a query with an expression filter afresh (its text and params are its shape)', () => {
    const schema = schemaOf(Order);
    Order.where('customerId', '=', 'c1').filter('note = :n', { n: 'a' }).toParams();
    const before = templateCount(schema);
    const params = Order.where('customerId', '=', 'c2').filter('note = :n OR items > :i', { n: 'b', i: 3 }).toParams();
    expect(templateCount(schema)).to.equal(before);
    expect(params).to.deep.equal(ColdOrder.where('customerId', '=', 'c2').filter('note = :n OR items > :i', { n: 'b', i: 3 }).toParams());
  });

  it('keeps at most MAX_TEMPLATES shapes per model', () => {
    const Many = orderModel();
    const schema = schemaOf(Many);
    for (let n = 0; n <= MAX_TEMPLATES + 10; n++) {
      Many.where('customerId', '=', 'c')
        .filter(
          'status',
          'in',
          Array.from({ length: (n % 100) + 1 }, (_, i) => `s${i}`),
        )
        .limit(n + 1)
        .select(n % 2 ? 'note' : 'items')
        .toParams();
      expect(templateCount(schema)).to.be.at.most(MAX_TEMPLATES);
    }
    expect(templateCount(schema)).to.be.greaterThan(0);
  });
});
