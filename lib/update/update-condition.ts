import type { Condition } from '../expressions/condition';
import { parseCondition } from '../expressions/parser';
import type { ModelSchema } from '../metadata/model-schema';
import { planOfProperty } from '../marshal/item-codec';
import { encodePlain } from '../marshal/plain-value';

/**
 * The condition of `if(expression, params)`: the string parsed with property names mapped to
 * attribute names, and each param encoded as the property it is compared with stores it (a
 * Date as its ISO text, ...). A syntax error, an unknown property or a missing param is a
 * QueryError; a param of the wrong type a ValidationError.
 *
 * @example
 * compileCondition(updateCondition(schema, 'version = :v AND contains(tags, :t)', { v: 3, t: 'vip' }), p);
 * // '#n1 = :v1 AND contains(#n2, :v2)'
 */
export function updateCondition(schema: ModelSchema, expression: string, params: Readonly<Record<string, unknown>>): Condition {
  return parseCondition(expression, {
    resolveName: (property) => schema.byProperty.get(property)?.attributeName,
    params,
    model: schema.className,
    properties: schema.attributes.map((a) => a.property),
    encode: (property, value, as) => {
      const plan = planOfProperty(schema, property)!;
      const where = `${schema.className}.${property}`;
      // A member of a set or list is encoded as itself, as queries' filters do.
      const kind = plan.attr.kind;
      if (as === 'member' && (kind === 'set' || kind === 'list' || kind === 'unknown')) return encodePlain(value, where);
      return plan.encode(value, where);
    },
  });
}
