import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import { IsOptional, Min } from 'class-validator';
import {
  AfterCreate,
  AfterDelete,
  AfterSave,
  Attribute,
  BaseModel,
  BatchError,
  BeforeCreate,
  BeforeDelete,
  BeforeSave,
  BeforeValidate,
  CreatedAt,
  Model,
  PartitionKey,
  QueryError,
  SortKey,
  TTL,
  UpdatedAt,
  ValidationError,
  Version,
} from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';

const events: string[] = [];
let failOn: string | undefined; // an event, e.g. 'afterCreate b': that hook throws
function record(event: string): void {
  events.push(event);
  if (event === failOn) throw new Error(`${event} failed`);
}

@Model({ table: 'bw_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ default: 'draft' }) status?: string;
  @IsOptional() @Min(0) @Attribute({ type: Number }) stars?: number;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @TTL() expiresAt?: Date;
  @BeforeValidate() bv() {
    events.push(`beforeValidate ${this.id} status=${this.status}`);
  }
  @BeforeCreate() bc() {
    events.push(`beforeCreate ${this.id}`);
  }
  @BeforeSave() bs() {
    events.push(`beforeSave ${this.id}`);
  }
  @AfterCreate() ac() {
    record(`afterCreate ${this.id}`);
  }
  @AfterSave() as() {
    events.push(`afterSave ${this.id}`);
  }
  @BeforeDelete() bd() {
    events.push(`beforeDelete ${this.id}`);
  }
  @AfterDelete() ad() {
    record(`afterDelete ${this.id}`);
  }
}

@Model({ table: 'bw_docs' })
class Doc extends BaseModel {
  @PartitionKey() id!: string;
  @SortKey({ type: Number }) rev!: number;
  @Version() version!: number;
}

@Model({ table: 'bw_people' })
class Person extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
}

interface WriteInput {
  RequestItems: Record<string, Array<{ PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }>>;
}

