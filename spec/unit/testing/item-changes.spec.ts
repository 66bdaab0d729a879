import { expect } from 'chai';
import type { DynaliteClient } from '../../../lib/testing/local-dynamo/dynalite-client';
import { DynamoError, internalError, validationError } from '../../../lib/testing/local-dynamo/errors';
import { ItemChanges, type ChangeConsumer, type ItemChange } from '../../../lib/testing/local-dynamo/item-changes';
import type { WireBody, WireItem } from '../../../lib/testing/local-dynamo/wire';

/** An in-memory stand-in for dynalite: one table `t` keyed by `pk`, with failures to inject. */
class FakeDynalite {
  readonly items = new Map<string, WireItem>();
  readonly calls: string[] = [];
  failGet?: (phase: number) => DynamoError | undefined;
  failCall?: (operation: string, body: WireBody) => DynamoError | undefined;
  private gets = 0;

  client(): DynaliteClient {
    return {
      describeTable: async (TableName: string) => ({ TableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [] }),
      getItem: async (_table: string, key: WireItem) => {
        this.calls.push(`get ${String(key.pk.S)}`);
        const failure = this.failGet?.(++this.gets);
        if (failure) throw failure;
        return this.items.get(String(key.pk.S));
      },
      call: async (operation: string, body: WireBody) => {
        this.calls.push(operation);
        const failure = this.failCall?.(operation, body);
        if (failure) throw failure;
        if (operation === 'PutItem') this.items.set(String((body.Item as WireItem).pk.S), body.Item as WireItem);
        if (operation === 'DeleteItem') this.items.delete(String((body.Key as WireItem).pk.S));
        return {};
      },
    } as unknown as DynaliteClient;
  }
}

class Recorder implements ChangeConsumer {
  readonly recorded: ItemChange[][] = [];
  refuse?: (change: ItemChange) => DynamoError | undefined;
  watchesAny = () => true;
  watches = (tableName: string) => tableName === 't';
  vet(change: ItemChange): void {
    const refusal = this.refuse?.(change);
    if (refusal) throw refusal;
  }
  record(changes: readonly ItemChange[]): void {
    this.recorded.push([...changes]);
  }
}

const item = (pk: string, extra: WireItem = {}): WireItem => ({ pk: { S: pk }, ...extra });
const target = (pk: string) => ({ tableName: 't', keyOrItem: item(pk) });

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return expect.fail('expected a rejection');
}

// The one place that reads each write's images: what it records, and what a failure at each
// of its steps (the reads before, the write, the consumers' judgement, the reads after, the
// undo) leaves written and reports.
describe('local server: ItemChanges', () => {
  let db: FakeDynalite;
  let recorder: Recorder;
  let changes: ItemChanges;
  beforeEach(() => {
    db = new FakeDynalite();
    recorder = new Recorder();
    changes = new ItemChanges(db.client());
    changes.add(recorder);
  });
  const put = (value: WireItem) => () => db.client().call('PutItem', { TableName: 't', Item: value });

  it('runs a write to an unwatched table without reading anything', async () => {
    await changes.capture([{ tableName: 'other', keyOrItem: item('a') }], put(item('a')));
    expect(db.calls).to.deep.equal(['PutItem']);
    expect(recorder.recorded).to.deep.equal([]);
  });

  it('records each changed item with its images, and no change for an item written as it was', async () => {
    db.items.set('same', item('same', { tags: { SS: ['x', 'y'] } }));
    await changes.capture([target('a'), target('same')], async () => {
      await put(item('a', { n: { N: '1' } }))();
      await put(item('same', { tags: { SS: ['y', 'x'] } }))(); // a set is unordered: no change
    });
    expect(recorder.recorded).to.deep.equal([[{ tableName: 't', keys: item('a'), oldImage: undefined, newImage: item('a', { n: { N: '1' } }) }]]);
  });

  it('records nothing when the write fails, and passes its error on', async () => {
    const failure = new DynamoError('ConditionalCheckFailedException', 'The conditional request failed');
    const err = await rejectionOf(changes.capture([target('a')], () => Promise.reject(failure)));
    expect(err).to.equal(failure);
    expect(recorder.recorded).to.deep.equal([]);
  });

  it('undoes every item of a write a consumer refuses, newest first, and answers with the refusal', async () => {
    db.items.set('kept', item('kept', { v: { S: 'old' } }));
    const refusal = validationError('One or more parameter values were invalid: Type mismatch for Index Key');
    recorder.refuse = (change) => (change.keys.pk.S === 'kept' ? refusal : undefined);
    const err = await rejectionOf(
      changes.capture([target('new'), target('kept')], async () => {
        await put(item('new'))();
        await put(item('kept', { v: { S: 'changed' } }))();
      }),
    );
    expect(err).to.equal(refusal);
    expect([...db.items.values()]).to.deep.equal([item('kept', { v: { S: 'old' } })]);
    expect(db.calls.slice(-2)).to.deep.equal(['PutItem', 'DeleteItem']);
    expect(recorder.recorded).to.deep.equal([]);
  });

  it('passes on a failure of the undo itself (the items it did not reach stay as the write left them)', async () => {
    db.items.set('kept', item('kept', { v: { S: 'old' } }));
    recorder.refuse = () => validationError('refused');
    const failure = internalError('socket hang up');
    db.failCall = (operation, body) => (operation === 'PutItem' && (body.Item as WireItem).v?.S === 'old' ? failure : undefined);
    const err = await rejectionOf(
      changes.capture([target('new'), target('kept')], async () => {
        await put(item('new'))();
        await put(item('kept', { v: { S: 'changed' } }))();
      }),
    );
    expect(err).to.equal(failure);
    expect(db.items.get('kept')).to.deep.equal(item('kept', { v: { S: 'changed' } }));
    expect(recorder.recorded).to.deep.equal([]);
  });

  it('gives the caller’s error for a refusal, with the index of the target refused', async () => {
    recorder.refuse = (change) => (change.keys.pk.S === 'b' ? validationError('type mismatch') : undefined);
    const err = await rejectionOf(
      changes.capture(
        [target('a'), target('b')],
        async () => {
          await put(item('a'))();
          await put(item('b'))();
        },
        { refused: (error, at) => new Error(`refused at ${at}: ${(error as Error).message}`) },
      ),
    );
    expect((err as Error).message).to.equal('refused at 1: type mismatch');
    expect(db.items.size).to.equal(0);
  });

  it('lets the write answer for itself when the reads before it find no table or a key that does not fit', async () => {
    db.failGet = () => validationError('The provided key element does not match the schema');
    await changes.capture([target('a')], put(item('a')));
    expect(db.items.has('a')).to.equal(true);
    expect(recorder.recorded).to.deep.equal([]);
  });

  it('does not write when a read before it fails otherwise', async () => {
    const failure = internalError('socket hang up');
    db.failGet = () => failure;
    const err = await rejectionOf(changes.capture([target('a')], put(item('a'))));
    expect(err).to.equal(failure);
    expect(db.items.size).to.equal(0);
  });

  it('passes on a failure of the reads after the write; the write stands and nothing is recorded', async () => {
    const failure = internalError('socket hang up');
    db.failGet = (phase) => (phase === 2 ? failure : undefined);
    const err = await rejectionOf(changes.capture([target('a')], put(item('a'))));
    expect(err).to.equal(failure);
    expect(db.items.has('a')).to.equal(true);
    expect(recorder.recorded).to.deep.equal([]);
  });
});
