import { ModelDefinitionError } from '../errors/dynamorm-error';
import { ownFacts, type PropertyFacts } from './facts';
import { parseKeyTemplate } from './key-template';
import type { AttributeSchema, IndexProjection, KeySchema, ModelSchema } from './model-schema';
import type { DateFormat, HookEvent, IndexOptions, ModelOptions } from './options';
import { designType, keyTypeOf, resolveKind } from './value-kind';

const HOOK_EVENTS: readonly HookEvent[] = [
  'beforeValidate',
  'beforeCreate',
  'beforeUpdate',
  'beforeSave',
  'afterCreate',
  'afterUpdate',
  'afterSave',
  'beforeDelete',
  'afterDelete',
  'afterLoad',
];

const cache = new WeakMap<Function, ModelSchema>();

/**
 * The frozen schema of a model class, computed on first use and cached.
 * Throws ModelDefinitionError (naming class and property) when the declaration is wrong.
 */
export function resolveModel(ctor: Function): ModelSchema {
  return cache.get(ctor) ?? build(ctor);
}

/** Ancestors first, ending with ctor itself; stops at the first class without any facts above. */
function lineage(ctor: Function): Function[] {
  const chain: Function[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    chain.unshift(c);
  }
  return chain;
}

interface MergedProperty {
  facts: PropertyFacts;
  declaredOn: Function;
}

function build(ctor: Function): ModelSchema {
  const chain = lineage(ctor);
  let model: ModelOptions | undefined;
  const properties = new Map<string, MergedProperty>();
  const hooks = Object.fromEntries(HOOK_EVENTS.map((e) => [e, [] as string[]])) as Record<HookEvent, string[]>;
  for (const c of chain) {
    const facts = ownFacts(c);
    if (!facts) continue;
    if (facts.model) model = facts.model;
    for (const [name, prop] of facts.properties) properties.set(name, { facts: prop, declaredOn: c });
    for (const { event, method } of facts.hooks) if (!hooks[event].includes(method)) hooks[event].push(method);
  }
  const className = ctor.name || 'AnonymousModel';
  if (!model) throw new ModelDefinitionError(`${className} has no @Model({ table }) decorator.`);

  const attributes: AttributeSchema[] = [];
  for (const { facts, declaredOn } of properties.values()) attributes.push(resolveAttribute(className, facts, declaredOn));
  const schema = assemble(ctor, className, model.table, attributes, properties, hooks);
  cache.set(ctor, schema);
  return schema;
}

function resolveAttribute(className: string, facts: PropertyFacts, declaredOn: Function): AttributeSchema {
  const where = `${className}.${facts.property}`;
  const options = facts.options;
  if (facts.keyCount > 1) throw new ModelDefinitionError(`${where} has more than one key decorator.`);
  const resolved = resolveKind(options, designType(declaredOn.prototype as object, facts.property));
  let kind = resolved.kind;
  const nestedClass = resolved.nestedClass;
  // TTL is always epoch seconds: that is the only form DynamoDB's TTL sweeper reads.
  const dateFormat: DateFormat = facts.special === 'ttl' ? 'epoch' : (options.format ?? 'iso');
  if (options.format !== undefined && !['iso', 'epoch', 'epoch_ms'].includes(options.format)) {
    throw new ModelDefinitionError(`${where}: format must be 'iso', 'epoch' or 'epoch_ms', not '${options.format}'.`);
  }
  switch (facts.special) {
    case 'ttl':
      if (kind === 'string') throw new ModelDefinitionError(`${where}: @TTL must be a Date or epoch seconds (type: Number), not a string.`);
      if (kind !== 'number') {
        if (kind !== 'unknown' && kind !== 'date') throw new ModelDefinitionError(`${where}: @TTL must be a Date or epoch seconds (type: Number).`);
        kind = 'date';
      }
      break;
    case 'version':
      if (kind !== 'unknown' && kind !== 'number') throw new ModelDefinitionError(`${where}: @Version must be a number.`);
      kind = 'number';
      break;
    case 'createdAt':
    case 'updatedAt':
      if (kind !== 'unknown' && kind !== 'date')
        throw new ModelDefinitionError(`${where}: @${facts.special === 'createdAt' ? 'CreatedAt' : 'UpdatedAt'} must be a Date.`);
      kind = 'date';
      break;
  }
  const isKey = facts.key !== undefined || facts.indexes.length > 0;
  if (isKey && kind === 'unknown') kind = 'string';
  const keyType = isKey ? keyTypeOf(kind, dateFormat) : undefined;
  if (isKey && !keyType) {
    throw new ModelDefinitionError(
      `${where} is a key attribute but its type (${kind}) cannot be a DynamoDB key; use a string, number, bigint, binary or Date.`,
    );
  }
  const template = options.template === undefined ? undefined : parseKeyTemplate(options.template, where);
  if (template && kind !== 'string') throw new ModelDefinitionError(`${where}: a key template computes a string; the property must be a string.`);
  const unique = options.unique === true || facts.indexes.some((i) => i.options.unique === true);
  const attributeName = options.name ?? facts.property;
  if (typeof attributeName !== 'string' || attributeName === '') throw new ModelDefinitionError(`${where}: the attribute name must be a non-empty string.`);
  return Object.freeze({
    property: facts.property,
    attributeName,
    kind: kind,
    dateFormat,
    nestedClass,
    omitEmpty: options.omitEmpty === true,
    hasDefault: 'default' in options && options.default !== undefined,
    defaultValue: options.default,
    template,
    tableKey: facts.key,
    special: facts.special,
    unique,
    keyType,
    indexKey: facts.indexes.length > 0,
  });
}

