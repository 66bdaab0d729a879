import { expect } from 'chai';
import sinon from 'sinon';
import {
  Attribute,
  BaseModel,
  BatchError,
  ConditionFailedError,
  DynamormError,
  ItemExistsError,
  ItemNotFoundError,
  Model,
  PartitionKey,
  TransactionCanceledError,
  UniqueConstraintError,
  ValidationError,
  Version,
  VersionConflictError,
  transaction,
} from '../../../lib';
import {
  conditionalCheckFailed,
  provisionedThroughputExceeded,
  resourceNotFound,
  stubConnection,
  throttling,
  transactionCanceled,
  validationException,
  type StubbedConnection,
} from '../../../lib/testing';

// Each factory, given to a stub, makes a real model call raise the error its JSDoc names.

@Model({ table: 'de_accounts' })
class Account extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) balance?: number;
  @Version() version!: number;
}

@Model({ table: 'de_members' })
class Member extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) email!: string;
}

@Model({ table: 'de_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text?: string;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('dynamorm/testing error factories (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  beforeEach(() => {
    conn = stubConnection(sandbox);
  });
  afterEach(() => sandbox.restore());

  async function loadedAccount(): Promise<Account> {
    conn.get.resolves({ Item: { id: 'a1', balance: 10, version: 1 } });
    const account = await Account.find('a1');
    conn.get.resetHistory();
    return account;
  }

  describe('conditionalCheckFailed', () => {
    it('carries the old item as AttributeValues, marshalled from a plain object', () => {
      const error = conditionalCheckFailed({ item: { id: 'a1', version: 2, tags: new Set(['x']) } });
      expect(error.name).to.equal('ConditionalCheckFailedException');
      expect(error.$fault).to.equal('client');
      expect(error.$metadata).to.include({ httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 });
      expect(error.Item).to.deep.equal({ id: { S: 'a1' }, version: { N: '2' }, tags: { SS: ['x'] } });
      expect(conditionalCheckFailed().Item).to.equal(undefined);
    });

    it('save() of a versioned model given the old item raises VersionConflictError without an extra get', async () => {
      const account = await loadedAccount();
      conn.update.rejects(conditionalCheckFailed({ item: { id: 'a1', balance: 20, version: 2 } }));
      account.balance = 11;
      const error = await rejection(account.save());
      expect(error).to.be.instanceOf(VersionConflictError);
      expect(error.message).to.contain('expected version 1').and.contain('version 2');
      expect(conn.get.called).to.equal(false);
    });

    it('save() without the old item reads it: none is ItemNotFoundError', async () => {
      const account = await loadedAccount();
      conn.update.rejects(conditionalCheckFailed());
      conn.get.resolves({}); // deleted meanwhile
      account.balance = 11;
      expect(await rejection(account.save())).to.be.instanceOf(ItemNotFoundError);
      expect(conn.get.calledOnce).to.equal(true);
      expect(conn.get.firstCall.args[0]).to.include({ ConsistentRead: true });
    });

    it('delete() of a loaded versioned model given the old item raises VersionConflictError', async () => {
      const account = await loadedAccount();
      conn.delete.rejects(conditionalCheckFailed({ item: { id: 'a1', version: 5 } }));
      expect(await rejection(account.delete())).to.be.instanceOf(VersionConflictError);
    });

    it('create() raises ItemExistsError', async () => {
      conn.put.rejects(conditionalCheckFailed());
      expect(await rejection(Note.create({ id: 'n1' }))).to.be.instanceOf(ItemExistsError);
    });

    it('Model.update(key) with an if, given the live old item, raises ConditionFailedError', async () => {
      conn.update.rejects(conditionalCheckFailed({ item: { id: 'a1', balance: 1, version: 1 } }));
      const error = await rejection(Account.update('a1').decrement('balance', 5).if('balance >= :n', { n: 5 }).execute());
      expect(error).to.be.instanceOf(ConditionFailedError).and.not.instanceOf(VersionConflictError);
    });
  });

  describe('transactionCanceled', () => {
    it('gives one reason per action and DynamoDB’s message', () => {
      const error = transactionCanceled(['None', { code: 'ConditionalCheckFailed', item: { id: 'a1', version: 3 } }]);
      expect(error.name).to.equal('TransactionCanceledException');
      expect(error.message).to.equal('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
      expect(error.CancellationReasons).to.deep.equal([
        { Code: 'None' },
        { Item: { id: { S: 'a1' }, version: { N: '3' } }, Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
    });

    it('transaction() raises TransactionCanceledError with a reason per operation', async () => {
      const account = await loadedAccount();
      account.balance = 0;
      conn.transactWrite.rejects(transactionCanceled(['None', { code: 'ConditionalCheckFailed', item: { id: 'a1', version: 3 } }]));
      const error = await rejection(
        transaction((tx) => {
          tx.create(Note.build({ id: 'n1' }));
          tx.save(account);
        }),
      );
      expect(error).to.be.instanceOf(TransactionCanceledError);
      const { reasons } = error as TransactionCanceledError;
      expect(reasons.map((r) => r.code)).to.deep.equal(['None', 'ConditionalCheckFailed']);
      expect(reasons[1].message).to.contain('version conflict: expected version 1, the item is at 3');
    });

    it('a create of a model with unique attributes is a transactWrite: a failed guard raises UniqueConstraintError', async () => {
      conn.transactWrite.rejects(transactionCanceled(['None', 'ConditionalCheckFailed']));
      const error = await rejection(Member.create({ id: 'm1', email: 'ann@example.com' }));
      expect(error).to.be.instanceOf(UniqueConstraintError);
      expect((error as UniqueConstraintError).attribute).to.equal('email');
      expect(conn.put.called).to.equal(false);
    });

    it('… and a failed item action raises ItemExistsError', async () => {
      conn.transactWrite.rejects(transactionCanceled(['ConditionalCheckFailed', 'None']));
      expect(await rejection(Member.create({ id: 'm1', email: 'ann@example.com' }))).to.be.instanceOf(ItemExistsError);
    });
  });

  describe('throttling', () => {
    it('surfaces as the SDK does once its retries are spent', () => {
      for (const error of [provisionedThroughputExceeded(), throttling()]) {
        expect(error.$fault).to.equal('client');
        expect(error.$metadata.attempts).to.equal(5);
      }
      expect(throttling({ metadata: { attempts: 3 } }).$metadata.attempts).to.equal(3);
    });

    it('find() raises a DynamormError whose cause is the SDK error', async () => {
      const sdkError = provisionedThroughputExceeded();
      conn.get.rejects(sdkError);
      const error = await rejection(Account.find('a1'));
      expect(error).to.be.instanceOf(DynamormError);
      expect(error.message).to.contain('provisioned throughput');
      expect(error.cause).to.equal(sdkError);
    });

    it('batchGet() sends the chunk again with its own backoff, then raises BatchError', async () => {
      sandbox.stub(Math, 'random').returns(0); // no wait between resends
      conn.batchGet.rejects(throttling());
      const error = await rejection(Note.batchGet(['n1', 'n2']));
      expect(error).to.be.instanceOf(BatchError);
      expect((error as BatchError).unprocessed).to.deep.equal(['n1', 'n2']);
      expect(conn.batchGet.callCount).to.equal(8);
      expect(error.cause).to.be.instanceOf(DynamormError); // the translated SDK error, which keeps it as its cause
      expect(((error.cause as Error).cause as Error).name).to.equal('ThrottlingException');
    });
  });

  it('validationException: a model call raises ValidationError with DynamoDB’s message', async () => {
    conn.put.rejects(validationException('One or more parameter values were invalid: Missing the key id in the item'));
    const error = await rejection(Note.create({ id: 'n1' }));
    expect(error).to.be.instanceOf(ValidationError);
    expect(error.message).to.contain('Missing the key id');
    expect(validationException().name).to.equal('ValidationException');
  });

  it('resourceNotFound: a model call raises a DynamormError naming the table', async () => {
    conn.get.rejects(resourceNotFound());
    const error = await rejection(Note.find('n1'));
    expect(error).to.be.instanceOf(DynamormError);
    expect(error.message).to.contain("table 'de_notes' does not exist");
  });
});
