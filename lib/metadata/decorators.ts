import { ModelDefinitionError } from '../errors/dynamorm-error';
import { classTarget, propertyTarget } from './decorator-target';
import { factsOf, propertyFacts, type PropertyFacts } from './facts';
import type { AttributeOptions, IndexOptions, IndexRole, ModelOptions, SpecialRole } from './options';

/** A decorator usable on a property with `experimentalDecorators`. */
export type PropertyDecoratorFn = (target: object, propertyKey: string | symbol) => void;

function mergeOptions(decorator: string, ctor: Function, prop: PropertyFacts, options: AttributeOptions | undefined): void {
  prop.decorators.push(decorator);
  if (!options) return;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'projection') continue;
    const existing = (prop.options as Record<string, unknown>)[key];
    if (existing !== undefined && existing !== value && (key === 'name' || key === 'type' || key === 'format' || key === 'template')) {
      throw new ModelDefinitionError(
        `${ctor.name}.${prop.property}: @${decorator} sets '${key}' to a different value than an earlier decorator on the same property.`,
      );
    }
    (prop.options as Record<string, unknown>)[key] = value;
  }
}

function keyDecorator(decorator: string, role: 'partition' | 'sort', options?: AttributeOptions): PropertyDecoratorFn {
  return (target, key) => {
    const { ctor, property } = propertyTarget(decorator, target, key);
    const prop = propertyFacts(ctor, property);
    mergeOptions(decorator, ctor, prop, options);
    prop.key = role;
    prop.keyCount += 1;
  };
}

function specialDecorator(decorator: string, role: SpecialRole, options?: AttributeOptions): PropertyDecoratorFn {
  return (target, key) => {
    const { ctor, property } = propertyTarget(decorator, target, key);
    const prop = propertyFacts(ctor, property);
    mergeOptions(decorator, ctor, prop, options);
    if (prop.special && prop.special !== role) {
      throw new ModelDefinitionError(`${ctor.name}.${property}: @${decorator} cannot be combined with the decorator for '${prop.special}'.`);
    }
    prop.special = role;
  };
}

/**
 * Declares a model class and its table.
 *
 * @example
 * @Model({ table: 'users' })
 * class User extends BaseModel { @PartitionKey() id!: string; }
 */
export function Model(options: ModelOptions): ClassDecorator {
  return (target: Function, context?: unknown) => {
    const ctor = classTarget('Model', target, context);
    if (!options || typeof options.table !== 'string' || options.table === '') {
      throw new ModelDefinitionError(`@Model on ${ctor.name} needs a table name: @Model({ table: 'users' }).`);
    }
    factsOf(ctor).model = { ...options };
  };
}

/**
 * The table's partition key.
 *
 * @example
 * @PartitionKey() id!: string;
 * @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
 */
export function PartitionKey(options?: AttributeOptions): PropertyDecoratorFn {
  return keyDecorator('PartitionKey', 'partition', options);
}

/**
 * The table's sort key.
 *
 * @example
 * @SortKey({ type: Date }) createdOn!: Date;
 */
export function SortKey(options?: AttributeOptions): PropertyDecoratorFn {
  return keyDecorator('SortKey', 'sort', options);
}

/**
 * A persisted attribute.
 *
 * @example
 * @Attribute({ name: 'nick_name' }) nickname?: string;
 * @Attribute({ set: true }) tags?: Set<string>;
 */
export function Attribute(options?: AttributeOptions): PropertyDecoratorFn {
  return (target, key) => {
    const { ctor, property } = propertyTarget('Attribute', target, key);
    mergeOptions('Attribute', ctor, propertyFacts(ctor, property), options);
  };
}

/**
 * Makes the property a key of a secondary index. An index with a `pk` role is a GSI;
 * one with only an `sk` role is an LSI (which needs a table sort key).
 *
 * @example
 * @Index('gsi-email', 'pk', { unique: true }) email!: string;
 * @Index('gsi-age-status', 'pk') age!: number;
 * @Index('gsi-age-status', 'sk') status!: string;
 */
export function Index(name: string, role: IndexRole, options?: IndexOptions): PropertyDecoratorFn {
  return (target, key) => {
    const { ctor, property } = propertyTarget('Index', target, key);
    if (typeof name !== 'string' || name === '') {
      throw new ModelDefinitionError(`${ctor.name}.${property}: @Index needs an index name.`);
    }
    if (role !== 'pk' && role !== 'sk') {
      throw new ModelDefinitionError(`${ctor.name}.${property}: @Index('${name}', role) takes 'pk' or 'sk', not '${String(role)}'.`);
    }
    const prop = propertyFacts(ctor, property);
    mergeOptions('Index', ctor, prop, options);
    prop.indexes.push({ name, role, options: options ?? {} });
  };
}

/**
 * Set to the time of the first write, once.
 *
 * @example
 * @CreatedAt() createdAt!: Date;
 */
export function CreatedAt(options?: AttributeOptions): PropertyDecoratorFn {
  return specialDecorator('CreatedAt', 'createdAt', options);
}

/**
 * Set to the time of every write.
 *
 * @example
 * @UpdatedAt() updatedAt!: Date;
 */
export function UpdatedAt(options?: AttributeOptions): PropertyDecoratorFn {
  return specialDecorator('UpdatedAt', 'updatedAt', options);
}

/**
 * Optimistic locking: 1 on create, +1 on every write, checked on save and delete.
 *
 * @example
 * @Version() version!: number;
 */
export function Version(options?: AttributeOptions): PropertyDecoratorFn {
  return specialDecorator('Version', 'version', options);
}

/**
 * DynamoDB's time to live: a Date (or epoch seconds with `type: Number`) stored as epoch seconds.
 *
 * @example
 * @TTL() expiresAt?: Date;
 */
export function TTL(options?: AttributeOptions): PropertyDecoratorFn {
  return specialDecorator('TTL', 'ttl', options);
}
