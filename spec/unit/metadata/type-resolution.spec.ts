import 'reflect-metadata';
import { expect } from 'chai';
import { Attribute, BaseModel, CreatedAt, Index, Model, PartitionKey, SortKey, TTL, UpdatedAt, Version } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { designType, keyTypeOf, kindOfConstructor, resolveKind } from '../../../lib/metadata/value-kind';
import type { AttributeSchema } from '../../../lib/metadata/model-schema';

// DESIGN §1 / §11: a property's type comes from the `type` option, then from `design:type`
// where the compiler emitted it, else from the stored value ('unknown'); key and index
// attributes without either are strings (S). The suite runs under tsx (esbuild), which
// emits no design:type, so here the metadata is defined by hand where a test needs it.

class Nested {
  a?: number;
}

function attr(ctor: Function, property: string): AttributeSchema {
  const found = resolveModel(ctor).byProperty.get(property);
  if (!found) return expect.fail(`no attribute ${property}`);
  return found;
}

describe('metadata: value kinds', () => {
  it('maps each supported constructor to its kind, and any other class to a nested class', () => {
    const expected: Array<[Function, string]> = [
      [String, 'string'],
      [Number, 'number'],
      [BigInt, 'bigint'],
      [Boolean, 'boolean'],
      [Date, 'date'],
      [Set, 'set'],
      [Uint8Array, 'binary'],
      [Buffer, 'buffer'],
      [Array, 'list'],
      [Object, 'map'],
      [Nested, 'class'],
      [Map, 'class'],
    ];
    for (const [ctor, kind] of expected) expect(kindOfConstructor(ctor), ctor.name).to.equal(kind);
  });

  it('resolveKind: the type option wins over design:type', () => {
    expect(resolveKind({ type: Number }, String)).to.deep.equal({ kind: 'number' });
    expect(resolveKind({ type: Nested }, Object)).to.deep.equal({ kind: 'class', nestedClass: Nested });
  });

  it('resolveKind: design:type when there is no type option', () => {
    expect(resolveKind({}, Date)).to.deep.equal({ kind: 'date' });
    expect(resolveKind({}, Nested)).to.deep.equal({ kind: 'class', nestedClass: Nested });
  });

  it("resolveKind: 'unknown' when neither is given", () => {
    expect(resolveKind({}, undefined)).to.deep.equal({ kind: 'unknown' });
  });

  it('resolveKind: format implies a Date, json and set decide before the type', () => {
    expect(resolveKind({ format: 'epoch' }, undefined)).to.deep.equal({ kind: 'date' });
    expect(resolveKind({ format: 'epoch_ms', type: Number }, undefined)).to.deep.equal({ kind: 'date' });
    expect(resolveKind({ json: true }, undefined)).to.deep.equal({ kind: 'json', nestedClass: undefined });
    expect(resolveKind({ json: true, type: Nested }, undefined)).to.deep.equal({ kind: 'json', nestedClass: Nested });
    expect(resolveKind({ json: true }, Object)).to.deep.equal({ kind: 'json', nestedClass: undefined });
    expect(resolveKind({ set: true }, Array)).to.deep.equal({ kind: 'set' });
  });

  it('keyTypeOf: S for strings and ISO Dates, N for numbers, bigints and epoch Dates, B for binary', () => {
    expect(keyTypeOf('string', 'iso')).to.equal('S');
    expect(keyTypeOf('unknown', 'iso')).to.equal('S');
    expect(keyTypeOf('number', 'iso')).to.equal('N');
    expect(keyTypeOf('bigint', 'iso')).to.equal('N');
    expect(keyTypeOf('date', 'iso')).to.equal('S');
    expect(keyTypeOf('date', 'epoch')).to.equal('N');
    expect(keyTypeOf('date', 'epoch_ms')).to.equal('N');
    expect(keyTypeOf('binary', 'iso')).to.equal('B');
    expect(keyTypeOf('buffer', 'iso')).to.equal('B');
    for (const kind of ['boolean', 'set', 'list', 'map', 'class', 'json'] as const) expect(keyTypeOf(kind, 'iso'), kind).to.equal(undefined);
  });

  it('designType reads design:type when present and ignores anything that is not a constructor', () => {
    class Holder {}
    expect(designType(Holder.prototype, 'a')).to.equal(undefined);
    Reflect.defineMetadata('design:type', Number, Holder.prototype, 'a');
    Reflect.defineMetadata('design:type', 'Number', Holder.prototype, 'b');
    expect(designType(Holder.prototype, 'a')).to.equal(Number);
    expect(designType(Holder.prototype, 'b')).to.equal(undefined);
  });
});

