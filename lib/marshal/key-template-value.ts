import { ValidationError } from '../errors/validation-error';
import { escapeTemplateValue, type KeyTemplate } from '../metadata/key-template';
import { encodeDate } from './plain-value';

function componentText(value: unknown, where: string, property: string): string {
  switch (typeof value) {
    case 'string':
      return escapeTemplateValue(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date) return encodeDate(value, `${where} (${property})`);
      throw new ValidationError(`${where}: the key template component '${property}' must be a string, number, bigint, boolean or Date.`, [
        { property, value, constraints: { template: 'not a scalar' } },
      ]);
  }
}

/**
 * Renders a key template from the source properties' values. Returns undefined when a
 * source is missing (null, undefined or ''), so the caller decides: an error for a table
 * key, a sparse (unwritten) attribute for an index key.
 */
export function renderTemplate(template: KeyTemplate, read: (property: string) => unknown, where: string): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const value = read(part.property);
    if (value === undefined || value === null || value === '') return undefined;
    out += componentText(value, where, part.property);
  }
  return out;
}

/** The first source property of the template that is missing (null, undefined or ''), for messages. */
export function missingComponent(template: KeyTemplate, read: (property: string) => unknown): string | undefined {
  return template.properties.find((property) => {
    const value = read(property);
    return value === undefined || value === null || value === '';
  });
}

/**
 * The leading part of a template that the given sources determine, for a `begins_with` key
 * condition: literal text and given components in order, up to and including the literal
 * that follows the last given component (so `open` never matches `opened`). `complete` when
 * every component was given (the whole key); undefined when the first one is missing.
 */
export function renderTemplatePrefix(
  template: KeyTemplate,
  read: (property: string) => unknown,
  where: string,
): { text: string; complete: boolean } | undefined {
  let text = '';
  let given = 0;
  for (const part of template.parts) {
    if ('literal' in part) {
      text += part.literal;
      continue;
    }
    const value = read(part.property);
    if (value === undefined || value === null || value === '') return given === 0 ? undefined : { text, complete: false };
    text += componentText(value, where, part.property);
    given += 1;
  }
  return { text, complete: true };
}
