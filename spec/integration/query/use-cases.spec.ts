import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  CreatedAt,
  ensureTable,
  getConnection,
  Index,
  InvalidCursorError,
  Model,
  PartitionKey,
  QueryError,
  SortKey,
  TTL,
  ValidationError,
} from '../../../lib';

// The use cases of DESIGN §3, against the local server.
@Model({ table: 'q_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-email', 'pk', { unique: true }) email!: string;
  @Attribute() name?: string;
  @Index('gsi-age-status', 'pk', { type: Number }) age!: number;
  @Index('gsi-age-status', 'sk') @Index('gsi-status-created', 'pk') status!: string;
  @Attribute({ set: true }) tags?: Set<string>;
  @Index('gsi-status-created', 'sk', { type: Date }) @CreatedAt() createdAt!: Date;
  @TTL() expiresAt?: Date;
}

@Model({ table: 'q_metrics' })
class Metric extends BaseModel {
  @PartitionKey() deviceId!: string;
  @SortKey({ type: Date }) at!: Date;
  @Attribute({ type: Number }) value!: number;
}

@Model({ table: 'q_projects' })
class Project extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
  @SortKey({ template: 'PROJECT#{state}#{projectId}' }) sk!: string;
  @Attribute() orgId!: string;
  @Attribute() projectId!: string;
  @Attribute() state!: string;
}

const day = (n: number) => new Date(Date.UTC(2026, 0, n));
const ids = (list: Array<{ id: string }>) => list.map((u) => u.id).sort();