function assemble(
  ctor: Function,
  className: string,
  table: string,
  attributes: AttributeSchema[],
  properties: Map<string, MergedProperty>,
  hooks: Record<HookEvent, string[]>,
): ModelSchema {
  const byProperty = new Map(attributes.map((a) => [a.property, a]));
  const byAttributeName = new Map<string, AttributeSchema>();
  for (const a of attributes) {
    const clash = byAttributeName.get(a.attributeName);
    if (clash) throw new ModelDefinitionError(`${className}.${a.property} and ${className}.${clash.property} are both stored as '${a.attributeName}'.`);
    byAttributeName.set(a.attributeName, a);
  }
  const single = (what: string, list: AttributeSchema[]): AttributeSchema | undefined => {
    if (list.length > 1) throw new ModelDefinitionError(`${className} has two ${what}: ${list.map((a) => a.property).join(' and ')}.`);
    return list[0];
  };
  const partitionKey = single(
    'partition keys',
    attributes.filter((a) => a.tableKey === 'partition'),
  );
  if (!partitionKey) throw new ModelDefinitionError(`${className} has no partition key: add @PartitionKey() to one property.`);
  const sortKey = single(
    'sort keys',
    attributes.filter((a) => a.tableKey === 'sort'),
  );
  const special = (role: string, label: string) =>
    single(
      `@${label} properties`,
      attributes.filter((a) => a.special === role),
    );
  const createdAt = special('createdAt', 'CreatedAt');
  const updatedAt = special('updatedAt', 'UpdatedAt');
  const version = special('version', 'Version');
  const ttl = special('ttl', 'TTL');
  for (const a of [createdAt, updatedAt, version, ttl]) {
    // An index key may be managed (active users newest first: a GSI sorted by @CreatedAt); a
    // table key may not, since dynamorm rewrites it and a key cannot change.
    if (a?.tableKey) throw new ModelDefinitionError(`${className}.${a.property} cannot be both a table key and a managed (@${a.special}) attribute.`);
  }

  const tableKey: KeySchema = Object.freeze({
    type: 'TABLE',
    partitionKey,
    sortKey,
    partitionKeys: Object.freeze([partitionKey]),
    sortKeys: Object.freeze(sortKey ? [sortKey] : []),
    projection: 'ALL',
  });
  const indexes = resolveIndexes(className, tableKey, properties, byProperty);

  for (const a of attributes) {
    for (const source of a.template?.properties ?? []) {
      const src = byProperty.get(source);
      if (!src)
        throw new ModelDefinitionError(
          `${className}.${a.property}: the key template '${a.template!.source}' names '${source}', which is not a persisted property of ${className}.`,
        );
      if (src.template) throw new ModelDefinitionError(`${className}.${a.property}: the key template names '${source}', which is itself templated.`);
    }
  }
  const uniques = attributes.filter((a) => a.unique);
  if (uniques.length > 0 && partitionKey.keyType !== 'S') {
    throw new ModelDefinitionError(
      `${className}.${uniques[0].property} is unique, which needs a string partition key (guard items share the table); ${partitionKey.property} is not a string.`,
    );
  }
  if (uniques.length > 0 && sortKey && sortKey.keyType !== 'S') {
    // Guard items repeat their key in the sort key, so it must hold a string too.
    throw new ModelDefinitionError(
      `${className}.${uniques[0].property} is unique, which needs a string sort key (guard items share the table); ${sortKey.property} is not a string.`,
    );
  }
  for (const u of uniques) {
    if (u.tableKey) throw new ModelDefinitionError(`${className}.${u.property}: a table key is unique already; remove { unique: true }.`);
  }
  const managedProperties = new Set([createdAt, updatedAt, version].filter((a): a is AttributeSchema => !!a).map((a) => a.property));
  return Object.freeze({
    ctor,
    className,
    table,
    attributes: Object.freeze(attributes),
    byProperty,
    byAttributeName,
    tableKey,
    indexes,
    createdAt,
    updatedAt,
    version,
    ttl,
    uniques: Object.freeze(uniques),
    templated: Object.freeze(attributes.filter((a) => a.template)),
    defaulted: Object.freeze(attributes.filter((a) => a.hasDefault)),
    hooks: Object.freeze(hooks),
    managedProperties,
  });
}

