import type { ModelProperty } from '../record/active-record';

/** The properties of `M` whose values are `T` (undefined and null aside). */
type PropertiesOf<M, T> = { [K in ModelProperty<M>]: [NonNullable<M[K]>] extends [never] ? never : NonNullable<M[K]> extends T ? K : never }[ModelProperty<M>];

/** Properties `increment` / `decrement` take: numbers and bigints. */
export type NumberProperty<M> = PropertiesOf<M, number | bigint>;

/** Properties `add` / `delete` take: Sets. */
export type SetProperty<M> = PropertiesOf<M, ReadonlySet<unknown>>;

/** Properties `append`, `prepend`, `setElement` and `removeElement` take: arrays. */
export type ListProperty<M> = PropertiesOf<M, readonly unknown[]>;

/** A member of the Set property `P`. */
export type SetMember<M, P extends keyof M> = NonNullable<M[P]> extends ReadonlySet<infer T> ? T : never;

/** An element of the list property `P`. */
export type ListElement<M, P extends keyof M> = NonNullable<M[P]> extends ReadonlyArray<infer T> ? T : never;
