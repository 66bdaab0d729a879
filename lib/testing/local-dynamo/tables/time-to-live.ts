import type { DynaliteClient } from '../dynalite-client';
import { validateParameters, validateRequest, type ParameterTypes } from '../dynalite-internals';
import { validationError } from '../errors';
import { isRecord, type WireBody } from '../wire';

/** Which tables have TTL enabled, and on which attribute. dynalite keeps no such setting. */
export class TtlSettings {
  private readonly byTable = new Map<string, string>();

  attributeOf(tableName: string): string | undefined {
    return this.byTable.get(tableName);
  }

  enabledTables(): Array<[tableName: string, attributeName: string]> {
    return [...this.byTable];
  }

  set(tableName: string, attributeName: string | undefined): void {
    if (attributeName === undefined) this.byTable.delete(tableName);
    else this.byTable.set(tableName, attributeName);
  }

  /** A deleted (or re-created) table starts without TTL, as in DynamoDB. */
  forget(tableName: string): void {
    this.byTable.delete(tableName);
  }
}

/**
 * UpdateTimeToLive's parameters in dynalite's format, so that a value of the wrong
 * JSON type is the SerializationException dynalite gives for every operation it knows
 * (and a TableName is held to the same rules). The specification's own
 * constraints are checked in updateTimeToLive.
 */
const UPDATE_TIME_TO_LIVE: ParameterTypes = {
  TableName: { type: 'String', required: true, tableName: true, regex: '[a-zA-Z0-9_.-]+' },
  TimeToLiveSpecification: {
    type: 'FieldStruct<TimeToLiveSpecification>',
    children: { Enabled: 'Boolean', AttributeName: 'String' },
  },
};

const constraint = (value: unknown, field: string, rule: string) =>
  validationError(
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${field}' failed to satisfy constraint: ${rule}`,
  );

/** UpdateTimeToLive, with the refusals DynamoDB gives for a change that changes nothing. */
export async function updateTimeToLive(client: DynaliteClient, settings: TtlSettings, body: WireBody): Promise<WireBody> {
  const request = validateParameters(UPDATE_TIME_TO_LIVE, body);
  const spec = request.TimeToLiveSpecification;
  if (!isRecord(spec)) throw constraint(undefined, 'timeToLiveSpecification', 'Member must not be null');
  const { Enabled: enabled, AttributeName: attributeName } = spec;
  if (typeof enabled !== 'boolean') throw constraint(enabled, 'timeToLiveSpecification.enabled', 'Member must not be null');
  if (typeof attributeName !== 'string' || attributeName.length < 1 || attributeName.length > 255) {
    throw constraint(
      attributeName,
      'timeToLiveSpecification.attributeName',
      'Member must have length less than or equal to 255 and greater than or equal to 1',
    );
  }
  const tableName = await existingTableName(client, request);
  const current = settings.attributeOf(tableName);
  if (current !== undefined && current !== attributeName) {
    throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
  }
  if (enabled && current !== undefined) throw validationError('TimeToLive is already enabled');
  if (!enabled && current === undefined) throw validationError('TimeToLive is already disabled');
  settings.set(tableName, enabled ? attributeName : undefined);
  return { TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled } };
}

/** DescribeTimeToLive from the settings kept here, after dynalite's own validation of the request. */
export async function describeTimeToLive(client: DynaliteClient, settings: TtlSettings, body: WireBody): Promise<WireBody> {
  const tableName = await existingTableName(client, validateRequest('describeTimeToLive', body));
  const attributeName = settings.attributeOf(tableName);
  return {
    TimeToLiveDescription: attributeName === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName },
  };
}

/** Resolves a validated request's TableName, throwing dynalite's ResourceNotFoundException for a missing table. */
async function existingTableName(client: DynaliteClient, request: WireBody): Promise<string> {
  const table = await client.describeTable(String(request.TableName));
  return table.TableName;
}
