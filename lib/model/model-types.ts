import type { BaseModel } from './base-model';

/** A model class whose instances are `M`. Static methods are typed through it. */
export interface ModelClass<M extends BaseModel> {
  new (...args: never[]): M;
  readonly prototype: M;
}

type DataKeys<M> = {
  [K in keyof M]-?: K extends keyof BaseModel ? never : M[K] extends (...args: never[]) => unknown ? never : K;
}[keyof M];

/** The data properties of a model (methods and BaseModel members left out). */
export type ModelAttributes<M> = Pick<M, DataKeys<M>>;

/** Attributes accepted by `build`, `create` and `update`. */
export type ModelInput<M> = Partial<ModelAttributes<M>>;

/** The name of a data property of the model. */
export type ModelProperty<M> = DataKeys<M> & string;

/** A key: the partition key value alone, or an object of key properties (or template sources). */
export type ModelKey<M> = string | number | bigint | Uint8Array | Date | ModelInput<M>;

/** Options of `save()` / `create()`. */
export interface SaveOptions {
  /** Skip class-validator (default true: validate). */
  validate?: boolean;
}

/** Options of `find()` / `get()`. */
export interface ReadOptions {
  /** Strongly consistent read. */
  consistent?: boolean;
  /** Include items whose @TTL time has passed but that DynamoDB has not deleted yet. */
  withExpired?: boolean;
  abortSignal?: AbortSignal;
}