describe('batchCreate / batchDelete (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  const now = new Date('2026-01-02T03:04:05.678Z');

  beforeEach(() => {
    conn = stubConnection(sandbox, { tablePrefix: 'test_' });
    sandbox.useFakeTimers({ now, toFake: ['Date'] });
    events.length = 0;
    failOn = undefined;
  });
  afterEach(() => sandbox.restore());

  const sent = () => conn.batchWrite.getCalls().map((c) => (c.args[0] as WriteInput).RequestItems);

  describe('batchCreate', () => {
    it('prepares every item as create does, then sends unconditional PutRequests and resolves to persisted models', async () => {
      const expires = new Date('2026-02-01T00:00:00.000Z');
      const notes = await Note.batchCreate([{ id: 'a', stars: 1, expiresAt: expires }, Note.build({ id: 'b', status: 'live' })]);
      expect(sent()).to.deep.equal([
        {
          test_bw_notes: [
            {
              PutRequest: {
                Item: {
                  id: 'a',
                  status: 'draft',
                  stars: 1,
                  createdAt: now.toISOString(),
                  updatedAt: now.toISOString(),
                  expiresAt: Math.floor(expires.getTime() / 1000),
                },
              },
            },
            { PutRequest: { Item: { id: 'b', status: 'live', createdAt: now.toISOString(), updatedAt: now.toISOString() } } },
          ],
        },
      ]);
      expect(notes.map((n) => [n instanceof Note, n.isNew, n.createdAt?.getTime()])).to.deep.equal([
        [true, false, now.getTime()],
        [true, false, now.getTime()],
      ]);
      expect(notes[0].changedAttributes()).to.deep.equal([]);
      expect(events).to.deep.equal([
        'beforeValidate a status=draft',
        'beforeCreate a',
        'beforeSave a',
        'beforeValidate b status=live',
        'beforeCreate b',
        'beforeSave b',
        'afterCreate a',
        'afterSave a',
        'afterCreate b',
        'afterSave b',
      ]);
    });

    it('splits at 25 per request and runs the after-hooks of a chunk once it is written', async () => {
      conn.batchWrite.callsFake(async () => {
        events.push('request');
        return {};
      });
      await Note.batchCreate(Array.from({ length: 30 }, (_, i) => ({ id: `n${i}` })));
      expect(sent().map((r) => r.test_bw_notes.length)).to.deep.equal([25, 5]);
      const after = events.filter((e) => e === 'request' || e.startsWith('afterCreate'));
      expect(after.indexOf('afterCreate n24')).to.be.greaterThan(after.indexOf('request'));
      expect(after.indexOf('afterCreate n25')).to.be.greaterThan(after.lastIndexOf('request'));
      expect(after.lastIndexOf('request')).to.be.greaterThan(after.indexOf('afterCreate n24'));
    });

    it('an invalid item is a ValidationError before anything is sent, in any chunk, and no model is changed', async () => {
      const items = Array.from({ length: 30 }, (_, i) => Note.build({ id: `n${i}`, stars: i === 27 ? -1 : 1 }));
      const error = await Note.batchCreate(items).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as Error).message).to.include('stars');
      expect(conn.batchWrite.callCount).to.equal(0);
      expect(items.every((n) => n.isNew && n.createdAt === undefined && n.updatedAt === undefined)).to.equal(true);
    });

    it('two items with one key are a ValidationError before sending', async () => {
      const error = await Doc.batchCreate(
        [
          { id: 'd', rev: 1 },
          { id: 'd', rev: 2 },
          { id: 'd', rev: 1 },
        ],
        { overwrite: true },
      ).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as Error).message).to.equal('Doc.batchCreate: items 0 and 2 share one key (id="d", rev=1); a batch takes one write per key.');
      expect(conn.batchWrite.callCount).to.equal(0);
    });

    it('a model with @Version needs { overwrite: true }, and then writes version 1', async () => {
      const error = await Doc.batchCreate([{ id: 'd', rev: 1 }]).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(QueryError);
      expect((error as Error).message).to.equal(
        'Doc.batchCreate: Doc has @Version, which a batch restarts at 1; use transaction(), or pass { overwrite: true }.',
      );
      expect(conn.batchWrite.callCount).to.equal(0);
      const [doc] = await Doc.batchCreate([{ id: 'd', rev: 1, version: 7 }], { overwrite: true });
      expect(sent()).to.deep.equal([{ test_bw_docs: [{ PutRequest: { Item: { id: 'd', rev: 1, version: 1 } } }] }]);
      expect(doc.version).to.equal(1);
    });

    it('a model with unique attributes refuses batches, pointing to transaction()', async () => {
      for (const run of [() => Person.batchCreate([{ id: 'p', email: 'a@b.co' }], { overwrite: true }), () => Person.batchDelete(['p'])]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(QueryError);
        expect((error as Error).message).to.match(
          /^Person\.batch(Create|Delete): Person has unique attributes, whose guards a batch cannot keep; use transaction\(\)\.$/,
        );
      }
      expect(conn.batchWrite.callCount).to.equal(0);
    });

    it('items left unprocessed are resent; a BatchError marks the written ones persisted and restores the rest', async () => {
      sandbox.stub(Math, 'random').returns(0);
      conn.batchWrite.callsFake(async (input) => {
        const requests = (input as WriteInput).RequestItems.test_bw_notes;
        return { UnprocessedItems: { test_bw_notes: requests.filter((r) => r.PutRequest!.Item.id === 'stuck') } };
      });
      const notes = [Note.build({ id: 'ok' }), Note.build({ id: 'stuck' })];
      const error = await Note.batchCreate(notes).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      expect(conn.batchWrite.callCount).to.equal(8);
      // As passed: the instances themselves, the written one in .completed, the other in .unprocessed.
      expect((error as BatchError).unprocessed).to.have.ordered.members([notes[1]]);
      expect((error as BatchError).completed).to.have.ordered.members([notes[0]]);
      expect((error as Error).message)
        .to.include('(id="stuck")')
        .and.include('after 8 attempts');
      expect([notes[0].isNew, notes[1].isNew, notes[1].createdAt]).to.deep.equal([false, true, undefined]);
      expect(events.filter((e) => e.startsWith('after'))).to.deep.equal(['afterCreate ok', 'afterSave ok']);
    });
    it('an after-hook that throws: every after-hook of the chunk still runs, no further chunk is sent; BatchError with the instances', async () => {
      failOn = 'afterCreate n1';
      const inputs = Array.from({ length: 30 }, (_, i) => (i % 2 ? Note.build({ id: `n${i}` }) : { id: `n${i}` }));
      const error = await Note.batchCreate(inputs).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      expect(sent().map((r) => r.test_bw_notes.map((w) => w.PutRequest!.Item.id))).to.deep.equal([inputs.slice(0, 25).map((i) => i.id)]);
      expect(events.filter((e) => e.startsWith('afterCreate'))).to.deep.equal(inputs.slice(0, 25).map((i) => `afterCreate ${i.id}`));
      const { completed, unprocessed, cause, message } = error as BatchError;
      expect((cause as Error).message).to.equal('afterCreate n1 failed');
      expect(message).to.equal('Note.batchCreate: 25 done, 5 not done: (id="n25"), (id="n26"), (id="n27"), (id="n28"), (id="n29"). afterCreate n1 failed');
      expect(completed.map((n) => [n instanceof Note, (n as Note).id, (n as Note).isNew])).to.deep.equal(inputs.slice(0, 25).map((i) => [true, i.id, false]));
      expect(completed[1]).to.equal(inputs[1]); // the caller's own instance, persisted: the hook's error undoes nothing
      expect(unprocessed).to.have.ordered.members(inputs.slice(25)); // as passed: attribute objects and instances
      expect([(inputs[27] as Note).isNew, (inputs[27] as Note).createdAt]).to.deep.equal([true, undefined]);
    });

    it('a chunk DynamoDB refuses as a whole: its items and the later ones are .unprocessed, the earlier chunk .completed', async () => {
      conn.batchWrite.onSecondCall().rejects(Object.assign(new Error('no access'), { name: 'AccessDeniedException' }));
      const notes = Array.from({ length: 60 }, (_, i) => Note.build({ id: `n${i}` }));
      const error = await Note.batchCreate(notes).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      expect(conn.batchWrite.callCount).to.equal(2);
      const { completed, unprocessed, message } = error as BatchError;
      expect(completed).to.have.ordered.members(notes.slice(0, 25));
      expect(unprocessed).to.have.ordered.members(notes.slice(25));
      expect(message).to.match(/^Note\.batchCreate: 25 done, 35 not done: \(id="n25"\).*, and 30 more\. Note\.batchCreate failed: no access$/);
      expect(notes.map((n) => n.isNew)).to.deep.equal(notes.map((_, i) => i >= 25));
    });
  });

  describe('batchDelete', () => {
    it('deletes keys without instance hooks, sending a key given twice once, in chunks of 25', async () => {
      await Doc.batchDelete([...Array.from({ length: 26 }, (_, i) => ({ id: 'd', rev: i })), { id: 'd', rev: 3 }]);
      expect(sent().map((r) => r.test_bw_docs.length)).to.deep.equal([25, 1]);
      expect(sent()[0].test_bw_docs[3]).to.deep.equal({ DeleteRequest: { Key: { id: 'd', rev: 3 } } });
      expect(sent()[1]).to.deep.equal({ test_bw_docs: [{ DeleteRequest: { Key: { id: 'd', rev: 25 } } }] });
      expect(events).to.deep.equal([]);
    });

    it('deletes instances with their hooks, and they are new again', async () => {
      conn.batchWrite.callsFake(async () => {
        events.push('request');
        return {};
      });
      const notes = [Note.build({ id: 'a' }), Note.build({ id: 'b' })];
      await Note.batchDelete([notes[0], 'c', notes[1]]);
      expect(sent()).to.deep.equal([
        { test_bw_notes: [{ DeleteRequest: { Key: { id: 'a' } } }, { DeleteRequest: { Key: { id: 'c' } } }, { DeleteRequest: { Key: { id: 'b' } } }] },
      ]);
      expect(events).to.deep.equal(['beforeDelete a', 'beforeDelete b', 'request', 'afterDelete a', 'afterDelete b']);
    });

    it('a key given twice and left unprocessed is listed twice in .unprocessed, as passed; .completed lists the inputs deleted', async () => {
      sandbox.stub(Math, 'random').returns(0);
      conn.batchWrite.callsFake(async (input) => {
        const requests = (input as WriteInput).RequestItems.test_bw_notes;
        return { UnprocessedItems: { test_bw_notes: requests.filter((r) => r.DeleteRequest!.Key.id === 'a') } };
      });
      const b = Note.build({ id: 'b' });
      const error = await Note.batchDelete(['a', b, { id: 'a' }]).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchError);
      expect(sent()[0]).to.deep.equal({ test_bw_notes: [{ DeleteRequest: { Key: { id: 'a' } } }, { DeleteRequest: { Key: { id: 'b' } } }] });
      expect((error as BatchError).unprocessed).to.deep.equal(['a', { id: 'a' }]);
      expect((error as BatchError).completed).to.have.ordered.members([b]);
      expect(events).to.deep.equal(['beforeDelete b', 'afterDelete b']);
    });

    it('a key missing a part is a ValidationError before anything is sent', async () => {
      const error = await Doc.batchDelete([{ id: 'd', rev: 1 }, { id: 'd' }]).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as Error).message).to.include("is missing 'rev'");
      expect(conn.batchWrite.callCount).to.equal(0);
    });
  });
});
