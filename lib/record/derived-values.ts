import { ModelDefinitionError } from '../errors/dynamorm-error';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import { renderTemplate } from '../marshal/key-template-value';
import type { WriteContext } from './write-context';

/** Fills properties that are undefined with their `default` (a function is called per item). */
export function applyDefaults(schema: ModelSchema, model: object): void {
  const target = model as Record<string, unknown>;
  for (const attr of schema.defaulted) {
    if (target[attr.property] !== undefined) continue;
    const value = attr.defaultValue;
    // Objects are copied so that two items never share one default array or map.
    target[attr.property] =
      typeof value === 'function' ? (value as () => unknown)() : typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }
}

/** Computes templated (composite key) properties from their sources. */
export function applyTemplates(schema: ModelSchema, model: object): void {
  const target = model as Record<string, unknown>;
  for (const attr of schema.templated) {
    const value = renderTemplate(attr.template!, (p) => target[p], `${schema.className}.${attr.property}`);
    if (value !== undefined) target[attr.property] = value;
  }
}

/**
 * With `useDefineForClassFields` (the default for modern targets), subclass fields are
 * re-initialised after BaseModel's constructor, so `new User({...})` loses its arguments.
 * We notice at the first write rather than write an item with missing attributes.
 */
export function checkConstructorAttributes({ schema, model, state }: WriteContext): void {
  const given = state.constructorAttrs;
  if (!given) return;
  state.constructorAttrs = undefined;
  const target = model as Record<string, unknown>;
  const lost = Object.keys(given).filter((k) => given[k] !== undefined && target[k] === undefined);
  if (lost.length > 0) {
    throw new ModelDefinitionError(
      `${schema.className}: class field initialisation (useDefineForClassFields) reset ${lost.join(', ')}, given to new ${schema.className}({...}). ` +
        `Use ${schema.className}.build({...}), or set "useDefineForClassFields": false.`,
    );
  }
}

/**
 * Rejects properties that are neither persisted attributes nor data fields of the class
 * (own properties of a fresh instance); methods and accessors are never assignable.
 */
export function checkKnownProperties(schema: ModelSchema, model: object, attrs: object, action: string): void {
  for (const key of Object.keys(attrs)) {
    if (schema.byProperty.has(key)) continue;
    if (Object.prototype.hasOwnProperty.call(model, key) && typeof (model as Record<string, unknown>)[key] !== 'function') continue;
    throw new ValidationError(
      `${schema.className}.${action}: '${key}' is not a property of ${schema.className} (known: ${[...schema.byProperty.keys()].join(', ')}).`,
      [{ property: key, value: (attrs as Record<string, unknown>)[key], constraints: { unknownProperty: `${key} is not a property of ${schema.className}` } }],
    );
  }
}
