import { expect } from 'chai';
import { Attribute, BaseModel, Index, Model, PartitionKey, SortKey } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import type { KeySchema } from '../../../lib/metadata/model-schema';

// DESIGN §1: an index with a `pk` role is a GSI; one with only an `sk` role is an LSI
// (sharing the table's partition key). §11: projection ALL unless given.

@Model({ table: 'idx_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey() orderId!: string;
  @Index('lsi-placed', 'sk', { type: Date }) placedAt!: Date;
  @Index('gsi-status', 'pk', { projection: 'KEYS_ONLY' }) @Index('by-total', 'sk', { type: Number }) status!: string;
  @Index('by-total', 'pk', { name: 'region_code', projection: ['note', 'total'] }) region!: string;
  @Attribute() note?: string;
  @Attribute({ name: 'total_cents' }) total?: number;
  @Index('gsi-email', 'pk', { unique: true }) email?: string;
}

function summary(index: KeySchema) {
  return {
    name: index.name,
    type: index.type,
    pk: index.partitionKey.property,
    sk: index.sortKey?.property,
    projection: index.projection,
  };
}

describe('metadata: indexes', () => {
  const schema = resolveModel(Order);

  it('lists every index sorted by name, with its kind, keys and projection', () => {
    expect(schema.indexes.map(summary)).to.deep.equal([
      { name: 'by-total', type: 'GSI', pk: 'region', sk: 'status', projection: ['note', 'total_cents'] },
      { name: 'gsi-email', type: 'GSI', pk: 'email', sk: undefined, projection: 'ALL' },
      { name: 'gsi-status', type: 'GSI', pk: 'status', sk: undefined, projection: 'KEYS_ONLY' },
      { name: 'lsi-placed', type: 'LSI', pk: 'customerId', sk: 'placedAt', projection: 'ALL' },
    ]);
  });

  it('the LSI shares the table partition key attribute itself', () => {
    const lsi = schema.indexes.find((i) => i.name === 'lsi-placed')!;
    expect(lsi.partitionKey).to.equal(schema.tableKey.partitionKey);
  });

  it('the table key schema', () => {
    expect(summary(schema.tableKey)).to.deep.equal({ name: undefined, type: 'TABLE', pk: 'customerId', sk: 'orderId', projection: 'ALL' });
  });

  it('index key attributes are marked, typed, and keep their attribute names', () => {
    const region = schema.byProperty.get('region')!;
    expect([region.indexKey, region.keyType, region.attributeName, region.tableKey]).to.deep.equal([true, 'S', 'region_code', undefined]);
    const status = schema.byProperty.get('status')!;
    // One property in two indexes; the type option of one decorator applies to the property.
    expect([status.indexKey, status.kind, status.keyType]).to.deep.equal([true, 'number', 'N']);
    const placed = schema.byProperty.get('placedAt')!;
    expect([placed.indexKey, placed.kind, placed.keyType]).to.deep.equal([true, 'date', 'S']);
    expect(schema.byProperty.get('note')!.indexKey).to.equal(false);
    expect(schema.byProperty.get('note')!.keyType).to.equal(undefined);
    expect(schema.byProperty.get('customerId')!.indexKey).to.equal(false);
    expect(schema.byProperty.get('customerId')!.tableKey).to.equal('partition');
    expect(schema.byProperty.get('orderId')!.tableKey).to.equal('sort');
  });

  it('unique on an index makes the attribute unique', () => {
    expect(schema.uniques.map((a) => a.property)).to.deep.equal(['email']);
    expect(schema.byProperty.get('region')!.unique).to.equal(false);
  });

  it('a model without indexes has none', () => {
    @Model({ table: 'idx_none' })
    class Plain extends BaseModel {
      @PartitionKey() id!: string;
    }
    expect(resolveModel(Plain).indexes).to.deep.equal([]);
  });

  it('a projection given on both keys of an index must agree, and then is used', () => {
    @Model({ table: 'idx_proj_agree' })
    class Agree extends BaseModel {
      @PartitionKey() id!: string;
      @Index('gsi', 'pk', { projection: ['c'] }) a!: string;
      @Index('gsi', 'sk', { projection: ['c'] }) b!: string;
      @Attribute() c?: string;
    }
    expect(resolveModel(Agree).indexes[0].projection).to.deep.equal(['c']);
  });
});
