import { DynamormError, nameErrors, type ErrorContext } from './dynamorm-error';

/** The shape of one class-validator error, kept structural so class-validator stays lazy. */
export interface ValidationIssue {
  property: string;
  value?: unknown;
  constraints?: Record<string, string>;
  children?: ValidationIssue[];
}

/**
 * A value is wrong: a class-validator constraint failed, a number is not representable,
 * a key part is missing or of the wrong type, an item is over 400 KB. Nothing was written.
 * `.errors` holds class-validator's errors (or an equivalent entry for dynamorm's own checks).
 */
export class ValidationError extends DynamormError {
  readonly errors: ValidationIssue[];

  constructor(message: string, errors: ValidationIssue[] = [], context: ErrorContext = {}) {
    super(message, context);
    this.errors = errors;
  }
}

nameErrors({ ValidationError });
