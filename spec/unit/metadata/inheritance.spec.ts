import { expect } from 'chai';
import { AfterLoad, Attribute, BaseModel, BeforeSave, BeforeValidate, Model, PartitionKey, SortKey } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { runHooks } from '../../../lib/record/run-hooks';

// Facts are recorded per class; a subclass sees its ancestors' attributes and hooks
// (superclass first, declaration order) and never changes them.

const calls: string[] = [];

@Model({ table: 'inh_animal' })
class Animal extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
  @Attribute({ name: 'legs_count' }) legs?: number;

  @BeforeSave() zFirst() {
    calls.push('Animal.zFirst');
  }

  @BeforeSave() aSecond() {
    calls.push('Animal.aSecond');
  }

  @AfterLoad() loaded() {
    calls.push('Animal.loaded');
  }
}

@Model({ table: 'inh_dog' })
class Dog extends Animal {
  @Attribute() breed?: string;
  @Attribute({ name: 'display_name' }) override name?: string = undefined;

  @BeforeValidate() check() {
    calls.push('Dog.check');
  }

  @BeforeSave() mFirst() {
    calls.push('Dog.mFirst');
  }

  @BeforeSave() bSecond() {
    calls.push('Dog.bSecond');
  }
}

class Puppy extends Dog {
  @SortKey() litter!: string;

  @BeforeSave() puppyHook() {
    calls.push('Puppy.puppyHook');
  }
}

describe('metadata: inheritance', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("a subclass adds its attributes after its ancestors'", () => {
    expect(resolveModel(Dog).attributes.map((a) => a.property)).to.deep.equal(['id', 'name', 'legs', 'breed']);
    expect(resolveModel(Puppy).attributes.map((a) => a.property)).to.deep.equal(['id', 'name', 'legs', 'breed', 'litter']);
  });

  it('a subclass may redeclare a property; the superclass keeps its own declaration', () => {
    expect(resolveModel(Dog).byProperty.get('name')!.attributeName).to.equal('display_name');
    expect(resolveModel(Animal).byProperty.get('name')!.attributeName).to.equal('name');
    expect(resolveModel(Dog).byProperty.get('legs')!.attributeName).to.equal('legs_count');
  });

  it('the superclass schema is not changed by subclasses', () => {
    const animal = resolveModel(Animal);
    expect(animal.attributes.map((a) => a.property)).to.deep.equal(['id', 'name', 'legs']);
    expect(animal.hooks.beforeSave).to.deep.equal(['zFirst', 'aSecond']);
    expect(animal.hooks.beforeValidate).to.deep.equal([]);
    expect(animal.tableKey.sortKey).to.equal(undefined);
  });

  it('each class has its own @Model table; a subclass without @Model inherits it', () => {
    expect(resolveModel(Animal).table).to.equal('inh_animal');
    expect(resolveModel(Dog).table).to.equal('inh_dog');
    expect(resolveModel(Puppy).table).to.equal('inh_dog');
    expect(resolveModel(Puppy).tableKey.sortKey!.property).to.equal('litter');
    expect(resolveModel(Puppy).className).to.equal('Puppy');
  });

  it('hooks are listed superclass first, in declaration order, per event', () => {
    const dog = resolveModel(Dog);
    expect(dog.hooks.beforeSave).to.deep.equal(['zFirst', 'aSecond', 'mFirst', 'bSecond']);
    expect(dog.hooks.beforeValidate).to.deep.equal(['check']);
    expect(dog.hooks.afterLoad).to.deep.equal(['loaded']);
    expect(resolveModel(Puppy).hooks.beforeSave).to.deep.equal(['zFirst', 'aSecond', 'mFirst', 'bSecond', 'puppyHook']);
    for (const event of ['beforeCreate', 'beforeUpdate', 'afterCreate', 'afterUpdate', 'afterSave', 'beforeDelete', 'afterDelete'] as const) {
      expect(dog.hooks[event], event).to.deep.equal([]);
    }
  });

  it('hooks run in that order', async () => {
    const schema = resolveModel(Puppy);
    await runHooks(schema, new Puppy(), 'beforeSave');
    expect(calls).to.deep.equal(['Animal.zFirst', 'Animal.aSecond', 'Dog.mFirst', 'Dog.bSecond', 'Puppy.puppyHook']);
  });

  it('a hook method overridden and decorated again in a subclass runs once, at the superclass position, as the override', async () => {
    @Model({ table: 'inh_override' })
    class Base extends BaseModel {
      @PartitionKey() id!: string;
      @BeforeSave() first() {
        calls.push('Base.first');
      }
      @BeforeSave() second() {
        calls.push('Base.second');
      }
    }
    class Derived extends Base {
      @BeforeSave() override first() {
        calls.push('Derived.first');
      }
    }
    expect(resolveModel(Derived).hooks.beforeSave).to.deep.equal(['first', 'second']);
    await runHooks(resolveModel(Derived), new Derived(), 'beforeSave');
    expect(calls).to.deep.equal(['Derived.first', 'Base.second']);
  });

  it('an abstract base without @Model gives its attributes to a decorated subclass', () => {
    class Timestamped extends BaseModel {
      @Attribute({ type: Date }) seenAt?: Date;
    }
    @Model({ table: 'inh_concrete' })
    class Concrete extends Timestamped {
      @PartitionKey() id!: string;
    }
    const schema = resolveModel(Concrete);
    expect(schema.attributes.map((a) => [a.property, a.kind])).to.deep.equal([
      ['seenAt', 'date'],
      ['id', 'string'],
    ]);
    expect(schema.tableKey.partitionKey.property).to.equal('id');
  });
});
