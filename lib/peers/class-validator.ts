// class-validator takes ~100 ms to import, so it is never loaded by dynamorm itself: a class
// can only carry constraints if the application imported class-validator to declare them.
// class-validator keeps its metadata in a global, which tells us whether that happened.

import type { ValidationIssue } from '../errors/validation-error';

interface MetadataStorage {
  getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean): unknown[];
}

interface ClassValidatorApi {
  validate(object: object, options?: object): Promise<ValidationIssue[]>;
  getMetadataStorage(): MetadataStorage;
}

const constrained = new WeakMap<Function, boolean>();

function loaded(): ClassValidatorApi | undefined {
  if (!(globalThis as { classValidatorMetadataStorage?: unknown }).classValidatorMetadataStorage) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('class-validator') as ClassValidatorApi;
}

/** class-validator when `ctor` (or an ancestor) declares constraints; undefined otherwise. */
export function validatorFor(ctor: Function): ClassValidatorApi | undefined {
  const known = constrained.get(ctor);
  if (known === false) return undefined;
  const api = loaded();
  if (!api) return undefined;
  if (known === undefined) {
    const has = api.getMetadataStorage().getTargetValidationMetadatas(ctor, '', true, false).length > 0;
    // Decorators run when the class is defined, so the answer never changes afterwards.
    constrained.set(ctor, has);
    if (!has) return undefined;
  }
  return api;
}
