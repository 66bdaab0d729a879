import type { DateFormat, HookEvent, SpecialRole } from './options';
import type { KeyTemplate } from './key-template';

/** How a property's value is stored; decided once per property at resolution. */
export type ValueKind = 'string' | 'number' | 'bigint' | 'boolean' | 'date' | 'binary' | 'buffer' | 'set' | 'list' | 'map' | 'class' | 'json' | 'unknown';

/** A DynamoDB scalar type usable in a key schema. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** One persisted property, fully resolved. */
export interface AttributeSchema {
  readonly property: string;
  readonly attributeName: string;
  readonly kind: ValueKind;
  readonly dateFormat: DateFormat;
  /** The class of a nested object (kind 'class', or 'json' with a class type). */
  readonly nestedClass?: Function;
  readonly omitEmpty: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue?: unknown;
  readonly template?: KeyTemplate;
  /** 'partition' / 'sort' for the table key. */
  readonly tableKey?: 'partition' | 'sort';
  readonly special?: SpecialRole;
  readonly unique: boolean;
  /** Set for attributes that are part of the table key or of an index key. */
  readonly keyType?: KeyAttributeType;
  /** True when the attribute is a key of some secondary index (sparse when empty). */
  readonly indexKey: boolean;
}

export type IndexProjection = 'ALL' | 'KEYS_ONLY' | readonly string[];

/** A key schema: the table's, or one secondary index's. */
export interface KeySchema {
  /** The index name; undefined for the table itself. */
  readonly name?: string;
  readonly type: 'TABLE' | 'GSI' | 'LSI';
  /** The first (for the table and LSIs, the only) partition-key attribute. */
  readonly partitionKey: AttributeSchema;
  /** The first (for the table and LSIs, the only) sort-key attribute. */
  readonly sortKey?: AttributeSchema;
  /** Every partition-key attribute in key order: several for a multi-attribute GSI key. */
  readonly partitionKeys: readonly AttributeSchema[];
  /** Every sort-key attribute in key order; empty without a sort key. */
  readonly sortKeys: readonly AttributeSchema[];
  /** Attribute names projected besides the keys (INCLUDE); 'ALL' or 'KEYS_ONLY' otherwise. */
  readonly projection: IndexProjection;
}

/** Everything dynamorm knows about a model class; built once, frozen. */
export interface ModelSchema {
  readonly ctor: Function;
  /** The class name, for messages only (minifiers rename classes). */
  readonly className: string;
  /** The `@Model` table name, without prefix; also the model's identity. */
  readonly table: string;
  readonly attributes: readonly AttributeSchema[];
  readonly byProperty: ReadonlyMap<string, AttributeSchema>;
  readonly byAttributeName: ReadonlyMap<string, AttributeSchema>;
  readonly tableKey: KeySchema;
  readonly indexes: readonly KeySchema[];
  readonly createdAt?: AttributeSchema;
  readonly updatedAt?: AttributeSchema;
  readonly version?: AttributeSchema;
  readonly ttl?: AttributeSchema;
  readonly uniques: readonly AttributeSchema[];
  /** Attributes whose value is computed from a template, in dependency order. */
  readonly templated: readonly AttributeSchema[];
  /** Attributes with a `default`, so writes walk only these. */
  readonly defaulted: readonly AttributeSchema[];
  readonly hooks: Readonly<Record<HookEvent, readonly string[]>>;
  /** Properties dynamorm sets itself (timestamps, version): their validator errors are ignored. */
  readonly managedProperties: ReadonlySet<string>;
}
