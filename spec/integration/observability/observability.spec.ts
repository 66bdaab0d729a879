import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  Connection,
  ensureTable,
  Index,
  ItemNotFoundError,
  LambdaTimeoutError,
  Model,
  PartitionKey,
  SortKey,
  transaction,
  Version,
  withLambdaTimeout,
  type ConnectionConfig,
  type RequestLogRecord,
} from '../../../lib';
import { localEndpoint, testCredentials } from '../../support/root-hooks';
import { RecordingTracer } from '../../support/recording-tracer';

// DESIGN §2 `logger`, `returnConsumedCapacity`, `debug`, §8 "Tracing", against the local
// server: the requests, their capacity and their spans are the ones a real table gives.

@Model({ table: 'obsi_articles' })
class Article extends BaseModel {
  @PartitionKey() authorId!: string;
  @SortKey() slug!: string;
  @Attribute() title?: string;
  @Index('gsi-status', 'pk') status?: string;
  @Version() version!: number;
}

@Model({ table: 'obsi_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() body?: string;
}

let seq = 0;
const author = () => `author-${++seq}`;

function connection(config: ConnectionConfig): Connection {
  return new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, ...config });
}

describe('observability against the local server', () => {
  before(async () => {
    await ensureTable(Article);
    await ensureTable(Note);
  });

  describe('the logger', () => {
    it('one record per request, with the capacity DynamoDB consumed when returnConsumedCapacity is TOTAL', async () => {
      const records: RequestLogRecord[] = [];
      const conn = connection({ logger: (r) => records.push(r), returnConsumedCapacity: 'TOTAL' });
      const a = author();
      await conn.run(async () => {
        const article = await Article.create({ authorId: a, slug: 'one', title: 'One', status: 'draft' });
        await Article.find({ authorId: a, slug: 'one' });
        article.title = 'Uno';
        await article.save();
        await Article.where('authorId', '=', a).all();
        await Article.where('status', '=', 'draft').count();
        await article.delete();
      });
      expect(records.map((r) => r.operation)).to.deep.equal(['PutItem', 'GetItem', 'UpdateItem', 'Query', 'Query', 'DeleteItem']);
      for (const record of records) {
        expect(record.table, record.operation).to.equal('obsi_articles');
        expect(record.attempts, record.operation).to.equal(1);
        expect(record.durationMs, record.operation).to.be.a('number').and.at.least(0);
        expect(record.consumedCapacity, record.operation).to.deep.include({ TableName: 'obsi_articles' });
        expect((record.consumedCapacity as { CapacityUnits: number }).CapacityUnits, record.operation).to.be.above(0);
      }
      expect(records[4].index).to.equal('gsi-status');
    });

    it("INDEXES adds the table's share; without returnConsumedCapacity the records have none", async () => {
      const records: RequestLogRecord[] = [];
      const a = author();
      await connection({ logger: (r) => records.push(r), returnConsumedCapacity: 'INDEXES' }).run(() => Article.create({ authorId: a, slug: 'x' }));
      await connection({ logger: (r) => records.push(r) }).run(() => Article.get({ authorId: a, slug: 'x' }));
      expect(records[0].consumedCapacity).to.have.property('Table');
      expect(records[1]).not.to.have.property('consumedCapacity');
    });

    it('a failed request: its record has the error', async () => {
      const records: RequestLogRecord[] = [];
      const conn = connection({ logger: (r) => records.push(r) });
      const error = await conn.get({ TableName: 'obsi_no_such_table', Key: { id: '1' } }).catch((e: unknown) => e);
      expect(records).to.have.length(1);
      expect(records[0]).to.deep.include({ operation: 'GetItem', table: 'obsi_no_such_table', error });
    });

    it('debug: the expressions sent, values redacted; { values: true } shows them', async () => {
      const records: RequestLogRecord[] = [];
      const a = author();
      const query = () => Article.where('authorId', '=', a).filter('title', 'begins_with', 'Sec').all();
      await connection({ logger: (r) => records.push(r), debug: true }).run(query);
      await connection({ logger: (r) => records.push(r), debug: { values: true } }).run(query);
      expect(records[0].expressions).to.deep.equal({
        KeyConditionExpression: '#n1 = :v1',
        FilterExpression: 'begins_with(#n2, :v2)',
        ExpressionAttributeNames: { '#n1': 'authorId', '#n2': 'title' },
        ExpressionAttributeValues: { ':v1': '<redacted>', ':v2': '<redacted>' },
      });
      expect(records[1].expressions).to.deep.include({ ExpressionAttributeValues: { ':v1': a, ':v2': 'Sec' } });
    });
  });

  describe('the tracer', () => {
    it('a page() that follows DynamoDB pages: one operation span, a Query span per page, capacity on each', async () => {
      const a = author();
      const tracer = new RecordingTracer();
      const conn = connection({ tracer, returnConsumedCapacity: 'TOTAL' });
      await conn.run(async () => {
        for (const slug of ['a', 'b', 'c', 'd', 'e']) await Article.create({ authorId: a, slug });
      });
      tracer.clear();
      // limit(2) sends Limit 2: the first DynamoDB page holds both items, and knowing whether
      // another match exists takes a second page.
      const page = await conn.run(() => Article.where('authorId', '=', a).limit(2).page());
      expect(page.items.map((i) => i.slug)).to.deep.equal(['a', 'b']);
      expect(page.hasMore).to.equal(true);
      expect(tracer.tree()).to.deep.equal(['Article.where.page', 'Article.where.page > Query obsi_articles', 'Article.where.page > Query obsi_articles']);
      const [operation, ...requests] = tracer.spans;
      expect(operation.attributes).to.deep.include({
        'db.system.name': 'aws.dynamodb',
        'db.operation.name': 'where.page',
        'aws.dynamodb.table_names': ['obsi_articles'],
      });
      expect(operation.attributes['aws.dynamodb.consumed_capacity']).to.have.length(2);
      for (const request of requests) {
        expect(request.attributes).to.deep.include({ 'db.operation.name': 'Query', 'aws.dynamodb.table_names': ['obsi_articles'] });
        expect(JSON.parse((request.attributes['aws.dynamodb.consumed_capacity'] as string[])[0])).to.include({ TableName: 'obsi_articles' });
      }
      for (const span of tracer.spans) expect(span.ended).to.equal(1);
    });

    it('a save of an item deleted meanwhile: the failed UpdateItem and the read that tells why, under one span with the error', async () => {
      const a = author();
      const tracer = new RecordingTracer();
      const conn = connection({ tracer });
      const error = await conn.run(async () => {
        const article = await Article.create({ authorId: a, slug: 'gone' });
        await conn.delete({ TableName: 'obsi_articles', Key: { authorId: a, slug: 'gone' } });
        tracer.clear();
        article.title = 'too late';
        return article.save().catch((e: unknown) => e);
      });
      expect(error).to.be.instanceOf(ItemNotFoundError);
      expect(tracer.tree()).to.deep.equal(['Article.save', 'Article.save > UpdateItem obsi_articles', 'Article.save > GetItem obsi_articles']);
      const [operation, update, read] = tracer.spans;
      expect(operation.exceptions).to.deep.equal([error]);
      expect(operation.status).to.deep.equal({ code: 2, message: (error as Error).message });
      expect(update.status?.code).to.equal(2);
      expect(update.attributes['error.type']).to.equal('ConditionalCheckFailedException');
      expect(read.status).to.equal(undefined);
      for (const span of tracer.spans) expect(span.ended).to.equal(1);
    });

    it('traceRequests: false: operation spans only, the index of their requests on them', async () => {
      const tracer = new RecordingTracer();
      await connection({ tracer, traceRequests: false }).run(() => Article.where('status', '=', 'published').all());
      expect(tracer.tree()).to.deep.equal(['Article.where.all']);
      expect(tracer.spans[0].attributes).to.deep.include({ 'aws.dynamodb.index_name': 'gsi-status', 'aws.dynamodb.table_names': ['obsi_articles'] });
    });
  });

  // DESIGN §8: the model layer's one invoker races, logs and traces each request; the real
  // Connection method beneath it must not do so a second time.
  describe('inside withLambdaTimeout', () => {
    const plenty = { getRemainingTimeInMillis: () => 60_000 };

    it('a find, a query of two pages, a batch and a transaction: each request logged once and traced once', async () => {
      const records: RequestLogRecord[] = [];
      const tracer = new RecordingTracer();
      const conn = connection({ logger: (r) => records.push(r), tracer });
      const a = author();
      await withLambdaTimeout(plenty, () =>
        conn.run(async () => {
          await Note.batchCreate([{ id: `${a}-1` }, { id: `${a}-2` }]);
          await Note.find(`${a}-1`);
          await transaction((tx) => {
            tx.create(Article.build({ authorId: a, slug: 'a' }));
            tx.create(Article.build({ authorId: a, slug: 'b' }));
            tx.create(Article.build({ authorId: a, slug: 'c' }));
          });
          const page = await Article.where('authorId', '=', a).limit(2).page();
          expect(page.items.map((i) => i.slug)).to.deep.equal(['a', 'b']);
        }),
      );
      expect(records.map((r) => r.operation)).to.deep.equal(['BatchWriteItem', 'GetItem', 'TransactWriteItems', 'Query', 'Query']);
      for (const record of records) expect(record, record.operation).not.to.have.property('error');
      expect(tracer.tree()).to.deep.equal([
        'Note.batchCreate',
        'Note.batchCreate > BatchWriteItem obsi_notes',
        'Note.find',
        'Note.find > GetItem obsi_notes',
        'transaction',
        'transaction > TransactWriteItems obsi_articles',
        'Article.where.page',
        'Article.where.page > Query obsi_articles',
        'Article.where.page > Query obsi_articles',
      ]);
      for (const span of tracer.spans) expect(span.ended, span.name).to.equal(1);
    });

    it('a batch whose second chunk never answers (a stub on batchWrite): stops at the deadline with what was written and what was not', async () => {
      const records: RequestLogRecord[] = [];
      const tracer = new RecordingTracer();
      const conn = connection({ logger: (r) => records.push(r), tracer });
      const a = author();
      const ids = Array.from({ length: 30 }, (_, i) => `${a}-${String(i).padStart(2, '0')}`);
      const batchWrite = sinon.stub(conn, 'batchWrite').callThrough();
      batchWrite.onSecondCall().returns(new Promise(() => undefined));
      try {
        // The deadline is 2 s away (no margin): the first chunk is written well before it.
        const end = Date.now() + 2_000;
        const error = await withLambdaTimeout(
          { getRemainingTimeInMillis: () => end - Date.now() },
          () => conn.run(() => Note.batchCreate(ids.map((id) => ({ id })))),
          { marginMs: 0 },
        ).then(
          () => expect.fail('expected a LambdaTimeoutError'),
          (e: unknown) => e as LambdaTimeoutError,
        );
        expect(error).to.be.instanceOf(LambdaTimeoutError);
        expect(error).to.include({ outcome: 'unknown', operation: 'BatchWriteItem', table: 'obsi_notes' });
        expect((error.completed as Note[]).map((note) => note.id)).to.deep.equal(ids.slice(0, 25));
        expect(error.unprocessed).to.deep.equal(ids.slice(25).map((id) => ({ id })));
        sinon.assert.calledTwice(batchWrite);
        expect(batchWrite.secondCall.args[1]?.abortSignal?.aborted).to.equal(true);

        const stored = await conn.run(() => Note.batchGet(ids));
        expect(stored.map((n) => n.id)).to.deep.equal(ids.slice(0, 25));

        // The two requests of the batch: one record and one span each, the abandoned one with its error.
        const batchRecords = records.filter((r) => r.operation === 'BatchWriteItem');
        expect(batchRecords).to.have.length(2);
        expect(batchRecords[0]).not.to.have.property('error');
        expect((batchRecords[1].error as LambdaTimeoutError).outcome).to.equal('unknown');
        const requests = tracer.spans.filter((span) => span.name === 'BatchWriteItem obsi_notes');
        expect(requests).to.have.length(2);
        expect(requests[1].exceptions).to.have.length(1);
        expect(requests[1].attributes['error.type']).to.equal('LambdaTimeoutError');
      } finally {
        batchWrite.restore();
      }
    });
  });
});
