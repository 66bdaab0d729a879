import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Model, PartitionKey, type ModelInput } from '../../../lib';
import { stubConnection } from '../../../lib/testing';

@Model({ table: 'types_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ type: Number }) age?: number;
  greet(): string {
    return `hi ${this.name}`;
  }
}

// These lines are checked by `tsc --noEmit` (part of npm test): each @ts-expect-error must
// be an error, or the type check fails.
describe('types', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('statics are typed as the model; wrong names and types do not compile', async () => {
    const conn = stubConnection(sandbox);
    conn.get.resolves({ Item: { id: '1', name: 'Ann', age: 3 } });
    const user: User = await User.find('1');
    const maybe: User | undefined = await User.get('1');
    expect(user.greet()).to.equal('hi Ann');
    expect(maybe?.age).to.equal(3);

    // @ts-expect-error misspelt property
    expect(() => User.build({ nmae: 'x' })).to.throw();
    // @ts-expect-error wrong value type
    User.build({ age: 'old' });
    // @ts-expect-error methods are not attributes
    expect(() => User.build({ greet: 'x' })).to.throw("'greet' is not a property of User");
    // @ts-expect-error BaseModel members are not attributes
    expect(() => User.build({ isNew: true })).to.throw("'isNew' is not a property of User");
    const input: ModelInput<User> = { id: '1', name: 'x' };
    expect(User.build(input).name).to.equal('x');
  });
});
