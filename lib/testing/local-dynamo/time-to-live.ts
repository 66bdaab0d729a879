import type { DynaliteClient } from './dynalite-client';
import { validationError } from './errors';
import { isRecord, type WireBody } from './wire';

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

const constraint = (value: unknown, field: string, rule: string) =>
  validationError(`1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${field}' failed to satisfy constraint: ${rule}`);

/** UpdateTimeToLive, with the refusals DynamoDB gives for a change that changes nothing. */
export async function updateTimeToLive(client: DynaliteClient, settings: TtlSettings, body: WireBody): Promise<WireBody> {
  const spec = body.TimeToLiveSpecification;
  if (!isRecord(spec)) throw constraint(undefined, 'timeToLiveSpecification', 'Member must not be null');
  const { Enabled: enabled, AttributeName: attributeName } = spec;
  if (typeof enabled !== 'boolean') throw constraint(enabled, 'timeToLiveSpecification.enabled', 'Member must not be null');
  if (typeof attributeName !== 'string' || attributeName.length < 1 || attributeName.length > 255) {
    throw constraint(attributeName, 'timeToLiveSpecification.attributeName', 'Member must have length less than or equal to 255 and greater than or equal to 1');
  }
  const tableName = await existingTableName(client, body);
  const current = settings.attributeOf(tableName);
  if (current !== undefined && current !== attributeName) {
    throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
  }
  if (enabled && current !== undefined) throw validationError('TimeToLive is already enabled');
  if (!enabled && current === undefined) throw validationError('TimeToLive is already disabled');
  settings.set(tableName, enabled ? attributeName : undefined);
  return { TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled } };
}

/** DescribeTimeToLive from the settings kept here. */
export async function describeTimeToLive(client: DynaliteClient, settings: TtlSettings, body: WireBody): Promise<WireBody> {
  const tableName = await existingTableName(client, body);
  const attributeName = settings.attributeOf(tableName);
  return {
    TimeToLiveDescription: attributeName === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName },
  };
}

/** Validates TableName and resolves it, throwing dynalite's ResourceNotFoundException for a missing table. */
async function existingTableName(client: DynaliteClient, body: WireBody): Promise<string> {
  const tableName = body.TableName;
  if (typeof tableName !== 'string') throw validationError("The parameter 'TableName' is required but was not present in the request");
  const table = await client.describeTable(tableName);
  return table.TableName;
}
