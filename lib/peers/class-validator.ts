// class-validator takes ~100 ms to import, so dynamorm never loads it for a model without
// constraints: a class can only carry constraints if the application imported
// class-validator to declare them, and class-validator keeps their metadata in a global
// storage that every copy of it shares, which tells us whether that happened.

import { DynamormError } from '../errors/dynamorm-error';
import type { ValidationIssue } from '../errors/validation-error';
import { processState } from '../process-state';
import { loadPeer } from './load-peer';

interface MetadataStorage {
  getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean): unknown[];
}

/** What dynamorm uses of class-validator. */
export interface ClassValidatorApi {
  validate(object: object, options?: object): Promise<ValidationIssue[]>;
}

const constrained = new WeakMap<Function, boolean>();

/**
 * Registers the application's class-validator: what `import 'dynamorm/class-validator'`
 * does. Unbundled Node apps need not: dynamorm finds an installed class-validator itself.
 */
export function useClassValidator(api: ClassValidatorApi): void {
  processState.integrations.classValidator = api;
}

let notInstalled = false;

// Looked up once: require() resolves the path again on every call, which every write would pay.
function classValidator(): ClassValidatorApi | undefined {
  const { integrations } = processState;
  if (integrations.classValidator || notInstalled) return integrations.classValidator as ClassValidatorApi | undefined;
  const found = loadPeer<ClassValidatorApi>('class-validator');
  if (found) useClassValidator(found);
  else notInstalled = true;
  return found;
}

/**
 * class-validator when `ctor` (or an ancestor) declares constraints; undefined otherwise.
 * Constraints dynamorm cannot check are an error at the first write, never skipped.
 */
export function validatorFor(ctor: Function): ClassValidatorApi | undefined {
  const known = constrained.get(ctor);
  if (known === false) return undefined;
  if (known === undefined) {
    const storage = (globalThis as { classValidatorMetadataStorage?: MetadataStorage }).classValidatorMetadataStorage;
    // Decorators run when the class is defined, so the answer never changes afterwards.
    const has = storage !== undefined && storage.getTargetValidationMetadatas(ctor, '', true, false).length > 0;
    constrained.set(ctor, has);
    if (!has) return undefined;
  }
  const api = classValidator();
  if (!api) {
    throw new DynamormError(
      `${ctor.name || 'This model'} declares class-validator constraints, but dynamorm cannot reach class-validator to check them, ` +
        "so nothing was written. Add `import 'dynamorm/class-validator';` once in your app (needed when it is bundled).",
    );
  }
  return api;
}
