/** How a Date is stored: ISO-8601 string (default), epoch seconds or epoch milliseconds (N). */
export type DateFormat = 'iso' | 'epoch' | 'epoch_ms';

/** Constructors accepted by the `type` option. A class other than these is a nested class (M). */
export type AttributeTypeHint = Function;

/** Options shared by every property decorator. */
export interface AttributeOptions {
  /** The attribute name in DynamoDB, when it differs from the property name. */
  name?: string;
  /** The property's type: `String`, `Number`, `BigInt`, `Boolean`, `Date`, `Set`, `Uint8Array`, `Buffer`, `Array`, `Object`, or a nested class. */
  type?: AttributeTypeHint;
  /** How a Date is stored; implies `type: Date`. */
  format?: DateFormat;
  /** Store as a DynamoDB set (SS / NS / BS); an empty set removes the attribute. */
  set?: boolean;
  /** Store as a JSON string (S). */
  json?: boolean;
  /** Do not write '', 0, false, empty arrays or empty maps. */
  omitEmpty?: boolean;
  /** The value for a new item when none is given; a function is called per item. */
  default?: unknown;
  /** Compute this (key) attribute from others, e.g. `'ORG#{orgId}#PROJECT#{projectId}'`. */
  template?: string;
  /** Enforce that no two items share this value (guard items written in a transaction). */
  unique?: boolean;
}

/** Options of `@Index`. */
export interface IndexOptions extends AttributeOptions {
  /** What the index projects: ALL (default), KEYS_ONLY, or a list of extra properties (INCLUDE). */
  projection?: 'ALL' | 'KEYS_ONLY' | string[];
  /**
   * The position (1-based) of this property among several that share one GSI's pk (or sk)
   * role: a multi-attribute key (up to 4 per role, no gaps). Omit it when the role has one property.
   */
  order?: number;
}

/** Options of `@Model`. */
export interface ModelOptions {
  /** The table name, without the connection's `tablePrefix`. */
  table: string;
}

export type IndexRole = 'pk' | 'sk';

export type SpecialRole = 'createdAt' | 'updatedAt' | 'version' | 'ttl';

export type HookEvent =
  | 'beforeValidate'
  | 'beforeCreate'
  | 'beforeUpdate'
  | 'beforeSave'
  | 'afterCreate'
  | 'afterUpdate'
  | 'afterSave'
  | 'beforeDelete'
  | 'afterDelete'
  | 'afterLoad';
