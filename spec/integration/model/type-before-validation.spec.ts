import { expect } from 'chai';
import { Min } from 'class-validator';
import { Attribute, BaseModel, BeforeValidate, Model, PartitionKey, ValidationError, deleteTable, ensureTable } from '../../../lib';
import { rejection } from '../../support/thrown';

@Model({ table: 'tbv_people' })
class Person extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) @Min(0) age!: number;
  @Attribute() name?: string;
}

@Model({ table: 'tbv_forms' })
class Form extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) @Min(0) age!: number;
  // A form sends numbers as text: the hook coerces them before anything is checked.
  @BeforeValidate() coerce(): void {
    if (typeof this.age === 'string') this.age = Number(this.age);
  }
}

// dynamorm's own type check runs after @BeforeValidate hooks and before class-validator: a value
// of the wrong type is named as such, not reported by a constraint that cannot make sense of it.
describe('the type check before class-validator', () => {
  before(async () => {
    await ensureTable(Person);
    await ensureTable(Form);
  });
  after(async () => {
    await deleteTable(Person, { ifExists: true });
    await deleteTable(Form, { ifExists: true });
  });

  it('reports a value of the wrong type with dynamorm’s message, and writes nothing', async () => {
    const err = await rejection(Person.create({ id: 'p1', age: 'twelve' as unknown as number }));
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as Error).message).to.match(/^Person\.age: expected a number, got the string "twelve"\./);
    expect((err as Error).message).to.not.contain('must not be less than');
    expect(await Person.get('p1')).to.equal(undefined);
  });

  it('still reports class-validator’s constraint for a value of the right type', async () => {
    const err = await rejection(Person.create({ id: 'p2', age: -1 }));
    expect((err as Error).message).to.contain('age must not be less than 0');
  });

  it('checks after @BeforeValidate hooks, which may coerce', async () => {
    const form = await Form.create({ id: 'f1', age: '41' as unknown as number });
    expect(form.age).to.equal(41);
    expect((await Form.find('f1')).age).to.equal(41);
  });
});
