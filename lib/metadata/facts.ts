import { processState } from '../process-state';
import type { AttributeOptions, HookEvent, IndexOptions, IndexRole, ModelOptions, SpecialRole } from './options';

/** What the decorators on one property said, before resolution. */
export interface PropertyFacts {
  property: string;
  options: AttributeOptions;
  key?: 'partition' | 'sort';
  keyCount: number;
  special?: SpecialRole;
  indexes: Array<{ name: string; role: IndexRole; options: IndexOptions }>;
  /** Which decorators were used, for error messages. */
  decorators: string[];
}

/** What the decorators on one class (not its ancestors) said. */
export interface ClassFacts {
  model?: ModelOptions;
  properties: Map<string, PropertyFacts>;
  hooks: Array<{ event: HookEvent; method: string }>;
}

// Facts are recorded against the constructor that declared them; inheritance is resolved
// later by walking the prototype chain, so a subclass never mutates its parent's facts.
// Process-wide: decorators imported from one build of dynamorm serve models used through another.
const store = processState.facts as WeakMap<Function, ClassFacts>;

/** The facts recorded directly on `ctor` (created empty on first use). */
export function factsOf(ctor: Function): ClassFacts {
  let facts = store.get(ctor);
  if (!facts) {
    facts = { properties: new Map(), hooks: [] };
    store.set(ctor, facts);
  }
  return facts;
}

/** The facts recorded directly on `ctor`, or undefined when it has no decorators. */
export function ownFacts(ctor: Function): ClassFacts | undefined {
  return store.get(ctor);
}

/** The facts of one property of `ctor` (created on first use). */
export function propertyFacts(ctor: Function, property: string): PropertyFacts {
  const facts = factsOf(ctor);
  let prop = facts.properties.get(property);
  if (!prop) {
    prop = { property, options: {}, keyCount: 0, indexes: [], decorators: [] };
    facts.properties.set(property, prop);
  }
  return prop;
}
