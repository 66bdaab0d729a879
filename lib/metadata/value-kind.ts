import type { AttributeOptions } from './options';
import type { KeyAttributeType, ValueKind } from './model-schema';

const BY_CONSTRUCTOR = new Map<Function, ValueKind>([
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
]);

interface ReflectWithMetadata {
  getMetadata?: (key: string, target: object, property: string) => unknown;
}

/** `design:type` when the compiler emitted it and reflect-metadata is loaded; never required. */
export function designType(prototype: object, property: string): Function | undefined {
  const reflect = Reflect as unknown as ReflectWithMetadata;
  if (typeof reflect.getMetadata !== 'function') return undefined;
  const type = reflect.getMetadata('design:type', prototype, property);
  return typeof type === 'function' ? type : undefined;
}

/** The kind a constructor stands for; any other class is a nested class. */
export function kindOfConstructor(type: Function): ValueKind {
  return BY_CONSTRUCTOR.get(type) ?? 'class';
}

/**
 * Decides how a property is stored: options first (`format`, `set`, `json`, `type`), then
 * `design:type`, else 'unknown' (converted from the stored value's own type on read).
 */
export function resolveKind(options: AttributeOptions, reflected: Function | undefined): { kind: ValueKind; nestedClass?: Function } {
  const type = options.type ?? reflected;
  if (options.format !== undefined) return { kind: 'date' };
  if (options.json) return { kind: 'json', nestedClass: type && kindOfConstructor(type) === 'class' ? type : undefined };
  if (options.set) return { kind: 'set' };
  if (!type) return { kind: 'unknown' };
  const kind = kindOfConstructor(type);
  return kind === 'class' ? { kind, nestedClass: type } : { kind };
}

/** The DynamoDB key type of a key attribute of the given kind, or undefined if it cannot be a key. */
export function keyTypeOf(kind: ValueKind, dateFormat: string): KeyAttributeType | undefined {
  switch (kind) {
    case 'string':
    case 'unknown':
      return 'S';
    case 'number':
    case 'bigint':
      return 'N';
    case 'binary':
    case 'buffer':
      return 'B';
    case 'date':
      return dateFormat === 'iso' ? 'S' : 'N';
    default:
      return undefined;
  }
}
