import { expect } from 'chai';
import { Attribute, BaseModel, CreatedAt, Index, Model, ModelDefinitionError, PartitionKey, preRegister, SortKey, TTL, UpdatedAt, Version } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { thrown } from '../../support/thrown';

// DESIGN §1 / §11: a wrong model definition throws ModelDefinitionError at registration
// (preRegister or first use), naming the class and the property.

const definitionError = (fn: () => unknown): ModelDefinitionError => thrown(ModelDefinitionError, fn);

describe('metadata: model definition errors', () => {
  describe('the cases DESIGN names', () => {
    it('a class without @Model', () => {
      class NoModelDecl extends BaseModel {
        @PartitionKey() id!: string;
      }
      const err = definitionError(() => preRegister(NoModelDecl));
      expect(err.message).to.equal('NoModelDecl has no @Model({ table }) decorator.');
    });

    it('a model without a partition key', () => {
      @Model({ table: 'def_no_pk' })
      class NoPartition extends BaseModel {
        @Attribute() name?: string;
      }
      const err = definitionError(() => preRegister(NoPartition));
      expect(err.message).to.equal('NoPartition has no partition key: add @PartitionKey() to one property.');
    });

    it('a model with two partition keys names both properties', () => {
      @Model({ table: 'def_two_pk' })
      class TwoPartitions extends BaseModel {
        @PartitionKey() first!: string;
        @PartitionKey() second!: string;
      }
      const err = definitionError(() => preRegister(TwoPartitions));
      expect(err.message).to.equal('TwoPartitions has two partition keys: first and second.');
    });

    it('a model with two sort keys names both properties', () => {
      @Model({ table: 'def_two_sk' })
      class TwoSorts extends BaseModel {
        @PartitionKey() id!: string;
        @SortKey() a!: string;
        @SortKey() b!: string;
      }
      const err = definitionError(() => preRegister(TwoSorts));
      expect(err.message).to.equal('TwoSorts has two sort keys: a and b.');
    });

    it('one property that is both partition and sort key', () => {
      @Model({ table: 'def_pk_sk' })
      class BothKeys extends BaseModel {
        @PartitionKey() @SortKey() id!: string;
      }
      const err = definitionError(() => preRegister(BothKeys));
      expect(err.message).to.equal('BothKeys.id has more than one key decorator.');
    });

    it('an index with two partition keys names the index and both properties', () => {
      @Model({ table: 'def_idx_two_pk' })
      class IndexTwoPks extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi-x', 'pk') a!: string;
        @Index('gsi-x', 'pk') b!: string;
      }
      const err = definitionError(() => preRegister(IndexTwoPks));
      expect(err.message).to.equal(
        "IndexTwoPks: index 'gsi-x' has 2 partition keys (a: order missing, b: order missing); a multi-attribute key takes 2 to 4, with the orders 1..n, no gap, no repeat.",
      );
    });

    it('an index with two sort keys names the index and both properties', () => {
      @Model({ table: 'def_idx_two_sk' })
      class IndexTwoSks extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi-x', 'pk') a!: string;
        @Index('gsi-x', 'sk') b!: string;
        @Index('gsi-x', 'sk') c!: string;
      }
      const err = definitionError(() => preRegister(IndexTwoSks));
      expect(err.message).to.equal(
        "IndexTwoSks: index 'gsi-x' has 2 sort keys (b: order missing, c: order missing); a multi-attribute key takes 2 to 4, with the orders 1..n, no gap, no repeat.",
      );
    });

    it('an sk-only index (LSI) on a table without a sort key names the class, property and index', () => {
      @Model({ table: 'def_lsi_no_sk' })
      class LsiWithoutSort extends BaseModel {
        @PartitionKey() id!: string;
        @Index('lsi-status', 'sk') status!: string;
      }
      const err = definitionError(() => preRegister(LsiWithoutSort));
      expect(err.message).to.include('LsiWithoutSort.status');
      expect(err.message).to.include("index 'lsi-status'");
      expect(err.message).to.include('local secondary index');
      expect(err.message).to.include('@SortKey');
    });

    it('@TTL on a string (type: String)', () => {
      @Model({ table: 'def_ttl_string' })
      class TtlString extends BaseModel {
        @PartitionKey() id!: string;
        @TTL({ type: String }) expiresAt?: string;
      }
      const err = definitionError(() => preRegister(TtlString));
      expect(err.message).to.equal('TtlString.expiresAt: @TTL must be a Date or epoch seconds (type: Number), not a string.');
    });

    it('@TTL on any other type (type: Boolean)', () => {
      @Model({ table: 'def_ttl_bool' })
      class TtlBoolean extends BaseModel {
        @PartitionKey() id!: string;
        @TTL({ type: Boolean }) expiresAt?: boolean;
      }
      const err = definitionError(() => preRegister(TtlBoolean));
      expect(err.message).to.equal('TtlBoolean.expiresAt: @TTL must be a Date or epoch seconds (type: Number).');
    });

    it('a key template naming an unknown property', () => {
      @Model({ table: 'def_tpl_unknown' })
      class TemplateUnknown extends BaseModel {
        @PartitionKey({ template: 'ORG#{orgId}#P#{projectId}' }) pk!: string;
        @Attribute() orgId!: string;
      }
      const err = definitionError(() => preRegister(TemplateUnknown));
      expect(err.message).to.equal(
        "TemplateUnknown.pk: the key template 'ORG#{orgId}#P#{projectId}' names 'projectId', which is not a persisted property of TemplateUnknown.",
      );
    });

    it('a key template naming an undecorated (not persisted) property', () => {
      @Model({ table: 'def_tpl_undecorated' })
      class TemplateUndecorated extends BaseModel {
        @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
        orgId!: string;
      }
      const err = definitionError(() => preRegister(TemplateUndecorated));
      expect(err.message).to.include("TemplateUndecorated.pk: the key template 'ORG#{orgId}' names 'orgId'");
    });

    it('a unique attribute when the partition key is not a string', () => {
      @Model({ table: 'def_unique_numeric_pk' })
      class UniqueNumericPk extends BaseModel {
        @PartitionKey({ type: Number }) id!: number;
        @Index('gsi-email', 'pk', { unique: true }) email!: string;
      }
      const err = definitionError(() => preRegister(UniqueNumericPk));
      expect(err.message).to.equal('UniqueNumericPk.email is unique, which needs a string partition key (guard items share the table); id is not a string.');
    });

    it('a unique @Attribute when the partition key is binary', () => {
      @Model({ table: 'def_unique_binary_pk' })
      class UniqueBinaryPk extends BaseModel {
        @PartitionKey({ type: Uint8Array }) id!: Uint8Array;
        @Attribute({ unique: true }) handle!: string;
      }
      const err = definitionError(() => preRegister(UniqueBinaryPk));
      expect(err.message).to.include('UniqueBinaryPk.handle is unique');
      expect(err.message).to.include('id is not a string');
    });

    it('a unique attribute when the sort key is not a string', () => {
      @Model({ table: 'def_unique_numeric_sk' })
      class UniqueNumericSk extends BaseModel {
        @PartitionKey() id!: string;
        @SortKey({ type: Number }) n!: number;
        @Attribute({ unique: true }) handle!: string;
      }
      const err = definitionError(() => preRegister(UniqueNumericSk));
      expect(err.message).to.equal('UniqueNumericSk.handle is unique, which needs a string sort key (guard items share the table); n is not a string.');
    });

    it('a key attribute of an impossible type (boolean)', () => {
      @Model({ table: 'def_bool_pk' })
      class BooleanKey extends BaseModel {
        @PartitionKey({ type: Boolean }) id!: boolean;
      }
      const err = definitionError(() => preRegister(BooleanKey));
      expect(err.message).to.equal(
        'BooleanKey.id is a key attribute but its type (boolean) cannot be a DynamoDB key; use a string, number, bigint, binary or Date.',
      );
    });

    for (const [label, type, kind] of [
      ['Set', Set, 'set'],
      ['Array', Array, 'list'],
      ['Object', Object, 'map'],
    ] as const) {
      it(`an index key of an impossible type (${label})`, () => {
        @Model({ table: `def_idx_${kind}` })
        class ImpossibleIndexKey extends BaseModel {
          @PartitionKey() id!: string;
          @Index('gsi-x', 'pk', { type }) x!: unknown;
        }
        const err = definitionError(() => preRegister(ImpossibleIndexKey));
        expect(err.message).to.include(`ImpossibleIndexKey.x is a key attribute but its type (${kind}) cannot be a DynamoDB key`);
      });
    }

    it('a sort key stored as JSON', () => {
      @Model({ table: 'def_json_sk' })
      class JsonSortKey extends BaseModel {
        @PartitionKey() id!: string;
        @SortKey({ json: true }) sk!: object;
      }
      const err = definitionError(() => preRegister(JsonSortKey));
      expect(err.message).to.include('JsonSortKey.sk is a key attribute but its type (json)');
    });
  });

  describe('other declaration mistakes', () => {
    it('@Model without a table name throws when the decorator runs', () => {
      const err = definitionError(() => {
        @Model({ table: '' })
        class EmptyTable extends BaseModel {
          @PartitionKey() id!: string;
        }
        return EmptyTable;
      });
      expect(err.message).to.equal("@Model on EmptyTable needs a table name: @Model({ table: 'users' }).");
    });

    it('two decorators giving one property different attribute names', () => {
      const err = definitionError(() => {
        class NameClash extends BaseModel {
          @Attribute({ name: 'a' }) @Index('gsi', 'pk', { name: 'b' }) x!: string;
        }
        return NameClash;
      });
      expect(err.message).to.equal("NameClash.x: @Attribute sets 'name' to a different value than an earlier decorator on the same property.");
    });

    it('two decorators giving one property different types', () => {
      const err = definitionError(() => {
        class TypeClash extends BaseModel {
          @Attribute({ type: Number }) @Index('gsi', 'pk', { type: String }) x!: string;
        }
        return TypeClash;
      });
      expect(err.message).to.equal("TypeClash.x: @Attribute sets 'type' to a different value than an earlier decorator on the same property.");
    });

    it('the same option value given twice is fine', () => {
      @Model({ table: 'def_same_type' })
      class SameType extends BaseModel {
        @PartitionKey() id!: string;
        @Attribute({ type: Date }) @Index('gsi', 'pk', { type: Date }) when!: Date;
      }
      expect(resolveModel(SameType).byProperty.get('when')!.kind).to.equal('date');
    });

    it('two managed roles on one property', () => {
      const err = definitionError(() => {
        class TwoRoles extends BaseModel {
          @CreatedAt() @UpdatedAt() at!: Date;
        }
        return TwoRoles;
      });
      expect(err.message).to.equal("TwoRoles.at: @CreatedAt cannot be combined with the decorator for 'updatedAt'.");
    });

    it('two @TTL properties', () => {
      @Model({ table: 'def_two_ttl' })
      class TwoTtls extends BaseModel {
        @PartitionKey() id!: string;
        @TTL() a?: Date;
        @TTL() b?: Date;
      }
      const err = definitionError(() => preRegister(TwoTtls));
      expect(err.message).to.equal('TwoTtls has two @TTL properties: a and b.');
    });

    it('@Version that is not a number', () => {
      @Model({ table: 'def_version_str' })
      class VersionString extends BaseModel {
        @PartitionKey() id!: string;
        @Version({ type: String }) version!: string;
      }
      const err = definitionError(() => preRegister(VersionString));
      expect(err.message).to.equal('VersionString.version: @Version must be a number.');
    });

    it('@CreatedAt / @UpdatedAt that are not Dates', () => {
      @Model({ table: 'def_created_num' })
      class CreatedNumber extends BaseModel {
        @PartitionKey() id!: string;
        @CreatedAt({ type: Number }) createdAt!: number;
      }
      expect(definitionError(() => preRegister(CreatedNumber)).message).to.equal('CreatedNumber.createdAt: @CreatedAt must be a Date.');

      @Model({ table: 'def_updated_str' })
      class UpdatedString extends BaseModel {
        @PartitionKey() id!: string;
        @UpdatedAt({ type: String }) updatedAt!: string;
      }
      expect(definitionError(() => preRegister(UpdatedString)).message).to.equal('UpdatedString.updatedAt: @UpdatedAt must be a Date.');
    });

    it('a managed attribute that is also a table key (an index key may be one: DESIGN §1 sorts a GSI by @CreatedAt)', () => {
      @Model({ table: 'def_managed_key' })
      class ManagedKey extends BaseModel {
        @PartitionKey() id!: string;
        @SortKey() @UpdatedAt() updatedAt!: Date;
      }
      const err = definitionError(() => preRegister(ManagedKey));
      expect(err.message).to.equal('ManagedKey.updatedAt cannot be both a table key and a managed (@updatedAt) attribute.');

      @Model({ table: 'def_managed_index_key' })
      class ManagedIndexKey extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi-updated', 'pk') @UpdatedAt() updatedAt!: Date;
      }
      expect(() => preRegister(ManagedIndexKey)).not.to.throw();
    });

    it('an unknown date format', () => {
      @Model({ table: 'def_bad_format' })
      class BadFormat extends BaseModel {
        @PartitionKey() id!: string;
        @Attribute({ format: 'unix' as never }) at!: Date;
      }
      const err = definitionError(() => preRegister(BadFormat));
      expect(err.message).to.equal("BadFormat.at: format must be 'iso', 'epoch' or 'epoch_ms', not 'unix'.");
    });

    it('a key template on a property that is not a string', () => {
      @Model({ table: 'def_tpl_number' })
      class TemplateNumber extends BaseModel {
        @PartitionKey({ template: 'N#{x}', type: Number }) pk!: number;
        @Attribute() x!: string;
      }
      const err = definitionError(() => preRegister(TemplateNumber));
      expect(err.message).to.equal('TemplateNumber.pk: a key template computes a string; the property must be a string.');
    });

    it('a key template naming another templated property', () => {
      @Model({ table: 'def_tpl_chain' })
      class TemplateChain extends BaseModel {
        @PartitionKey({ template: 'A#{gsiPk}' }) pk!: string;
        @Index('gsi', 'pk', { template: 'B#{x}' }) gsiPk!: string;
        @Attribute() x!: string;
      }
      const err = definitionError(() => preRegister(TemplateChain));
      expect(err.message).to.equal("TemplateChain.pk: the key template names 'gsiPk', which is itself templated.");
    });

    it('a malformed key template', () => {
      @Model({ table: 'def_tpl_malformed' })
      class TemplateMalformed extends BaseModel {
        @PartitionKey({ template: 'ORG#{org' }) pk!: string;
        @Attribute() org!: string;
      }
      const err = definitionError(() => preRegister(TemplateMalformed));
      expect(err.message).to.equal("TemplateMalformed.pk: the key template 'ORG#{org' has a malformed reference; write {propertyName}.");
    });

    it('two properties stored under one attribute name', () => {
      @Model({ table: 'def_attr_clash' })
      class AttributeClash extends BaseModel {
        @PartitionKey() id!: string;
        @Attribute({ name: 'n' }) a?: string;
        @Attribute({ name: 'n' }) b?: string;
      }
      const err = definitionError(() => preRegister(AttributeClash));
      expect(err.message).to.equal("AttributeClash.b and AttributeClash.a are both stored as 'n'.");
    });

    it("a property named like another property's attribute name", () => {
      @Model({ table: 'def_attr_clash2' })
      class AttributeClash2 extends BaseModel {
        @PartitionKey() id!: string;
        @Attribute({ name: 'nick_name' }) nickname?: string;
        @Attribute() nick_name?: string;
      }
      expect(definitionError(() => preRegister(AttributeClash2)).message).to.include("both stored as 'nick_name'");
    });

    it('{ unique: true } on a table key', () => {
      @Model({ table: 'def_unique_pk' })
      class UniquePk extends BaseModel {
        @PartitionKey({ unique: true }) id!: string;
      }
      const err = definitionError(() => preRegister(UniquePk));
      expect(err.message).to.equal('UniquePk.id: a table key is unique already; remove { unique: true }.');
    });

    it('@Index without a name or with a wrong role', () => {
      const noName = definitionError(() => {
        class IndexNoName extends BaseModel {
          @Index('', 'pk') x!: string;
        }
        return IndexNoName;
      });
      expect(noName.message).to.equal('IndexNoName.x: @Index needs an index name.');
      const badRole = definitionError(() => {
        class IndexBadRole extends BaseModel {
          @Index('gsi', 'hash' as never) x!: string;
        }
        return IndexBadRole;
      });
      expect(badRole.message).to.equal("IndexBadRole.x: @Index('gsi', role) takes 'pk' or 'sk', not 'hash'.");
    });

    it('an index projecting an unknown property, or two different projections', () => {
      @Model({ table: 'def_proj_unknown' })
      class ProjectionUnknown extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi', 'pk', { projection: ['nope'] }) x!: string;
      }
      expect(definitionError(() => preRegister(ProjectionUnknown)).message).to.equal(
        "ProjectionUnknown: index 'gsi' projects 'nope', which is not a persisted property.",
      );

      @Model({ table: 'def_proj_two' })
      class ProjectionTwice extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi', 'pk', { projection: 'KEYS_ONLY' }) x!: string;
        @Index('gsi', 'sk', { projection: 'ALL' }) y!: string;
      }
      expect(definitionError(() => preRegister(ProjectionTwice)).message).to.equal("ProjectionTwice: index 'gsi' is given two different projections.");

      @Model({ table: 'def_proj_bad' })
      class ProjectionBad extends BaseModel {
        @PartitionKey() id!: string;
        @Index('gsi', 'pk', { projection: 'SOME' as never }) x!: string;
      }
      expect(definitionError(() => preRegister(ProjectionBad)).message).to.equal(
        "ProjectionBad: index 'gsi' projection must be 'ALL', 'KEYS_ONLY' or a list of properties.",
      );
    });
  });

  describe('when errors are thrown', () => {
    it('decorating a wrong model does not throw; resolving it does, every time', () => {
      let Late: Function | undefined;
      expect(() => {
        @Model({ table: 'def_late' })
        class LateError extends BaseModel {
          @PartitionKey() a!: string;
          @PartitionKey() b!: string;
        }
        Late = LateError;
      }).not.to.throw();
      expect(() => resolveModel(Late!)).to.throw(ModelDefinitionError, 'LateError has two partition keys');
      expect(() => resolveModel(Late!)).to.throw(ModelDefinitionError, 'LateError has two partition keys');
    });

    it('preRegister stops at the first wrong model', () => {
      @Model({ table: 'def_pre_ok' })
      class PreOk extends BaseModel {
        @PartitionKey() id!: string;
      }
      class PreBad extends BaseModel {
        @PartitionKey() id!: string;
      }
      expect(() => preRegister(PreOk, PreBad)).to.throw(ModelDefinitionError, 'PreBad has no @Model');
      expect(() => preRegister(PreOk)).not.to.throw();
    });
  });
});
