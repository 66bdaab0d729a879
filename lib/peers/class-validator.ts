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
let api: ClassValidatorApi | undefined;

function loaded(): ClassValidatorApi | undefined {
  if (api) return api;
  if (!(globalThis as { classValidatorMetadataStorage?: unknown }).classValidatorMetadataStorage) return undefined;
  // Kept once required: require() resolves the path again on every call, which a write would pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  api = require('class-validator') as ClassValidatorApi;
  return api;
}

/** class-validator when `ctor` (or an ancestor) declares constraints; undefined otherwise. */
export function validatorFor(ctor: Function): ClassValidatorApi | undefined {
  const known = constrained.get(ctor);
  if (known === false) return undefined;
  const validator = loaded();
  if (!validator) return undefined;
  if (known === undefined) {
    const has = validator.getMetadataStorage().getTargetValidationMetadatas(ctor, '', true, false).length > 0;
    // Decorators run when the class is defined, so the answer never changes afterwards.
    constrained.set(ctor, has);
    if (!has) return undefined;
  }
  return validator;
}
