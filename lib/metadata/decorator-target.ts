import { ModelDefinitionError } from '../errors/dynamorm-error';

const HOW_TO_FIX =
  'dynamorm uses TypeScript\'s legacy decorators: set "experimentalDecorators": true in tsconfig.json ' + '(esbuild and tsx read it from there too)';

/**
 * Checks that a property decorator was called the legacy way, `(prototype, key)`, and
 * returns the class and property name. Decorators called the TC39 way receive a context
 * object instead, which we refuse with a message that says which option to set.
 */
export function propertyTarget(decorator: string, target: unknown, key: unknown): { ctor: Function; property: string } {
  if (typeof key === 'object' && key !== null && 'kind' in key) {
    const name = String((key as { name?: unknown }).name ?? '?');
    throw new ModelDefinitionError(`@${decorator} on '${name}' was called as a TC39 decorator. ${HOW_TO_FIX}.`);
  }
  if (typeof key !== 'string' || typeof target !== 'object' || target === null) {
    throw new ModelDefinitionError(`@${decorator} goes on an instance property of a model class (string-named, not static).`);
  }
  return { ctor: (target as { constructor: Function }).constructor, property: key };
}

/** Like propertyTarget, for method decorators (hooks). */
export function methodTarget(decorator: string, target: unknown, key: unknown, descriptor: unknown): { ctor: Function; method: string } {
  if (typeof key === 'object' && key !== null && 'kind' in key) {
    const name = String((key as { name?: unknown }).name ?? '?');
    throw new ModelDefinitionError(`@${decorator} on '${name}' was called as a TC39 decorator. ${HOW_TO_FIX}.`);
  }
  const isMethod = typeof descriptor === 'object' && descriptor !== null && typeof (descriptor as PropertyDescriptor).value === 'function';
  if (typeof key !== 'string' || typeof target !== 'object' || target === null || !isMethod) {
    throw new ModelDefinitionError(`@${decorator} goes on an instance method of a model class.`);
  }
  return { ctor: (target as { constructor: Function }).constructor, method: key };
}

/** Like propertyTarget, for the class decorator. */
export function classTarget(decorator: string, target: unknown, context: unknown): Function {
  if (typeof context === 'object' && context !== null && 'kind' in context) {
    throw new ModelDefinitionError(`@${decorator} was called as a TC39 decorator. ${HOW_TO_FIX}.`);
  }
  if (typeof target !== 'function') throw new ModelDefinitionError(`@${decorator} goes on a class.`);
  return target;
}
