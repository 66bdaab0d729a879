/**
 * A stored item, as the DocumentClient takes and returns it.
 *
 * On its own, beneath the codec: the codec builds items, and the helpers it uses (formatKey)
 * read them, so the type sits under both rather than in either.
 */
export type StoredItem = Record<string, unknown>;
