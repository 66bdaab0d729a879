import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, ConditionFailedError, ItemNotFoundError, Model, PartitionKey, Version, VersionConflictError } from '../../../lib';
import { stubConnection, type StubbedConnection } from '../../../lib/testing';

@Model({ table: 'cf_docs' })
class Doc extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() body?: string;
  @Version() version!: number;
}

const conditionFailed = (extra: object = {}) =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...extra });

describe('why a conditional save failed (connection stubbed)', () => {
  const sandbox = sinon.createSandbox();
  let conn: StubbedConnection;
  beforeEach(() => {
    conn = stubConnection(sandbox);
  });
  afterEach(() => sandbox.restore());

  async function loadedAtVersion(version: number): Promise<Doc> {
    conn.get.resolves({ Item: { id: 'd', body: 'a', version } });
    const doc = await Doc.find('d');
    conn.get.reset();
    doc.body = 'b';
    return doc;
  }

  it('uses the item DynamoDB returns with the failure (ALL_OLD) and reads nothing more', async () => {
    const doc = await loadedAtVersion(1);
    conn.update.rejects(conditionFailed({ Item: { id: { S: 'd' }, version: { N: '4' } } }));
    const error = await doc.save().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(VersionConflictError);
    expect((error as Error).message).to.equal(
      'Doc.save (id="d"): the item changed since it was loaded (expected version 1; it is now at version 4); nothing was written. Reload it and retry.',
    );
    expect(conn.get.callCount).to.equal(0);
    expect(conn.update.firstCall.args[0].ReturnValuesOnConditionCheckFailure).to.equal('ALL_OLD');
  });

  it('reads the item once when the server returns none', async () => {
    const doc = await loadedAtVersion(1);
    conn.update.rejects(conditionFailed());
    conn.get.resolves({ Item: { id: 'd', version: 2 } });
    expect(await doc.save().catch((e: unknown) => e)).to.be.instanceOf(VersionConflictError);
    expect(conn.get.firstCall.args[0]).to.deep.equal({ TableName: 'cf_docs', Key: { id: 'd' }, ConsistentRead: true });
  });

  it('a missing item is ItemNotFoundError', async () => {
    const doc = await loadedAtVersion(1);
    conn.update.rejects(conditionFailed());
    conn.get.resolves({});
    expect(await doc.save().catch((e: unknown) => e)).to.be.instanceOf(ItemNotFoundError);
  });

  it('a re-read showing the expected version is not called a version conflict', async () => {
    const doc = await loadedAtVersion(1);
    conn.update.rejects(conditionFailed());
    conn.get.resolves({ Item: { id: 'd', version: 1 } });
    const error = await doc.save().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConditionFailedError);
    expect(error).not.to.be.instanceOf(VersionConflictError);
    expect((error as Error).message).to.equal(
      'Doc.save (id="d"): the item changed since it was loaded (or was deleted and re-created), still at the expected version 1; nothing was written. Reload it and retry.',
    );
  });

  it('a failed re-read says only what is certain', async () => {
    const doc = await loadedAtVersion(1);
    conn.update.rejects(conditionFailed());
    conn.get.rejects(new Error('socket hang up'));
    const error = await doc.save().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConditionFailedError);
    expect(error).not.to.be.instanceOf(VersionConflictError);
  });
});
