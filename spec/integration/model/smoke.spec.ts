import { expect } from 'chai';
import { BaseModel, Model, PartitionKey, Attribute, Version, CreatedAt, UpdatedAt, TTL, ensureTable, Index } from '../../../lib';

@Model({ table: 'smoke' })
class Smoke extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) n?: number;
  @Attribute({ type: Set }) tags?: Set<string>;
  @Index('gsi-email', 'pk', { unique: true }) email?: string;
  @Version() version!: number;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @TTL() expiresAt?: Date;
}

describe('smoke', () => {
  it('creates, finds, saves, deletes', async () => {
    await ensureTable(Smoke);
    const s = await Smoke.create({ id: '1', name: 'a', n: 5, tags: new Set(['x']), email: 'a@b.c' });
    expect(s.version).to.equal(1);
    const f = await Smoke.find('1');
    expect(f.n).to.equal(5);
    expect(f.tags).to.deep.equal(new Set(['x']));
    f.name = 'b';
    expect(f.changedAttributes()).to.deep.equal(['name']);
    await f.save();
    expect(f.version).to.equal(2);
    const g = await Smoke.find('1');
    expect(g.name).to.equal('b');
    await g.delete();
    expect(await Smoke.get('1')).to.equal(undefined);
  });
});