describe('queries: the use cases (local DynamoDB)', () => {
  before(async () => {
    await Promise.all([ensureTable(User), ensureTable(Metric), ensureTable(Project)]);
    // TTL switched off, so the expired user stays (not swept) for as long as the specs need it.
    const conn = getConnection();
    await conn.updateTimeToLive({ TableName: conn.tableName('q_users'), TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } });
    const people: Array<Partial<User>> = [
      { id: 'u1', email: 'ann@x.co', age: 30, status: 'active', tags: new Set(['premium']), createdAt: day(1) },
      { id: 'u2', email: 'bob@x.co', age: 30, status: 'active', createdAt: day(2) },
      { id: 'u3', email: 'cy@x.co', age: 30, status: 'inactive', tags: new Set(['premium', 'beta']), createdAt: day(3) },
      { id: 'u4', email: 'di@x.co', age: 41, status: 'active', createdAt: day(4) },
      { id: 'u5', email: 'ed@x.co', age: 30, status: 'active', createdAt: day(5), expiresAt: new Date(Date.now() - 3_600_000) },
    ];
    for (const person of people) await User.create(person);
    for (let i = 1; i <= 10; i++) await Metric.create({ deviceId: 'd1', at: day(i), value: i });
    for (const [state, projectId] of [
      ['open', 'p1'],
      ['open', 'p2'],
      ['opened', 'p3'],
      ['closed', 'p4'],
    ]) {
      await Project.create({ orgId: 'acme', projectId, state });
    }
    await Project.create({ orgId: 'other', projectId: 'p9', state: 'open' });
  });

  it('users by email: a GSI, first()', async () => {
    const user = await User.where('email', '=', 'bob@x.co').first();
    expect(user).to.be.instanceOf(User);
    expect(user!.id).to.equal('u2');
    expect(await User.query().index('gsi-email').where('email', '=', 'nobody@x.co').first()).to.equal(undefined);
  });

  it('active users newest first with a limit (sort key through orderBy), expired ones hidden', async () => {
    const newest = await User.where('status', '=', 'active').orderBy('createdAt', 'desc').limit(2).all();
    expect(newest.map((u) => u.id)).to.deep.equal(['u4', 'u2']);
    expect(User.where('status', '=', 'active').orderBy('createdAt', 'desc').explain().index).to.equal('gsi-status-created');
    const all = await User.where('status', '=', 'active').all();
    expect(ids(all)).to.deep.equal(['u1', 'u2', 'u4']);
    expect(ids(await User.where('status', '=', 'active').withExpired().all())).to.deep.equal(['u1', 'u2', 'u4', 'u5']);
  });

  it('age/status GSI with >=, and tags contains as a filter', async () => {
    expect(ids(await User.where('age', '=', 30).where('status', '>=', 'b').all())).to.deep.equal(['u3']);
    expect(ids(await User.where('age', '=', 30).filter('tags', 'contains', 'premium').all())).to.deep.equal(['u1', 'u3']);
    expect(ids(await User.where('age', '=', 30).filter('tags', 'not_contains', 'premium').all())).to.deep.equal(['u2']);
    expect(ids(await User.where('age', '=', 30).filter('name', 'not_exists').filter('id', 'in', ['u1', 'u2', 'zz']).all())).to.deep.equal(['u1', 'u2']);
  });

  it('expression filters name properties, take :params, and combine without redundant parentheses', async () => {
    const premium = await User.where('age', '=', 30).filter('attribute_exists(tags) AND size(tags) > :n', { n: 1 }).all();
    expect(ids(premium)).to.deep.equal(['u3']);
    const either = User.where('age', '=', 30).filter('(email = :a OR email = :b)', { a: 'ann@x.co', b: 'bob@x.co' }).filter('tags', 'exists');
    expect(either.toParams().FilterExpression).to.equal('(#n2 = :v2 OR #n2 = :v3) AND attribute_exists(#n3) AND NOT #n4 < :v4');
    expect(ids(await either.all())).to.deep.equal(['u1']);
    // A value is data, whatever it holds; a name that looks like a placeholder is a name.
    expect(await User.where('age', '=', 30).filter('email = :e', { e: 'x) OR attribute_exists(id' }).all()).to.deep.equal([]);
    const err = await User.where('age', '=', 30)
      .filter('nmae = :x', { x: 1 })
      .all()
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(QueryError);
    expect((err as Error).message).to.include("'nmae' is not a property of User");
    expect(
      await User.where('age', '=', 30)
        .filter('name = :missing')
        .all()
        .catch((e: unknown) => e),
    ).to.be.instanceOf(QueryError);
  });

  it('an expression filter on an index key attribute rules that index out', async () => {
    const err = await User.where('age', '=', 30)
      .filter('begins_with(status, :s)', { s: 'act' })
      .all()
      .catch((e: unknown) => e);
    expect((err as Error).message).to.include("gsi-age-status ('status' is one of its key attributes");
  });

  it('a time series: between on a Date sort key, newest first', async () => {
    const week = await Metric.where('deviceId', '=', 'd1').where('at', 'between', day(3), day(6)).orderBy('at', 'desc').all();
    expect(week.map((m) => m.value)).to.deep.equal([6, 5, 4, 3]);
    expect(week[0].at).to.be.instanceOf(Date);
  });

  it('multi-tenant projects through key templates: = on the partition sources, a prefix of the sort key', async () => {
    const all = await Project.where('orgId', '=', 'acme').all();
    expect(all.map((p) => p.projectId).sort()).to.deep.equal(['p1', 'p2', 'p3', 'p4']);
    const open = await Project.where('orgId', '=', 'acme').where('state', '=', 'open').all();
    expect(open.map((p) => p.projectId).sort()).to.deep.equal(['p1', 'p2']); // never 'opened'
    expect(Project.where('orgId', '=', 'acme').where('state', '=', 'open').toParams()).to.include({
      KeyConditionExpression: '#n1 = :v1 AND begins_with(#n2, :v2)',
    });
  });

  it('count() across pages, and the scan hides unique guards and expired items', async () => {
    expect(await User.where('age', '=', 30).count()).to.equal(3);
    const scanned = await User.scan().all();
    expect(ids(scanned)).to.deep.equal(['u1', 'u2', 'u3', 'u4']);
    expect(await User.scan().count()).to.equal(4);
    expect(ids(await User.scan().parallel(3).all())).to.deep.equal(['u1', 'u2', 'u3', 'u4']);
    expect(await User.scan().filter('age', '>', 35).count()).to.equal(1);
  });

  it('a scan can read an index; orderBy on a scan is a QueryError', async () => {
    expect(User.scan().index('gsi-email').toParams()).to.include({ IndexName: 'gsi-email' });
    expect(ids(await User.scan().index('gsi-email').all())).to.deep.equal(['u1', 'u2', 'u3', 'u4']);
    expect(() => User.scan().orderBy('createdAt').toParams()).to.throw(QueryError, 'a scan returns items in no particular order');
    expect(() => User.scan().index('nope').toParams()).to.throw(QueryError, 'no such index');
  });

  it('select() reads only what is asked (and the keys), typed and read-only', async () => {
    const [user] = await User.where('email', '=', 'ann@x.co').select('name', 'age').all();
    expect(user.age).to.equal(30);
    expect((user as unknown as User).status).to.equal(undefined);
    expect(await user.save().catch((e: unknown) => e)).to.be.instanceOf(QueryError);
  });

  it('for await iterates lazily, page by page', async () => {
    const seen: number[] = [];
    for await (const metric of Metric.where('deviceId', '=', 'd1')) seen.push(metric.value);
    expect(seen).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('offset skips matches', async () => {
    expect((await Metric.where('deviceId', '=', 'd1').offset(7).all()).map((m) => m.value)).to.deep.equal([8, 9, 10]);
    expect((await Metric.where('deviceId', '=', 'd1').offset(2).limit(2).all()).map((m) => m.value)).to.deep.equal([3, 4]);
  });
});

@Model({ table: 'q_events' })
class Event extends BaseModel {
  @PartitionKey() stream!: string;
  @SortKey({ type: Number }) seq!: number;
  @Attribute({ type: Number }) kind!: number;
  @Attribute() payload!: string;
}

describe('queries: pagination (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Event);
    // 120 events, ~2 KB each so that DynamoDB pages are small; only every 10th matches the filter.
    for (let seq = 1; seq <= 120; seq++) await Event.create({ stream: 's', seq, kind: seq % 10 === 0 ? 1 : 0, payload: 'x'.repeat(2000) });
  });

  it("limit counts matches across DynamoDB pages (not DynamoDB's Limit, which counts before filtering)", async () => {
    const query = Event.where('stream', '=', 's').filter('kind', '=', 1).limit(5);
    expect(query.toParams()).not.to.have.property('Limit');
    expect((await query.all()).map((e) => e.seq)).to.deep.equal([10, 20, 30, 40, 50]);
  });

  it('page() returns pages of matches with no gaps or duplicates, and hasMore false at the end', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await Event.where('stream', '=', 's').filter('kind', '=', 1).limit(4).page(cursor);
      seen.push(...page.items.map((e) => e.seq));
      pages += 1;
      expect(page.hasMore).to.equal(page.cursor !== undefined);
      cursor = page.cursor;
    } while (cursor);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('for await goes through the same matches lazily', async () => {
    const seen: number[] = [];
    for await (const event of Event.where('stream', '=', 's').filter('kind', '=', 1)) seen.push(event.seq);
    expect(seen).to.deep.equal([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('a page that ends exactly on the last match says hasMore false', async () => {
    const page = await Event.where('stream', '=', 's').filter('kind', '=', 1).limit(12).page();
    expect(page.items).to.have.length(12);
    expect(page.hasMore).to.equal(false);
    expect(page.cursor).to.equal(undefined);
  });

  it('a cursor of another query, or a tampered one, is an InvalidCursorError', async () => {
    const { cursor } = await Event.where('stream', '=', 's').limit(3).page();
    const flipped = `${cursor!.slice(0, 20)}${cursor![20] === 'A' ? 'B' : 'A'}${cursor!.slice(21)}`;
    expect(
      await Event.where('stream', '=', 'other')
        .limit(3)
        .page(cursor)
        .catch((e: unknown) => e),
    ).to.be.instanceOf(InvalidCursorError);
    expect(
      await Metric.where('deviceId', '=', 's')
        .page(cursor)
        .catch((e: unknown) => e),
    ).to.be.instanceOf(InvalidCursorError);
    expect(
      await Event.where('stream', '=', 's')
        .page(flipped)
        .catch((e: unknown) => e),
    ).to.be.instanceOf(InvalidCursorError);
    expect(
      await Event.where('stream', '=', 's')
        .page('garbage')
        .catch((e: unknown) => e),
    ).to.be.instanceOf(InvalidCursorError);
  });

  it('a cursor used with another key-condition operator or sort direction is an InvalidCursorError before any request', async () => {
    const above = await Event.where('stream', '=', 's').where('seq', '>', 20).limit(3).page();
    const ascending = await Event.where('stream', '=', 's').limit(3).page();
    expect(above.items.map((e) => e.seq)).to.deep.equal([21, 22, 23]);
    const sent = sinon.spy(getConnection(), 'query');
    try {
      const misuses: Array<() => Promise<unknown>> = [
        () => Event.where('stream', '=', 's').where('seq', '<', 20).limit(3).page(above.cursor),
        () => Event.where('stream', '=', 's').where('seq', '>=', 20).limit(3).page(above.cursor),
        () => Event.where('stream', '=', 's').orderBy('seq', 'desc').limit(3).page(ascending.cursor),
        () => Event.where('stream', '=', 's').where('seq', '>', 20).orderBy('seq', 'desc').limit(3).page(above.cursor),
      ];
      for (const misuse of misuses) {
        const error = await misuse().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidCursorError);
        expect((error as Error).message).to.include('it was made for another key condition (another partition, key range, operator or sort direction)');
      }
      expect(sent.callCount).to.equal(0);
    } finally {
      sent.restore();
    }
    // The query it was made for (an explicit 'asc' is the default order) continues it.
    expect((await Event.where('stream', '=', 's').where('seq', '>', 20).limit(3).page(above.cursor)).items.map((e) => e.seq)).to.deep.equal([24, 25, 26]);
    expect((await Event.where('stream', '=', 's').orderBy('seq', 'asc').limit(3).page(ascending.cursor)).items.map((e) => e.seq)).to.deep.equal([4, 5, 6]);
    const descending = await Event.where('stream', '=', 's').orderBy('seq', 'desc').limit(2).page();
    expect((await Event.where('stream', '=', 's').orderBy('seq', 'desc').limit(2).page(descending.cursor)).items.map((e) => e.seq)).to.deep.equal([118, 117]);
  });
});

describe('queries: driven by a stubbed connection', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('where().all() hydrates the stubbed items and follows LastEvaluatedKey', async () => {
    const query = sandbox.stub(getConnection(), 'query');
    query.onFirstCall().resolves({
      Items: [{ deviceId: 'd', at: '2026-01-01T00:00:00.000Z', value: 1 }],
      LastEvaluatedKey: { deviceId: 'd', at: '2026-01-01T00:00:00.000Z' },
      $metadata: {},
    });
    query.onSecondCall().resolves({ Items: [{ deviceId: 'd', at: '2026-01-02T00:00:00.000Z', value: 2 }], $metadata: {} });
    const metrics = await Metric.where('deviceId', '=', 'd').all();
    expect(metrics.map((m) => m.value)).to.deep.equal([1, 2]);
    expect(metrics[1]).to.be.instanceOf(Metric);
    expect(metrics[1].at.toISOString()).to.equal('2026-01-02T00:00:00.000Z');
    expect(query.secondCall.args[0].ExclusiveStartKey).to.deep.equal({ deviceId: 'd', at: '2026-01-01T00:00:00.000Z' });
  });

  it('bad input is a typed error, with a message that says what to do, before any request', async () => {
    const conn = getConnection();
    const sent = [sandbox.spy(conn, 'query'), sandbox.spy(conn, 'scan')];
    const cases: Array<[() => unknown, new (...args: never[]) => Error, string]> = [
      [() => User.where('nmae' as never, '=', 'x' as never).all(), QueryError, "User.where: 'nmae' is not a property of User (known: id, email"],
      [() => User.where('age', '=', 30).filter('nmae = :x', { x: 1 }).all(), QueryError, "'nmae' is not a property of User"],
      [() => User.where('age', '=', 30).filter('name = :missing').all(), QueryError, "':missing' is used but params has no 'missing'"],
      [() => User.where('age', '=', 30).filter('name = :n AND', { n: 1 }).all(), QueryError, 'Syntax error at position'],
      [
        () => (User.where as unknown as (...args: unknown[]) => { all(): Promise<unknown> })('age', 'between', 1).all(),
        QueryError,
        "'between' takes two values (low, high), given 1",
      ],
      [
        () =>
          User.where('age', '=', 30)
            .filter('tags', 'in', [] as never)
            .all(),
        QueryError,
        "'in' takes one array of 1 to 100 values, got 0 values",
      ],
      [
        () =>
          User.where('age', '=', 30)
            .filter(
              'age',
              'in',
              Array.from({ length: 101 }, (_, i) => i),
            )
            .all(),
        QueryError,
        'got 101 values',
      ],
      [() => User.where('id', '>', 'a').all(), QueryError, "needs '=', not '>' (a partition key cannot take a range)"],
      [() => Metric.where('deviceId', '=', 'd').where('at', '>', day(1)).where('at', '<', day(2)).all(), QueryError, 'its sort key at has 2 conditions'],
      [() => User.where('age', '=', 30).orderBy('name').all(), QueryError, "orderBy('name') needs 'name' to be the sort key"],
      [() => User.where('age', '=', '30' as never).all(), ValidationError, 'User.age: expected a number, got the string "30"'],
      [
        () => User.where('name' as never, '=', 'Ann' as never).all(),
        QueryError,
        "Add an '=' condition on a partition key, or read every item with User.scan()",
      ],
    ];
    for (const [attempt, type, message] of cases) {
      const error = await Promise.resolve()
        .then(attempt)
        .catch((e: unknown) => e);
      expect(error, message).to.be.instanceOf(type);
      expect((error as Error).message).to.include(message);
    }
    expect(sent.map((spy) => spy.callCount)).to.deep.equal([0, 0]);
  });

  it('a parallel scan stopped early leaves no unhandled rejection from the segments still in flight', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      // Segment 0's first page arrives at once, with more to read; every later request fails late.
      sandbox.stub(getConnection(), 'scan').callsFake(async (input) => {
        if (input.Segment === 0 && !input.ExclusiveStartKey) {
          return {
            Items: [{ deviceId: 'd', at: '2026-01-01T00:00:00.000Z', value: 1 }],
            LastEvaluatedKey: { deviceId: 'd', at: '2026-01-01T00:00:00.000Z' },
            $metadata: {},
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw Object.assign(new Error('segment failed late'), { name: 'InternalServerError' });
      });
      const first = await Metric.scan().parallel(3).limit(1).all();
      expect(first.map((m) => m.value)).to.deep.equal([1]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('a projected instance is read-only: save() and delete() are QueryErrors', async () => {
    sandbox.stub(getConnection(), 'query').resolves({ Items: [{ deviceId: 'd', at: '2026-01-01T00:00:00.000Z' }], $metadata: {} });
    const [metric] = await Metric.where('deviceId', '=', 'd').select('value').all();
    const remove = sandbox.spy(getConnection(), 'delete');
    for (const write of [() => metric.save(), () => metric.delete()]) {
      const error = await write().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(QueryError);
      expect((error as Error).message).to.include('read with select(...)');
    }
    expect(remove.callCount).to.equal(0);
  });
});
