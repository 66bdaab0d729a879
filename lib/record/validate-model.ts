import { ValidationError, type ValidationIssue } from '../errors/validation-error';
import { validatorFor } from '../peers/class-validator';
import type { WriteContext } from './write-context';

function messages(issues: ValidationIssue[], prefix = ''): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    for (const message of Object.values(issue.constraints ?? {})) out.push(prefix ? `${prefix}.${message}` : message);
    if (issue.children?.length) out.push(...messages(issue.children, prefix ? `${prefix}.${issue.property}` : issue.property));
  }
  return out;
}

/**
 * Runs class-validator on the model when its class declares constraints, with the write's
 * connection's `validator` options. Errors on properties dynamorm manages (timestamps,
 * version) are ignored: dynamorm sets them after validation. So are errors on a property left undefined because its stored value could not
 * be read: the save leaves that value as stored, so there is nothing of it to validate.
 */
export async function validateModel({ schema, model, state, conn }: WriteContext): Promise<void> {
  const validator = validatorFor(schema.ctor);
  if (!validator) return;
  const unread = state.decodeIssues?.filter((issue) => (model as Record<string, unknown>)[issue.property] === undefined).map((issue) => issue.property);
  const issues = (await validator.validate(model, { forbidUnknownValues: false, ...conn.config.validator })).filter(
    (issue) => !schema.managedProperties.has(issue.property) && !unread?.includes(issue.property),
  );
  if (issues.length === 0) return;
  throw new ValidationError(`${schema.className} is invalid: ${messages(issues).join('; ')}. Nothing was written.`, issues);
}
