import type { DynaliteClient } from './dynalite-client';
import { isDynamoError } from './errors';
import { canonicalJson, keyOf, type TableDescription, type WireItem } from './wire';

/** What one write did to one item: its images before and after, either absent when there was no item. */
export interface ItemChange {
  tableName: string;
  /** The item's primary key. */
  keys: WireItem;
  oldImage: WireItem | undefined;
  newImage: WireItem | undefined;
  /** `'ttl'` for a removal by the TTL sweeper; absent for a client's request. */
  origin?: 'ttl';
}

/**
 * Something the layer keeps beside dynalite's tables that every write must reach: a stream,
 * an index dynalite cannot hold. Only the tables a consumer watches pay for reading images.
 */
export interface ChangeConsumer {
  /** Whether any table is watched: when none is, writes are not even parsed for their table. */
  watchesAny(): boolean;
  /** Whether writes to `tableName` must be captured for this consumer. */
  watches(tableName: string): boolean;
  /**
   * Judges a change before it stands: throwing a DynamoError undoes the whole write (every
   * item it changed is put back) and answers the request with that error.
   */
  vet?(change: ItemChange, table: TableDescription): void;
  /** Keeps the changes of one request, in the order its items were written. Called under the lock. */
  record(changes: readonly ItemChange[], table: (tableName: string) => TableDescription): void;
}

/** How a capture treats its write: who made it, and what a consumer's refusal becomes. */
export interface CaptureOptions {
  /** `'ttl'` for a removal by the TTL sweeper. */
  origin?: 'ttl';
  /**
   * The error to answer with when a consumer refuses the change of the target at `index`
   * (a transaction cancels at that action's place); by default the refusal itself.
   */
  refused?: (error: unknown, index: number) => unknown;
}

/** An item a write is about to touch: its table and its primary key (or the whole item, for a put). */
export interface WriteTarget {
  tableName: string;
  keyOrItem: WireItem;
}

/**
 * The one place in the layer that sees each write's old and new image. Every write path
 * (single-item writes, batches, transactions, TTL sweeps) runs its requests through
 * {@link ItemChanges.capture}; the consumers (streams, layer-served indexes) sit beside it.
 *
 * The caller holds the exclusive lock while a watched table is written, so the images read
 * before and after are exactly what the write changed.
 */
export class ItemChanges {
  private readonly consumers: ChangeConsumer[] = [];

  constructor(private readonly client: DynaliteClient) {}

  /** Adds a consumer; consumers see changes in the order they were added. */
  add(consumer: ChangeConsumer): void {
    this.consumers.push(consumer);
  }

  /** Whether any consumer watches any table. */
  watchesAny(): boolean {
    return this.consumers.some((consumer) => consumer.watchesAny());
  }

  /** Whether any consumer watches `tableName`: when none does, writes to it run as they come. */
  watches(tableName: string): boolean {
    return this.consumers.some((consumer) => consumer.watches(tableName));
  }

  /**
   * Runs `write`, which touches the items `targets` name, and hands the changes it made on
   * watched tables to the consumers. A write that fails changes nothing; a write whose
   * change a consumer refuses is undone and its error thrown. Items whose image did not
   * change (a put of the same item, an update that sets what was there) make no change.
   */
  async capture<T>(targets: readonly WriteTarget[], write: () => Promise<T>, options: CaptureOptions = {}): Promise<T> {
    const { origin, refused = (error: unknown) => error } = options;
    const watched = targets.filter((target) => this.watches(target.tableName));
    if (watched.length === 0) return write();

    const tables = new Map<string, TableDescription>();
    const tableOf = (tableName: string) => tables.get(tableName)!;
    let keys: WireItem[];
    let before: Array<WireItem | undefined>;
    try {
      for (const { tableName } of watched) if (!tables.has(tableName)) tables.set(tableName, await this.client.describeTable(tableName));
      keys = watched.map((target) => keyOf(target.keyOrItem, tableOf(target.tableName).KeySchema));
      before = await Promise.all(watched.map((target, i) => this.client.getItem(target.tableName, keys[i])));
    } catch (err) {
      // A missing table or a key that does not fit: the write fails too, with the error its
      // caller expects (a put's "Missing the key" rather than a read's), and changes nothing.
      if (isDynamoError(err, 'ValidationException') || isDynamoError(err, 'ResourceNotFoundException')) return write();
      throw err;
    }

    const result = await write();

    const after = await Promise.all(watched.map((target, i) => this.client.getItem(target.tableName, keys[i])));
    const changes: ItemChange[] = [];
    const targetOf: number[] = [];
    watched.forEach((target, i) => {
      if (sameImage(before[i], after[i])) return;
      changes.push({ tableName: target.tableName, keys: keys[i], oldImage: before[i], newImage: after[i], ...(origin ? { origin } : {}) });
      targetOf.push(targets.indexOf(target));
    });
    for (const [i, change] of changes.entries()) {
      try {
        for (const consumer of this.consumers) if (consumer.watches(change.tableName)) consumer.vet?.(change, tableOf(change.tableName));
      } catch (err) {
        await this.undo(changes);
        throw refused(err, targetOf[i]);
      }
    }
    for (const consumer of this.consumers) {
      const own = changes.filter((change) => consumer.watches(change.tableName));
      if (own.length > 0) consumer.record(own, tableOf);
    }
    return result;
  }

  /** Puts every changed item back as it was, last change first. */
  private async undo(changes: readonly ItemChange[]): Promise<void> {
    for (const change of [...changes].reverse()) {
      if (change.oldImage) await this.client.call('PutItem', { TableName: change.tableName, Item: change.oldImage });
      else await this.client.call('DeleteItem', { TableName: change.tableName, Key: change.keys });
    }
  }
}

/**
 * Whether two images hold the same item. Sets are unordered in DynamoDB, so a set whose
 * elements were only reordered is no change.
 */
function sameImage(a: WireItem | undefined, b: WireItem | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(withSortedSets(a)) === canonicalJson(withSortedSets(b));
}

function withSortedSets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedSets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    out[name] = (name === 'SS' || name === 'NS' || name === 'BS') && Array.isArray(inner) ? [...(inner as string[])].sort() : withSortedSets(inner);
  }
  return out;
}
