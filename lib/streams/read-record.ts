import type { ModelSchema } from '../metadata/model-schema';
import { assignFromItem, planOf, type DecodeIssue } from '../marshal/item-codec';
import type { StoredItem } from '../marshal/stored-item';
import { formatKey, keyOfItem } from '../marshal/key-codec';
import { sameValue } from '../record/dirty-tracking';
import { buildModel, isGuardKey, missingKeyPart } from './build-model';
import { imageToItem, UnreadableImage } from './image-to-item';
import { describeRecord, recordError, type StreamRecordError } from './record-error';
import type { DynamoDBRecord, StreamImage } from './stream-types';
import { tableOfArn } from './table-of-arn';

/** A record read as a change of its model, its instances' @AfterLoad hooks not run yet. */
export interface ReadChange {
  schema: ModelSchema;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  newItem?: object;
  oldItem?: object;
  changed: string[];
  expired: boolean;
  record: DynamoDBRecord;
}

/** What one record is: a change, another table's or a guard's (skipped), or unreadable. */
export type RecordOutcome = { kind: 'change'; change: ReadChange } | { kind: 'skipped' } | { kind: 'invalid'; error: StreamRecordError };

const EVENT_NAMES = new Set(['INSERT', 'MODIFY', 'REMOVE']);

/** Thrown inside readRecord for an unreadable record; turned into its outcome at the top. */
class Unreadable extends Error {
  constructor(
    message: string,
    readonly issues: DecodeIssue[] = [],
  ) {
    super(message);
  }
}

function itemOf(image: StreamImage, which: string): StoredItem {
  if (typeof image !== 'object' || image === null || Array.isArray(image)) throw new Unreadable(`its ${which} is not an AttributeValue map`);
  try {
    return imageToItem(image);
  } catch (error) {
    if (error instanceof UnreadableImage) throw new Unreadable(`its ${which} cannot be read: ${error.message}`);
    throw error;
  }
}

function decodeFailure(schema: ModelSchema, which: string, issues: DecodeIssue[]): Unreadable {
  return new Unreadable(`its ${which} cannot be read as a ${schema.className}: ${issues.map((issue) => issue.message).join('; ')}`, issues);
}

function readImage(schema: ModelSchema, image: StreamImage, which: 'NewImage' | 'OldImage'): object {
  const item = itemOf(image, which);
  const missing = missingKeyPart(schema, item);
  if (missing) throw new Unreadable(`its ${which} is not a ${schema.className}: ${missing}`);
  const { model, issues } = buildModel(schema, item);
  if (issues) throw decodeFailure(schema, which, issues);
  return model;
}

/** Property names whose values differ between the two instances, as dirty tracking compares them. */
function changedProperties(schema: ModelSchema, before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changed: string[] = [];
  for (const { attr } of planOf(schema)) if (!sameValue(a[attr.property], b[attr.property])) changed.push(attr.property);
  return changed;
}

function isTtlDeletion(record: DynamoDBRecord): boolean {
  const identity = record.userIdentity as { type?: unknown; principalId?: unknown } | null | undefined;
  return record.eventName === 'REMOVE' && identity?.type === 'Service' && identity.principalId === 'dynamodb.amazonaws.com';
}

function readChange(schema: ModelSchema, record: DynamoDBRecord): ReadChange | undefined {
  if (!EVENT_NAMES.has(record.eventName as string)) throw new Unreadable(`its eventName ${JSON.stringify(record.eventName)} is not INSERT, MODIFY or REMOVE`);
  const data = record.dynamodb;
  if (typeof data !== 'object' || data === null) throw new Unreadable('it has no dynamodb data');
  // The key decides what the record is, whatever the stream's view type: KEYS_ONLY records
  // and one-image records route (and skip guards) exactly as two-image ones.
  const keySource = data.Keys ?? data.NewImage ?? data.OldImage;
  if (keySource === undefined) throw new Unreadable('it has no Keys and no image');
  const keys = itemOf(keySource, data.Keys ? 'Keys' : data.NewImage ? 'NewImage' : 'OldImage');
  if (isGuardKey(schema, keys)) return undefined;
  const missing = missingKeyPart(schema, keys);
  if (missing) throw new Unreadable(`its key is not a ${schema.className} key: ${missing}`);
  const keyIssues = assignFromItem(schema, keyOfItem(keys, schema.tableKey), {});
  if (keyIssues) throw decodeFailure(schema, 'key', keyIssues);

  const newItem = data.NewImage === undefined ? undefined : readImage(schema, data.NewImage, 'NewImage');
  const oldItem = data.OldImage === undefined ? undefined : readImage(schema, data.OldImage, 'OldImage');
  return {
    schema,
    eventName: record.eventName!,
    newItem,
    oldItem,
    changed: newItem && oldItem ? changedProperties(schema, oldItem, newItem) : [],
    expired: isTtlDeletion(record),
    record,
  };
}

/**
 * Reads one stream record against the models of an event, keyed by their full table names
 * (prefix included). Never throws for a bad record: an unreadable one is an `invalid` outcome
 * whose error names the record (eventID, SequenceNumber), the model, the key and what is wrong.
 */
export function readRecord(record: DynamoDBRecord, routes: ReadonlyMap<string, ModelSchema>): RecordOutcome {
  if (typeof record !== 'object' || record === null) {
    return { kind: 'invalid', error: recordError(undefined, `Invalid ${describeRecord(undefined)}: it is not an object but ${String(record)}.`) };
  }
  const table = tableOfArn(record.eventSourceARN);
  if (table === undefined) {
    const arn = JSON.stringify(record.eventSourceARN);
    return {
      kind: 'invalid',
      error: recordError(
        record,
        `Invalid ${describeRecord(record)}: it cannot be routed, its eventSourceARN ${arn} is not a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>).`,
      ),
    };
  }
  const schema = routes.get(table);
  if (!schema) return { kind: 'skipped' };
  try {
    const change = readChange(schema, record);
    return change ? { kind: 'change', change } : { kind: 'skipped' };
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    const keys = record.dynamodb?.Keys;
    let where = '';
    try {
      if (keys) where = ` ${formatKey(keyOfItem(imageToItem(keys), schema.tableKey))}`;
    } catch {
      // The key itself is unreadable: the message says so already.
    }
    const issues = error.issues.map((issue) => ({ property: issue.property, value: issue.raw, constraints: { decode: issue.message } }));
    return {
      kind: 'invalid',
      error: recordError(record, `Invalid ${describeRecord(record)} of table ${table} (${schema.className}${where}): ${error.message}.`, issues),
    };
  }
}
