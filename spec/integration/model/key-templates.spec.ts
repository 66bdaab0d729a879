import { expect } from 'chai';
import { Attribute, BaseModel, ensureTable, getConnection, Index, Model, PartitionKey, SortKey, ValidationError } from '../../../lib';

@Model({ table: 'tpl_projects' })
class Project extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}#PROJECT#{projectId}' }) pk!: string;
  @SortKey({ template: 'TASK#{taskId}' }) sk!: string;
  @Attribute() orgId!: string;
  @Attribute() projectId!: string;
  @Attribute({ type: Number }) taskId!: number;
  @Index('gsi-owner', 'pk', { template: 'OWNER#{owner}' }) ownerKey?: string;
  @Attribute() owner?: string;
  @Attribute() title?: string;
}

async function raw(pk: string, sk: string) {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName('tpl_projects'), Key: { pk, sk }, ConsistentRead: true })).Item;
}

describe('key templates (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Project);
  });

  it('computes the keys on write and finds by their sources', async () => {
    const p = await Project.create({ orgId: 'acme', projectId: 'p1', taskId: 7, owner: 'ann', title: 'Ship' });
    expect(p.pk).to.equal('ORG#acme#PROJECT#p1');
    expect(p.sk).to.equal('TASK#7');
    expect(p.ownerKey).to.equal('OWNER#ann');
    expect((await raw('ORG#acme#PROJECT#p1', 'TASK#7'))?.title).to.equal('Ship');
    const found = await Project.find({ orgId: 'acme', projectId: 'p1', taskId: 7 });
    expect(found.title).to.equal('Ship');
  });

  it('escapes the separator in values so keys parse back unambiguously', async () => {
    await Project.create({ orgId: 'a#b', projectId: 'c\\d', taskId: 1 });
    expect(await raw('ORG#a\\#b#PROJECT#c\\\\d', 'TASK#1')).to.not.equal(undefined);
    expect((await Project.find({ orgId: 'a#b', projectId: 'c\\d', taskId: 1 })).orgId).to.equal('a#b');
    // Without escaping, ('a', 'b#PROJECT#x') and ('a#PROJECT#b', 'x') would share a key.
    await Project.create({ orgId: 'a', projectId: 'b#PROJECT#x', taskId: 1 });
    await Project.create({ orgId: 'a#PROJECT#b', projectId: 'x', taskId: 1 });
    expect((await Project.find({ orgId: 'a', projectId: 'b#PROJECT#x', taskId: 1 })).projectId).to.equal('b#PROJECT#x');
  });

  it('leaves an index key out (sparse) when a source is missing', async () => {
    const p = await Project.create({ orgId: 'acme', projectId: 'p2', taskId: 1 });
    expect(p.ownerKey).to.equal(undefined);
    const stored = await raw('ORG#acme#PROJECT#p2', 'TASK#1');
    expect(stored).to.not.have.property('ownerKey');
  });

  it('refuses a missing table-key source, and a changed source on a loaded item', async () => {
    const err = await Project.create({ orgId: 'acme', taskId: 1 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as Error).message).to.contain('Project.pk is a table key');
    const missing = await Project.get({ orgId: 'acme', taskId: 1 }).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(ValidationError);
    expect((missing as Error).message).to.contain('orgId, projectId');

    const loaded = await Project.find({ orgId: 'acme', projectId: 'p1', taskId: 7 });
    loaded.projectId = 'p9';
    const moved = await loaded.save().catch((e: unknown) => e);
    expect(moved).to.be.instanceOf(ValidationError);
    expect((moved as Error).message).to.contain('Project.pk is part of the table key');
    expect(await raw('ORG#acme#PROJECT#p9', 'TASK#7')).to.equal(undefined);
  });
});
