import 'reflect-metadata';
import { expect } from 'chai';
import { Exclude } from 'class-transformer';
import { Attribute, BaseModel, ensureTable, Model, PartitionKey, Version } from '../../../lib';

@Model({ table: 'inst_people' })
class Person extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: BigInt }) big?: bigint;
  @Attribute({ set: true }) tags?: Set<string>;
  @Exclude() @Attribute() secret?: string;
  @Version() version!: number;
}

// `declare` fields emit nothing, as with useDefineForClassFields: false, so the
// constructor's assignment survives.
@Model({ table: 'inst_people' })
class LegacyPerson extends BaseModel {
  @PartitionKey() declare id: string;
  @Attribute() declare name?: string;
}

describe('instance API (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Person);
  });

  it('new Model(attrs) assigns when class fields do not re-initialise', async () => {
    const p = new LegacyPerson({ id: 'legacy-1', name: 'Lee' });
    await p.save();
    expect((await Person.find('legacy-1')).name).to.equal('Lee');
  });

  it('save() of a new instance creates; isNew and changedAttributes follow the item', async () => {
    const p = Person.build({ id: 'p-1', name: 'Ann' });
    expect(p.isNew).to.equal(true);
    expect(p.changedAttributes()).to.deep.equal(['id', 'name']);
    await p.save();
    expect(p.isNew).to.equal(false);
    expect(p.version).to.equal(1);
    expect(p.changedAttributes()).to.deep.equal([]);
  });

  it('sees a Set edited in place as a change', async () => {
    const p = await Person.create({ id: 'p-2', tags: new Set(['a']) });
    const loaded = await Person.find('p-2');
    loaded.tags!.add('b');
    expect(loaded.changedAttributes()).to.deep.equal(['tags']);
    await loaded.save();
    expect((await Person.find('p-2')).tags).to.deep.equal(new Set(['a', 'b']));
    p.tags!.add('c');
    expect(p.changedAttributes()).to.deep.equal(['tags']);
  });

  it('an emptied set removes the attribute', async () => {
    const p = await Person.create({ id: 'p-3', tags: new Set(['a']) });
    p.tags!.clear();
    await p.save();
    const again = await Person.find('p-3');
    expect(again.tags).to.equal(undefined);
  });

  it('reload() replaces every attribute with the stored item', async () => {
    const p = await Person.create({ id: 'p-4', name: 'Old' });
    const other = await Person.find('p-4');
    await other.update({ name: 'New' });
    p.name = 'local edit';
    await p.reload();
    expect(p.name).to.equal('New');
    expect(p.version).to.equal(2);
    expect(p.changedAttributes()).to.deep.equal([]);
  });

  it('toJSON honours @Exclude and turns bigint into a string; fromPlain builds a new instance', async () => {
    const p = await Person.create({ id: 'p-5', name: 'Ann', big: 2n ** 70n, secret: 's3cret' });
    const json = p.toJSON();
    expect(json).to.not.have.property('secret');
    expect(json.big).to.equal((2n ** 70n).toString());
    expect(JSON.parse(JSON.stringify(p))).to.include({ id: 'p-5', name: 'Ann', version: 1 });
    // @Exclude affects toJSON only: the secret is stored and loaded.
    expect((await Person.find('p-5')).secret).to.equal('s3cret');

    const fromPlain = Person.fromPlain({ id: 'p-6', name: 'Bo' });
    expect(fromPlain).to.be.instanceOf(Person);
    expect(fromPlain.isNew).to.equal(true);
    await fromPlain.save();
    expect((await Person.find('p-6')).name).to.equal('Bo');
  });

  it('delete() makes the instance new again, so save() re-creates it', async () => {
    const p = await Person.create({ id: 'p-7', name: 'Gone' });
    await p.delete();
    expect(await Person.get('p-7')).to.equal(undefined);
    expect(p.isNew).to.equal(true);
    await p.save();
    expect((await Person.find('p-7')).version).to.equal(1);
  });
});
