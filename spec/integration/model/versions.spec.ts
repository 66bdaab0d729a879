import { expect } from 'chai';
import { Attribute, BaseModel, ensureTable, getConnection, Model, PartitionKey, ValidationError, Version, VersionConflictError } from '../../../lib';

@Model({ table: 'ver_notes' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() body?: string;
  @Version() version!: number;
}

async function storedVersion(id: string): Promise<string | undefined> {
  const conn = getConnection();
  const item = (await conn.get({ TableName: conn.tableName('ver_notes'), Key: { id }, ConsistentRead: true })).Item;
  return item ? (item.version as { value: string }).value : undefined;
}

let seq = 0;
async function noteAtVersion(version: number): Promise<Note> {
  const note = await Note.create({ id: `ver-${++seq}`, body: 'v1' });
  for (let v = 1; v < version; v++) await note.update({ body: `v${v + 1}` });
  return Note.find(note.id);
}

describe("@Version: the instance's version is the expected one (local DynamoDB)", () => {
  before(async () => {
    await ensureTable(Note);
  });

  it('an update carrying an older version is a VersionConflictError and the stored version never goes back', async () => {
    const note = await noteAtVersion(3);
    const error = await note.update({ body: 'stale form', version: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(VersionConflictError);
    expect((error as Error).message).to.include('expected version 1; it is now at version 3');
    expect(await storedVersion(note.id)).to.equal('3');
    expect((await Note.find(note.id)).body).to.equal('v3');
    expect(note.version).to.equal(1); // what the caller assigned; nothing was written
  });

  it('a copy loaded at the current version still saves, exactly one version up', async () => {
    const note = await noteAtVersion(3);
    await (await Note.find(note.id)).update({ body: 'stale form', version: 1 }).catch(() => undefined);
    const fresh = await Note.find(note.id);
    await fresh.update({ body: 'fresh' });
    expect(fresh.version).to.equal(4);
    expect(await storedVersion(note.id)).to.equal('4');
  });

  it('a client that sends back the version it read gets a conflict when someone wrote in between (lock_version)', async () => {
    const original = await noteAtVersion(1);
    const formVersion = original.version; // the hidden field of a form
    const other = await Note.find(original.id);
    await other.update({ body: 'someone else' });
    const handler = await Note.find(original.id); // a later request loads the newer item...
    const error = await handler.update({ body: 'mine', version: formVersion }).catch((e: unknown) => e); // ...and applies the form
    expect(error).to.be.instanceOf(VersionConflictError);
    expect((await Note.find(original.id)).body).to.equal('someone else');
  });

  it('a version ahead of the stored one is a conflict too, never a jump', async () => {
    const note = await noteAtVersion(2);
    const error = await note.update({ body: 'x', version: 7 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(VersionConflictError);
    expect(await storedVersion(note.id)).to.equal('2');
  });

  it("delete checks the instance's version", async () => {
    const note = await noteAtVersion(2);
    note.version = 1;
    expect(await note.delete().catch((e: unknown) => e)).to.be.instanceOf(VersionConflictError);
    expect(await storedVersion(note.id)).to.equal('2');
    note.version = 2;
    await note.delete();
    expect(await storedVersion(note.id)).to.equal(undefined);
  });

  it('a version that is not a number is a ValidationError before sending', async () => {
    const note = await noteAtVersion(1);
    const error = await note.update({ body: 'x', version: '1' as never }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include('Note.version: expected a number');
    expect(await storedVersion(note.id)).to.equal('1');
  });
});