describe('metadata: type resolution of a model', () => {
  it('under tsx no design:type is emitted (the esbuild condition)', () => {
    @Model({ table: 'tr_no_metadata' })
    class NoMetadata extends BaseModel {
      @PartitionKey() id!: string;
      @Attribute() count!: number;
    }
    expect(Reflect.getMetadata('design:type', NoMetadata.prototype, 'count')).to.equal(undefined);
    expect(attr(NoMetadata, 'count').kind).to.equal('unknown');
  });

  it('uses the type option, then design:type, else unknown', () => {
    @Model({ table: 'tr_order' })
    class Ordered extends BaseModel {
      @PartitionKey() id!: string;
      @Attribute({ type: BigInt }) optionWins!: bigint;
      @Attribute() fromMetadata!: Date;
      @Attribute() nothing!: unknown;
    }
    // As tsc with emitDecoratorMetadata would: defined before the schema is first resolved.
    Reflect.defineMetadata('design:type', Number, Ordered.prototype, 'optionWins');
    Reflect.defineMetadata('design:type', Date, Ordered.prototype, 'fromMetadata');
    expect(attr(Ordered, 'optionWins').kind).to.equal('bigint');
    expect(attr(Ordered, 'fromMetadata').kind).to.equal('date');
    expect(attr(Ordered, 'nothing').kind).to.equal('unknown');
  });

  it('design:type of a class gives a nested class', () => {
    @Model({ table: 'tr_nested_meta' })
    class WithNested extends BaseModel {
      @PartitionKey() id!: string;
      @Attribute() nested!: Nested;
    }
    Reflect.defineMetadata('design:type', Nested, WithNested.prototype, 'nested');
    const a = attr(WithNested, 'nested');
    expect(a.kind).to.equal('class');
    expect(a.nestedClass).to.equal(Nested);
  });

  it('key and index attributes default to strings (S) without type or metadata', () => {
    @Model({ table: 'tr_key_default' })
    class KeyDefaults extends BaseModel {
      @PartitionKey() pk!: string;
      @SortKey() sk!: string;
      @Index('gsi', 'pk') g!: string;
    }
    for (const p of ['pk', 'sk', 'g']) {
      expect(attr(KeyDefaults, p).kind, p).to.equal('string');
      expect(attr(KeyDefaults, p).keyType, p).to.equal('S');
    }
  });

  it('a key typed by design:type', () => {
    @Model({ table: 'tr_key_meta' })
    class KeyFromMetadata extends BaseModel {
      @PartitionKey() id!: number;
      @Index('gsi', 'pk') bin!: Uint8Array;
    }
    Reflect.defineMetadata('design:type', Number, KeyFromMetadata.prototype, 'id');
    Reflect.defineMetadata('design:type', Uint8Array, KeyFromMetadata.prototype, 'bin');
    expect(attr(KeyFromMetadata, 'id').keyType).to.equal('N');
    expect(attr(KeyFromMetadata, 'bin').keyType).to.equal('B');
  });

  it('the type option may be given on any decorator of the property', () => {
    @Model({ table: 'tr_type_anywhere' })
    class TypeAnywhere extends BaseModel {
      @PartitionKey({ type: Number }) id!: number;
      @SortKey({ type: Date }) day!: Date;
      @Index('gsi', 'pk', { type: BigInt }) big!: bigint;
      @Index('gsi', 'sk', { type: Date, format: 'epoch_ms' }) at!: Date;
      @Attribute({ type: Date }) @Index('gsi2', 'pk') combined!: Date;
    }
    const expected: Record<string, [string, string, string]> = {
      id: ['number', 'iso', 'N'],
      day: ['date', 'iso', 'S'],
      big: ['bigint', 'iso', 'N'],
      at: ['date', 'epoch_ms', 'N'],
      combined: ['date', 'iso', 'S'],
    };
    for (const [p, [kind, format, keyType]] of Object.entries(expected)) {
      const a = attr(TypeAnywhere, p);
      expect([a.kind, a.dateFormat, a.keyType], p).to.deep.equal([kind, format, keyType]);
    }
  });

  it('format implies a Date and decides the key type', () => {
    @Model({ table: 'tr_format' })
    class Formats extends BaseModel {
      @PartitionKey({ format: 'epoch' }) day!: Date;
      @Attribute({ format: 'epoch_ms' }) at!: Date;
      @Attribute({ format: 'iso' }) iso!: Date;
    }
    expect([attr(Formats, 'day').kind, attr(Formats, 'day').dateFormat, attr(Formats, 'day').keyType]).to.deep.equal(['date', 'epoch', 'N']);
    expect([attr(Formats, 'at').kind, attr(Formats, 'at').dateFormat]).to.deep.equal(['date', 'epoch_ms']);
    expect([attr(Formats, 'iso').kind, attr(Formats, 'iso').dateFormat]).to.deep.equal(['date', 'iso']);
  });

  it('@TTL is a Date stored as epoch seconds unless type: Number', () => {
    @Model({ table: 'tr_ttl_date' })
    class TtlDate extends BaseModel {
      @PartitionKey() id!: string;
      @TTL() expiresAt?: Date;
    }
    @Model({ table: 'tr_ttl_number' })
    class TtlNumber extends BaseModel {
      @PartitionKey() id!: string;
      @TTL({ type: Number }) expiresAt?: number;
    }
    @Model({ table: 'tr_ttl_iso' })
    class TtlFormatIgnored extends BaseModel {
      @PartitionKey() id!: string;
      @TTL({ format: 'iso' }) expiresAt?: Date;
    }
    expect([attr(TtlDate, 'expiresAt').kind, attr(TtlDate, 'expiresAt').dateFormat]).to.deep.equal(['date', 'epoch']);
    expect(attr(TtlNumber, 'expiresAt').kind).to.equal('number');
    // Only epoch seconds are read by DynamoDB's TTL sweeper.
    expect(attr(TtlFormatIgnored, 'expiresAt').dateFormat).to.equal('epoch');
    expect(resolveModel(TtlDate).ttl).to.equal(attr(TtlDate, 'expiresAt'));
  });

  it('@TTL typed by design:type Date or Number is accepted, String is not', () => {
    @Model({ table: 'tr_ttl_meta' })
    class TtlMeta extends BaseModel {
      @PartitionKey() id!: string;
      @TTL() expiresAt?: number;
    }
    Reflect.defineMetadata('design:type', Number, TtlMeta.prototype, 'expiresAt');
    expect(attr(TtlMeta, 'expiresAt').kind).to.equal('number');

    @Model({ table: 'tr_ttl_meta_str' })
    class TtlMetaString extends BaseModel {
      @PartitionKey() id!: string;
      @TTL() expiresAt?: string;
    }
    Reflect.defineMetadata('design:type', String, TtlMetaString.prototype, 'expiresAt');
    expect(() => resolveModel(TtlMetaString)).to.throw('TtlMetaString.expiresAt: @TTL must be a Date or epoch seconds (type: Number), not a string.');
  });

  it('managed attributes: @Version is a number, @CreatedAt / @UpdatedAt are Dates', () => {
    @Model({ table: 'tr_managed' })
    class Managed extends BaseModel {
      @PartitionKey() id!: string;
      @Version() version!: number;
      @CreatedAt() createdAt!: Date;
      @UpdatedAt() updatedAt!: Date;
    }
    const schema = resolveModel(Managed);
    expect(schema.version!.kind).to.equal('number');
    expect(schema.createdAt!.kind).to.equal('date');
    expect(schema.createdAt!.dateFormat).to.equal('iso');
    expect(schema.updatedAt!.kind).to.equal('date');
    expect([...schema.managedProperties].sort()).to.deep.equal(['createdAt', 'updatedAt', 'version']);
  });

  it('set, json, name, omitEmpty, default and unique are recorded on the attribute', () => {
    const makeDefault = () => 'x';
    @Model({ table: 'tr_options' })
    class Options extends BaseModel {
      @PartitionKey() id!: string;
      @Attribute({ set: true }) tags?: Set<string>;
      @Attribute({ json: true, type: Nested }) profile?: Nested;
      @Attribute({ name: 'nick_name', omitEmpty: true }) nickname?: string;
      @Attribute({ default: makeDefault }) fn?: string;
      @Attribute({ default: 0 }) zero?: number;
      @Attribute({ default: undefined }) none?: string;
      @Attribute({ unique: true }) handle?: string;
    }
    const schema = resolveModel(Options);
    expect(attr(Options, 'tags').kind).to.equal('set');
    expect(attr(Options, 'profile').kind).to.equal('json');
    expect(attr(Options, 'profile').nestedClass).to.equal(Nested);
    expect(attr(Options, 'nickname').attributeName).to.equal('nick_name');
    expect(attr(Options, 'nickname').omitEmpty).to.equal(true);
    expect(schema.byAttributeName.get('nick_name')).to.equal(attr(Options, 'nickname'));
    expect(schema.byAttributeName.has('nickname')).to.equal(false);
    expect([attr(Options, 'fn').hasDefault, attr(Options, 'fn').defaultValue]).to.deep.equal([true, makeDefault]);
    expect([attr(Options, 'zero').hasDefault, attr(Options, 'zero').defaultValue]).to.deep.equal([true, 0]);
    expect(attr(Options, 'none').hasDefault).to.equal(false);
    expect(attr(Options, 'tags').omitEmpty).to.equal(false);
    expect(attr(Options, 'handle').unique).to.equal(true);
    expect(attr(Options, 'handle').keyType).to.equal(undefined);
    expect(schema.uniques).to.deep.equal([attr(Options, 'handle')]);
  });

  it('undecorated properties are not persisted', () => {
    @Model({ table: 'tr_undecorated' })
    class Undecorated extends BaseModel {
      @PartitionKey() id!: string;
      transient?: string;
    }
    expect(resolveModel(Undecorated).attributes.map((a) => a.property)).to.deep.equal(['id']);
  });
});
