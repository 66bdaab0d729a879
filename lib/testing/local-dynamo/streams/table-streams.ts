import { validateParameters } from '../dynalite-internals';
import { validationError } from '../errors';
import type { Stream, Streams, StreamViewType } from './streams';
import { isRecord, type TableDescription, type WireBody } from '../wire';

/**
 * A table's stream, from CreateTable and UpdateTable to DescribeTable. dynalite knows nothing
 * of streams: the layer takes StreamSpecification out of the request, keeps the stream in
 * {@link Streams}, and adds it to every TableDescription it answers with.
 */

const SPECIFICATION = {
  StreamSpecification: {
    type: 'FieldStruct<StreamSpecification>',
    children: {
      StreamEnabled: { type: 'Boolean', notNull: true },
      StreamViewType: { type: 'String', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] },
    },
  },
};

interface Specification {
  enabled: boolean;
  viewType?: StreamViewType;
}

/** Whether a raw CreateTable or UpdateTable request may carry a StreamSpecification (a cheap look at its bytes). */
export function mayCarryStream(raw: Buffer): boolean {
  return raw.includes('StreamSpecification');
}

/** The request's StreamSpecification checked as DynamoDB checks its shape, or undefined when there is none. */
function specificationOf(body: WireBody): Specification | undefined {
  if (body.StreamSpecification === undefined || body.StreamSpecification === null) return undefined;
  const checked = validateParameters(SPECIFICATION, { StreamSpecification: body.StreamSpecification }).StreamSpecification as WireBody;
  const viewType = typeof checked.StreamViewType === 'string' ? (checked.StreamViewType as StreamViewType) : undefined;
  return { enabled: checked.StreamEnabled === true, ...(viewType ? { viewType } : {}) };
}

function withoutSpecification(body: WireBody): WireBody {
  const { StreamSpecification: _ignored, ...rest } = body;
  return rest;
}

/**
 * CreateTable with a StreamSpecification: the table is created by dynalite, then its stream
 * by the layer. `create` runs the request without the specification (dynalite's validation
 * and the layer's own come first, so an invalid table makes no stream).
 */
export async function createTableWithStream(streams: Streams, body: WireBody, create: (request: WireBody) => Promise<WireBody>): Promise<WireBody> {
  const specification = specificationOf(body);
  if (specification?.enabled && !specification.viewType) {
    throw validationError('One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required');
  }
  if (specification && !specification.enabled && specification.viewType) {
    throw validationError('One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
  const out = await create(withoutSpecification(body));
  const table = out.TableDescription as TableDescription;
  if (specification?.enabled && specification.viewType) streams.enable(table, specification.viewType);
  return { ...out, TableDescription: describedWithStream(streams, table) };
}

/**
 * UpdateTable with a StreamSpecification: enables or disables the table's stream. The rest of
 * the request, if any, runs first through `update` (dynalite's UpdateTable, or the layer's
 * index changes); `describe` gives the table as the layer describes it. DynamoDB's rules: no second enabled stream, nothing to disable, a view
 * type only when enabling, and no index created or deleted in the same request.
 */
export async function updateTableStream(
  streams: Streams,
  body: WireBody,
  steps: { describe: (tableName: string) => Promise<TableDescription>; update: (request: WireBody) => Promise<WireBody> },
): Promise<WireBody> {
  const { describe, update } = steps;
  const specification = specificationOf(body);
  const rest = withoutSpecification(body);
  if (!specification) return update(rest);
  if (specification.enabled && !specification.viewType) {
    throw validationError('One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required');
  }
  if (!specification.enabled && specification.viewType) {
    throw validationError('One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified');
  }
  if (
    Array.isArray(body.GlobalSecondaryIndexUpdates) &&
    body.GlobalSecondaryIndexUpdates.some((u) => isRecord(u) && (isRecord(u.Create) || isRecord(u.Delete)))
  ) {
    throw validationError('One or more parameter values were invalid: You cannot create or delete index while changing stream status');
  }
  const tableName = String(body.TableName);
  let table = await describe(tableName);
  if (specification.enabled && streams.enabledStream(tableName)) throw validationError(`Table already has an enabled stream: TableName: ${tableName}`);
  if (!specification.enabled && !streams.enabledStream(tableName)) throw validationError(`Table has no stream to disable: TableName: ${tableName}`);

  if (Object.keys(rest).some((name) => name !== 'TableName')) table = (await update(rest)).TableDescription as TableDescription;
  if (specification.enabled && specification.viewType) streams.enable(table, specification.viewType);
  else streams.disable(tableName);
  return { TableDescription: describedWithStream(streams, table) };
}

/**
 * A TableDescription as DynamoDB gives it for a table with a stream: StreamSpecification while
 * the stream is enabled, and the latest stream's ARN and label, kept after it is disabled.
 */
export function describedWithStream(streams: Streams, table: TableDescription): WireBody {
  const latest = streams.latestStream(table.TableName);
  if (!latest) return { ...table };
  return { ...table, ...streamFields(latest) };
}

function streamFields(stream: Stream): WireBody {
  return {
    ...(stream.ended ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.viewType } }),
    LatestStreamLabel: stream.label,
    LatestStreamArn: stream.arn,
  };
}

/** Whether an answer's table has a stream to show: only those answers are parsed and rewritten. */
export function hasStreamToShow(streams: Streams, tableName: string | undefined): boolean {
  return tableName !== undefined && streams.latestStream(tableName) !== undefined;
}
