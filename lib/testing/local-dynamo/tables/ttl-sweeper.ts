import type { DynaliteClient } from '../dynalite-client';
import { isDynamoError } from '../errors';
import type { ItemChanges } from '../item-changes';
import type { RwLock } from '../rw-lock';
import type { TtlSettings } from './time-to-live';
import { keyOf, type WireItem } from '../wire';

/**
 * Deletes expired items in the background, as DynamoDB's TTL process does
 * eventually. An item is expired when its TTL attribute is a Number of epoch
 * seconds before now; any other value, or none, keeps it forever.
 */
export class TtlSweeper {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly client: DynaliteClient,
    private readonly lock: RwLock,
    private readonly settings: TtlSettings,
    private readonly changes: ItemChanges,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.tick(), intervalMs);
    // A sweeper alone must not keep a test process alive.
    this.timer.unref();
  }

  /** Stops sweeping and waits for a sweep in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.sweepAll().finally(() => {
      this.running = undefined;
    });
  }

  private async sweepAll(): Promise<void> {
    for (const [tableName, attributeName] of this.settings.enabledTables()) {
      if (this.stopped) return;
      try {
        await this.sweep(tableName, attributeName);
      } catch (err) {
        if (isDynamoError(err, 'ResourceNotFoundException')) this.settings.forget(tableName);
        // Anything else (a table mid-rebuild, the server closing) is retried on the next tick.
      }
    }
  }

  private async sweep(tableName: string, attributeName: string): Promise<void> {
    const expiredFilter = {
      ConditionExpression: '#ttl < :now',
      ExpressionAttributeNames: { '#ttl': attributeName },
    };
    const now = { ':now': { N: String(Math.floor(Date.now() / 1000)) } };
    if (this.settings.attributeOf(tableName) !== attributeName) return;
    const { table, items } = await this.lock.shared(async () => ({
      table: await this.client.describeTable(tableName),
      items: await this.client.scanAll(tableName, {
        FilterExpression: expiredFilter.ConditionExpression,
        ExpressionAttributeNames: expiredFilter.ExpressionAttributeNames,
        ExpressionAttributeValues: now,
      }),
    }));
    for (const item of items.filter((candidate) => isExpired(candidate, attributeName))) {
      // TTL may have been disabled (or moved to another attribute) since this sweep began: as on
      // DynamoDB, nothing is deleted once it is off.
      if (this.stopped || this.settings.attributeOf(tableName) !== attributeName) return;
      // Conditional, so an item whose TTL was pushed back since the scan survives.
      const key = keyOf(item, table.KeySchema);
      const remove = () =>
        this.client.call('DeleteItem', { TableName: tableName, Key: key, ...expiredFilter, ExpressionAttributeValues: now }).catch((err: unknown) => {
          if (!isDynamoError(err, 'ConditionalCheckFailedException')) throw err;
        });
      // A watched table sees the removal as DynamoDB's TTL process making it, under the exclusive lock.
      if (this.changes.watches(tableName)) await this.lock.exclusive(() => this.changes.capture([{ tableName, keyOrItem: key }], remove, { origin: 'ttl' }));
      else await this.lock.shared(remove);
    }
  }
}

function isExpired(item: WireItem, attributeName: string): boolean {
  const value = item[attributeName]?.N;
  return typeof value === 'string' && Number(value) < Date.now() / 1000;
}
