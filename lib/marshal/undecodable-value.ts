/**
 * A stored value that cannot be read as its declared type: the read leaves the property
 * undefined and lists it in `decodeErrors()`. Its message
 * follows "<Model>.<property> is ", e.g. "stored as a string (S), which cannot be read as a number".
 */
export class UndecodableValue extends Error {}
