import { cond, conditionParams } from '../expressions/condition';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import { epochSeconds } from '../marshal/attribute-codec';
import { itemExists } from './write-pipeline';
import { GUARD_MARKER, GUARD_OWNER, type GuardChanges, type GuardMove } from './unique-guards';

/**
 * The Put that reserves a value (or re-puts a kept one with its owner's new expiry). It may
 * replace a guard that is absent, already ours, or — with @TTL — expired: an expired owner's
 * values are free whether or not DynamoDB has swept the owner and its guards yet.
 */
function reserveAction(schema: ModelSchema, table: string, guards: GuardChanges, guard: GuardMove): Record<string, unknown> {
  const ttl = schema.ttl?.attributeName;
  const Item: StoredItem = { ...guard.key, [GUARD_MARKER]: guard.attr.attributeName, [GUARD_OWNER]: guards.owner };
  if (ttl && guards.expiry !== undefined) Item[ttl] = guards.expiry;
  const condition = cond.or(
    itemExists(schema, false),
    cond.eq([GUARD_OWNER], guards.owner),
    guard.takeoverFrom === undefined ? undefined : cond.eq([GUARD_OWNER], guard.takeoverFrom),
    // The same clock reading as create's own condition: epoch seconds, floored.
    ttl ? cond.compare([ttl], '<', epochSeconds()) : undefined,
  )!;
  return { Put: { TableName: table, Item, ...conditionParams(condition) } };
}

/**
 * The Delete that releases a value. Only our own guard goes: after our owner expired another
 * item may have taken the value, and its guard must stay. A guard already gone (swept with
 * its expired owner) is no reason to fail the write.
 */
function releaseAction(schema: ModelSchema, table: string, guards: GuardChanges, guard: GuardMove): Record<string, unknown> {
  const condition = cond.or(itemExists(schema, false), cond.eq([GUARD_OWNER], guards.owner))!;
  return { Delete: { TableName: table, Key: guard.key, ...conditionParams(condition) } };
}

/** The guard actions of a transaction, in the order send-write maps cancellation reasons: reserves, then releases. */
export function guardActions(schema: ModelSchema, table: string, guards: GuardChanges): Array<Record<string, unknown>> {
  return [...guards.reserve.map((g) => reserveAction(schema, table, guards, g)), ...guards.release.map((g) => releaseAction(schema, table, guards, g))];
}
