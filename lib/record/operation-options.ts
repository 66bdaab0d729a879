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