function resolveIndexes(
  className: string,
  tableKey: KeySchema,
  properties: Map<string, MergedProperty>,
  byProperty: Map<string, AttributeSchema>,
): readonly KeySchema[] {
  type Role = Array<{ attr: AttributeSchema; order?: number }>;
  const roles = new Map<string, { pk: Role; sk: Role; options: IndexOptions[] }>();
  for (const { facts } of properties.values()) {
    for (const index of facts.indexes) {
      const entry = roles.get(index.name) ?? { pk: [], sk: [], options: [] };
      entry[index.role].push({ attr: byProperty.get(facts.property)!, order: index.options.order });
      entry.options.push(index.options);
      roles.set(index.name, entry);
    }
  }
  const indexes: KeySchema[] = [];
  for (const [name, { pk, sk, options }] of [...roles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const projection = resolveProjection(className, name, options, byProperty);
    if (pk.length === 0) {
      if (!tableKey.sortKey) {
        throw new ModelDefinitionError(
          `${className}.${sk[0].attr.property}: index '${name}' has only a sort key, which makes it a local secondary index; that needs a table sort key (@SortKey).`,
        );
      }
      if (sk.length > 1 || sk[0].order !== undefined) {
        throw new ModelDefinitionError(
          `${className}: index '${name}' is local (no pk): its sort key is one property without order, not ${sk.map((e) => e.attr.property).join(', ')}.`,
        );
      }
      const sortKeys = Object.freeze([sk[0].attr]);
      indexes.push(
        Object.freeze({
          name,
          type: 'LSI',
          partitionKey: tableKey.partitionKey,
          sortKey: sk[0].attr,
          partitionKeys: tableKey.partitionKeys,
          sortKeys,
          projection,
        }),
      );
    } else {
      const partitionKeys = orderedRole(className, name, 'partition', pk);
      const sortKeys = orderedRole(className, name, 'sort', sk);
      indexes.push(Object.freeze({ name, type: 'GSI', partitionKey: partitionKeys[0], sortKey: sortKeys[0], partitionKeys, sortKeys, projection }));
    }
  }
  return Object.freeze(indexes);
}

/**
 * The attributes of one role of a GSI key in key order: one property without
 * `order`, or 2 to 4, with the orders 1..n (no gap, no repeat).
 */
function orderedRole(
  className: string,
  index: string,
  role: 'partition' | 'sort',
  entries: ReadonlyArray<{ attr: AttributeSchema; order?: number }>,
): readonly AttributeSchema[] {
  if (entries.length === 1 && entries[0].order === undefined) return Object.freeze([entries[0].attr]);
  const sorted = [...entries].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  if (entries.length > 4 || sorted.some((e, i) => e.order !== i + 1)) {
    throw new ModelDefinitionError(
      `${className}: index '${index}' has ${entries.length} ${role} keys (${sorted.map((e) => `${e.attr.property}: order ${e.order ?? 'missing'}`).join(', ')}); ` +
        `a multi-attribute key takes 2 to 4, with the orders 1..n, no gap, no repeat.`,
    );
  }
  return Object.freeze(sorted.map((e) => e.attr));
}

function resolveProjection(className: string, index: string, options: IndexOptions[], byProperty: Map<string, AttributeSchema>): IndexProjection {
  const given = options.map((o) => o.projection).filter((p) => p !== undefined);
  if (given.length === 0) return 'ALL';
  const first = given[0];
  if (given.some((p) => JSON.stringify(p) !== JSON.stringify(first))) {
    throw new ModelDefinitionError(`${className}: index '${index}' is given two different projections.`);
  }
  if (first === 'ALL' || first === 'KEYS_ONLY') return first;
  if (!Array.isArray(first)) throw new ModelDefinitionError(`${className}: index '${index}' projection must be 'ALL', 'KEYS_ONLY' or a list of properties.`);
  return Object.freeze(
    first.map((property) => {
      const attr = byProperty.get(property);
      if (!attr) throw new ModelDefinitionError(`${className}: index '${index}' projects '${property}', which is not a persisted property.`);
      return attr.attributeName;
    }),
  );
}
