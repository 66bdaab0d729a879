import { ValidationError, type ValidationIssue } from '../errors/validation-error';
import type { DynamoDBRecord } from './stream-types';

/**
 * A stream record that cannot be read as its model: a `ValidationError` that says which
 * record, with what Lambda's `batchItemFailures` needs (`itemIdentifier: sequenceNumber`).
 *
 * @example
 * try { parseStreamEvent(event, [User]); } catch (error) {
 *   if (error instanceof ValidationError && 'sequenceNumber' in error) console.error(error.eventID, error.sequenceNumber);
 *   throw error;
 * }
 */
export interface StreamRecordError extends ValidationError {
  /** The record's `eventID`. */
  readonly eventID: string | undefined;
  /** The record's `dynamodb.SequenceNumber`. */
  readonly sequenceNumber: string | undefined;
}

/** The name of a record in messages: its eventID and sequence number, as far as it has them. */
export function describeRecord(record: DynamoDBRecord | undefined): string {
  const id = typeof record?.eventID === 'string' ? ` ${record.eventID}` : '';
  const sequence = typeof record?.dynamodb?.SequenceNumber === 'string' ? ` (SequenceNumber ${record.dynamodb.SequenceNumber})` : '';
  return `stream record${id}${sequence}`;
}

/** The error for an unreadable record; `message` says what is wrong with it, after the record's name. */
export function recordError(record: DynamoDBRecord | undefined, message: string, issues: ValidationIssue[] = []): StreamRecordError {
  const error = new ValidationError(message, issues) as ValidationError & { eventID?: string; sequenceNumber?: string };
  error.eventID = typeof record?.eventID === 'string' ? record.eventID : undefined;
  error.sequenceNumber = typeof record?.dynamodb?.SequenceNumber === 'string' ? record.dynamodb.SequenceNumber : undefined;
  return error as StreamRecordError;
}
