import { getConnection } from '../connection/connection-context';
import { DynamormError } from '../errors/dynamorm-error';
import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import { schemaOf } from '../metadata/registry';
import type { ActiveRecord } from '../record/active-record';
import type { ModelClass } from '../record/active-record';
import { runLoadHooksNow } from './build-model';
import { readRecord, type ReadChange } from './read-record';
import { recordError, type StreamRecordError } from './record-error';
import type { DynamoDBRecord, DynamoDBStreamEvent } from './stream-types';

/**
 * One record of a stream event, read as a change of model `M`. `parseStreamEvent(event, [User,
 * Order])` returns `StreamChange<User> | StreamChange<Order>`: narrow with `instanceof`.
 *
 * @example
 * if (change.newItem instanceof User && change.changed.includes('email')) notify(change.newItem.email);
 */
export interface StreamChange<M extends ActiveRecord = ActiveRecord> {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The class the record belongs to (by its table). */
  model: ModelClass<M>;
  /** The item after the write (undefined when the stream's view type has no new image, and on REMOVE). */
  newItem: M | undefined;
  /** The item before the write (undefined when the stream's view type has no old image, and on INSERT). */
  oldItem: M | undefined;
  /**
   * Property names whose values differ between the two images (only when both exist; else []).
   * Plain strings, so `changed.includes('email')` compiles on a change of any of the models.
   */
  changed: string[];
  /** True for a REMOVE made by DynamoDB's TTL. */
  expired: boolean;
  /** The record as Lambda delivered it. */
  record: DynamoDBRecord;
}

/** The change type of one model class: `StreamChange<User>` for `typeof User`, distributed over a union. */
export type StreamChangeOf<C> = C extends ModelClass<infer M> ? StreamChange<M> : never;

/**
 * What `parseStreamEvent` does with a record it cannot read as its model. By default (`'throw'`)
 * it checks the whole batch first and throws the first such record's error; with `'skip'` it
 * passes each to `onInvalid` and leaves it out of the result.
 *
 * @example
 * parseStreamEvent(event, [User], {
 *   onError: 'skip',
 *   onInvalid: (record, error) => batchItemFailures.push({ itemIdentifier: error.sequenceNumber ?? '' }),
 * });
 */
export type ParseStreamOptions =
  { onError?: 'throw'; onInvalid?: undefined } | { onError: 'skip'; onInvalid: (record: DynamoDBRecord, error: StreamRecordError) => void };

/** Full table name (prefix included) to the model stored there. */
function routesOf(models: readonly Function[]): Map<string, ModelSchema> {
  // Checked as unknown (callers may be untyped JS): Array.isArray on the typed array would narrow it to any[].
  const given: unknown = models;
  if (!Array.isArray(given) || models.length === 0) {
    throw new DynamormError(
      'parseStreamEvent(event, models): give the model classes whose tables the stream comes from, e.g. parseStreamEvent(event, [User, Order]).',
    );
  }
  const conn = getConnection();
  const routes = new Map<string, ModelSchema>();
  for (const model of models) {
    const schema = schemaOf(model);
    const table = conn.tableName(schema.table);
    const known = routes.get(table);
    if (known && known !== schema) {
      throw new DynamormError(
        `parseStreamEvent: ${known.className} and ${schema.className} are both stored in table ${table}, so its records cannot be told apart; give one of them.`,
      );
    }
    routes.set(table, schema);
  }
  return routes;
}

function checkOptions(options: ParseStreamOptions): void {
  const { onError = 'throw', onInvalid } = options as { onError?: unknown; onInvalid?: unknown };
  if (onError !== 'throw' && onError !== 'skip') {
    throw new DynamormError(`parseStreamEvent: onError is 'throw' or 'skip', not ${JSON.stringify(onError)}.`);
  }
  if (onError === 'skip' && typeof onInvalid !== 'function') {
    throw new DynamormError(
      `parseStreamEvent: { onError: 'skip' } needs an onInvalid(record, error) callback, so that no record is dropped unseen (report it in batchItemFailures).`,
    );
  }
}

function finish(change: ReadChange): StreamChange {
  for (const model of [change.oldItem, change.newItem]) if (model) runLoadHooksNow(change.schema, model, 'parseStreamEvent');
  return {
    eventName: change.eventName,
    model: change.schema.ctor as ModelClass<ActiveRecord>,
    newItem: change.newItem as ActiveRecord | undefined,
    oldItem: change.oldItem as ActiveRecord | undefined,
    changed: change.changed,
    expired: change.expired,
    record: change.record,
  };
}

/**
 * The records of a DynamoDB Streams event as typed changes of the given models.
 * A record belongs to the model whose table (with the connection's `tablePrefix`) its
 * `eventSourceARN` names; records of other tables and of unique guards are skipped. Images
 * are decoded as reads decode items (base64 binary at every depth, numbers by declared type,
 * @AfterLoad hooks run, expired-TTL items included). A record that cannot be read as its
 * model (an undecodable value, a missing key) is never dropped silently: the whole batch is
 * checked before any hook runs, and the first such record is thrown as a `ValidationError`
 * with `.eventID` and `.sequenceNumber`; with `{ onError: 'skip', onInvalid }` each goes to
 * `onInvalid(record, error)` instead and the rest are returned.
 *
 * @example
 * export const handler = async (event: DynamoDBStreamEvent) => {
 *   for (const change of parseStreamEvent(event, [User, Order])) {
 *     if (change.newItem instanceof User && change.changed.includes('email')) await confirmEmail(change.newItem);
 *   }
 * };
 */
export function parseStreamEvent<C extends ModelClass<ActiveRecord>>(
  event: DynamoDBStreamEvent,
  models: readonly C[],
  options: ParseStreamOptions = {},
): Array<StreamChangeOf<C>> {
  checkOptions(options);
  const routes = routesOf(models);
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records)) {
    throw new ValidationError('parseStreamEvent: the event has no Records array; pass the event a DynamoDB stream trigger gives the Lambda handler.', [
      { property: 'Records', value: records, constraints: { isArray: 'Records should be an array' } },
    ]);
  }

  const changes: ReadChange[] = [];
  const invalid: Array<{ record: DynamoDBRecord; error: StreamRecordError }> = [];
  for (const record of records as DynamoDBRecord[]) {
    const outcome = readRecord(record, routes);
    if (outcome.kind === 'change') changes.push(outcome.change);
    else if (outcome.kind === 'invalid') invalid.push({ record, error: outcome.error });
  }
  if (invalid.length > 0) {
    if (options.onError !== 'skip') {
      const [{ record, error }] = invalid;
      if (invalid.length === 1) throw error;
      const more = invalid.length - 1;
      throw recordError(record, `${error.message} ${more} more record${more > 1 ? 's' : ''} of this batch cannot be read either.`, error.errors);
    }
    for (const { record, error } of invalid) options.onInvalid(record, error);
  }
  return changes.map(finish) as Array<StreamChangeOf<C>>;
}
