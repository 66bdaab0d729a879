import { expect } from 'chai';
import { Type } from 'class-transformer';
import { Attribute, BaseModel, ensureTable, Model, PartitionKey } from '../../../lib';
import { Address, Profile } from '../../support/fixtures/nested-classes';

// Declared the way README and DESIGN §1 show: class-transformer's @Type on an @Attribute,
// with no `type` option and (under tsx/esbuild, as here) no decorator metadata.
@Model({ table: 'nested_people' })
class Person extends BaseModel {
  @PartitionKey() id!: string;
  @Type(() => Address) @Attribute() home?: Address;
  @Type(() => Address) @Attribute() previous?: Address[];
  @Type(() => Profile) @Attribute() profile?: Profile;
  @Attribute() plain?: Record<string, unknown>;
}

describe('class-transformer @Type on an @Attribute (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Person);
  });

  it('restores the nested class on read, in lists and at every depth', async () => {
    await Person.create({
      id: 'p-1',
      home: Object.assign(new Address(), { street: 'Main St', zip: 1 }),
      previous: [Object.assign(new Address(), { street: 'Old Rd', zip: 2 })],
      profile: Object.assign(new Profile(), { bio: 'b', address: Object.assign(new Address(), { street: 'Deep', zip: 3 }), since: new Date(0) }),
      plain: { street: 'not an address' },
    });
    const found = await Person.find('p-1');
    expect(found.home).to.be.instanceOf(Address);
    expect(found.home!.label).to.equal('Main St 1');
    expect(found.previous![0]).to.be.instanceOf(Address);
    expect(found.previous![0].label).to.equal('Old Rd 2');
    expect(found.profile).to.be.instanceOf(Profile);
    expect(found.profile!.address).to.be.instanceOf(Address);
    expect(found.profile!.since).to.be.instanceOf(Date);
    expect(found.plain).to.deep.equal({ street: 'not an address' });
    expect(Object.getPrototypeOf(found.plain)).to.equal(Object.prototype);
    expect(found.changedAttributes()).to.deep.equal([]);
  });
});
