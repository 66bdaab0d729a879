import { ModelDefinitionError } from '../errors/dynamorm-error';

/** A parsed key template such as `ORG#{orgId}#PROJECT#{projectId}`. */
export interface KeyTemplate {
  readonly source: string;
  /** Alternating literal text and property references, in order. */
  readonly parts: ReadonlyArray<{ readonly literal: string } | { readonly property: string }>;
  readonly properties: readonly string[];
}

/** Parses `source`; `{name}` is a property reference, everything else literal text. */
export function parseKeyTemplate(source: string, where: string): KeyTemplate {
  const parts: Array<{ literal: string } | { property: string }> = [];
  const properties: string[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    if (open < 0) {
      parts.push({ literal: rest });
      break;
    }
    if (open > 0) parts.push({ literal: rest.slice(0, open) });
    const close = rest.indexOf('}', open);
    const name = close < 0 ? '' : rest.slice(open + 1, close);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new ModelDefinitionError(`${where}: the key template '${source}' has a malformed reference; write {propertyName}.`);
    }
    parts.push({ property: name });
    properties.push(name);
    rest = rest.slice(close + 1);
  }
  if (properties.length === 0) {
    throw new ModelDefinitionError(`${where}: the key template '${source}' names no property; write e.g. 'USER#{id}'.`);
  }
  return Object.freeze({ source, parts: Object.freeze(parts), properties: Object.freeze(properties) });
}

/** Escapes the template separator so a value containing it parses back unambiguously. */
export function escapeTemplateValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}
