import { expect } from 'chai';
import { Attribute, BaseModel, Index, Model, PartitionKey, preRegister, SortKey } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { schemaForTable, schemaOf } from '../../../lib/metadata/registry';

// DESIGN §1: metadata is computed once per class and cached; preRegister does it eagerly.
// §11: the registry uses the @Model table name, never constructor.name.

@Model({ table: 'reg_cached' })
class Cached extends BaseModel {
  @PartitionKey({ template: 'C#{code}' }) pk!: string;
  @SortKey() sk!: string;
  @Attribute() code!: string;
  @Index('gsi-code', 'pk') other!: string;
}

@Model({ table: 'reg_eager' })
class RegEagerClassName extends BaseModel {
  @PartitionKey() id!: string;
}

describe('metadata: resolution cache and registry', () => {
  it('resolves a class once and returns the same object afterwards', () => {
    const first = resolveModel(Cached);
    expect(resolveModel(Cached)).to.equal(first);
    expect(schemaOf(Cached)).to.equal(first);
    expect(first.ctor).to.equal(Cached);
    expect(first.className).to.equal('Cached');
    expect(first.table).to.equal('reg_cached');
  });

  it('the schema and its parts are frozen', () => {
    const schema = resolveModel(Cached);
    expect(Object.isFrozen(schema)).to.equal(true);
    expect(Object.isFrozen(schema.attributes)).to.equal(true);
    for (const a of schema.attributes) expect(Object.isFrozen(a), a.property).to.equal(true);
    expect(Object.isFrozen(schema.tableKey)).to.equal(true);
    expect(Object.isFrozen(schema.indexes)).to.equal(true);
    for (const i of schema.indexes) expect(Object.isFrozen(i)).to.equal(true);
    expect(Object.isFrozen(schema.hooks)).to.equal(true);
    expect(Object.isFrozen(schema.uniques)).to.equal(true);
    expect(Object.isFrozen(schema.templated)).to.equal(true);
    const template = schema.byProperty.get('pk')!.template!;
    expect(Object.isFrozen(template)).to.equal(true);
    expect(Object.isFrozen(template.parts)).to.equal(true);
    expect(() => {
      (schema as { table: string }).table = 'other';
    }).to.throw(TypeError);
  });

  it('preRegister resolves eagerly and registers each model under its table name', () => {
    expect(schemaForTable('reg_eager')).to.equal(undefined);
    preRegister(RegEagerClassName);
    const schema = schemaForTable('reg_eager');
    expect(schema).to.equal(resolveModel(RegEagerClassName));
    expect(schemaForTable('RegEagerClassName')).to.equal(undefined);
  });

  it('schemaOf registers lazily too, and the first class keeps a shared table name', () => {
    @Model({ table: 'reg_shared' })
    class SharedA extends BaseModel {
      @PartitionKey() id!: string;
    }
    @Model({ table: 'reg_shared' })
    class SharedB extends BaseModel {
      @PartitionKey() id!: string;
    }
    schemaOf(SharedA);
    schemaOf(SharedB);
    expect(schemaForTable('reg_shared')!.ctor).to.equal(SharedA);
  });

  it('templated attributes are listed on the schema', () => {
    expect(resolveModel(Cached).templated.map((a) => a.property)).to.deep.equal(['pk']);
  });
});
