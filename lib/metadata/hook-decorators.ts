import { methodTarget } from './decorator-target';
import { factsOf } from './facts';
import type { HookEvent } from './options';

/** A decorator usable on a method with `experimentalDecorators`. */
export type MethodDecoratorFn = (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor) => void;

function hook(decorator: string, event: HookEvent): () => MethodDecoratorFn {
  return () => (target, key, descriptor) => {
    const { ctor, method } = methodTarget(decorator, target, key, descriptor);
    factsOf(ctor).hooks.push({ event, method });
  };
}

/**
 * Lifecycle hooks: decorate instance methods (sync or async). Several per event run in
 * declaration order, superclass first.
 *
 * @example
 * @BeforeSave() normalise() { this.email = this.email.toLowerCase(); }
 */
export const BeforeValidate = hook('BeforeValidate', 'beforeValidate');
/** Runs before validation's successor step on create. @example @BeforeCreate() stamp() {} */
export const BeforeCreate = hook('BeforeCreate', 'beforeCreate');
/** Runs on updates of a loaded item. @example @BeforeUpdate() touch() {} */
export const BeforeUpdate = hook('BeforeUpdate', 'beforeUpdate');
/** Runs on every save (create or update). @example @BeforeSave() normalise() {} */
export const BeforeSave = hook('BeforeSave', 'beforeSave');
/** Runs after a successful create. @example @AfterCreate() notify() {} */
export const AfterCreate = hook('AfterCreate', 'afterCreate');
/** Runs after a successful update. @example @AfterUpdate() audit() {} */
export const AfterUpdate = hook('AfterUpdate', 'afterUpdate');
/** Runs after every successful save. @example @AfterSave() log() {} */
export const AfterSave = hook('AfterSave', 'afterSave');
/** Runs before a delete is sent. @example @BeforeDelete() guard() {} */
export const BeforeDelete = hook('BeforeDelete', 'beforeDelete');
/** Runs after a successful delete. @example @AfterDelete() cleanup() {} */
export const AfterDelete = hook('AfterDelete', 'afterDelete');
/** Runs after an item is read into a model. @example @AfterLoad() derive() {} */
export const AfterLoad = hook('AfterLoad', 'afterLoad');
