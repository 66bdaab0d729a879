import { randomBytes } from 'node:crypto';
import { itemSizeOf } from '../dynalite-internals';
import type { ChangeConsumer, ItemChange } from '../item-changes';
import type { KeySchemaElement, TableDescription, WireItem } from '../wire';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** How long DynamoDB keeps a stream's records, and a disabled stream itself. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/** One record as the Streams API's GetRecords returns it (wire form: binaries are base64). */
interface StreamRecordWire {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: WireItem;
    NewImage?: WireItem;
    OldImage?: WireItem;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

/** A kept record, with the number its sequence number spells, for ordering and positions. */
export interface KeptRecord {
  sequence: bigint;
  createdAt: number;
  record: StreamRecordWire;
}

/**
 * One stream of a table: a single shard (a test's stream never needs DynamoDB's splits)
 * that is open while the stream is enabled and closed, with an ending sequence number,
 * once it is disabled or its table deleted.
 */
export interface Stream {
  arn: string;
  label: string;
  tableName: string;
  viewType: StreamViewType;
  keySchema: KeySchemaElement[];
  region: string;
  createdAt: number;
  shardId: string;
  /** The first sequence number of the shard. */
  startingSequence: bigint;
  /** Records before this sequence number were dropped after 24 hours (the shard's start when none was). */
  trimHorizon: bigint;
  /** Set when the stream was disabled: its last sequence number, and when. */
  ended?: { sequence: bigint; at: number };
  /** Set when its table was deleted: a table created again under the name does not show it. */
  detached?: boolean;
  records: KeptRecord[];
}

/** Sequence numbers are decimal strings of one width, so they also compare as strings. */
const SEQUENCE_DIGITS = 21;
const FIRST_SEQUENCE = 10n ** BigInt(SEQUENCE_DIGITS - 1);

export function sequenceString(sequence: bigint): string {
  return sequence.toString().padStart(SEQUENCE_DIGITS, '0');
}

/**
 * DynamoDB Streams in the local server: which tables have a stream, and the records every
 * write to them made. Each change reaches it through {@link ItemChanges}, under the lock, so
 * records are in the order the writes were made, with sequence numbers increasing across
 * the whole server.
 */
export class Streams implements ChangeConsumer {
  /** Every stream still kept (enabled, or disabled less than 24 hours ago), oldest first. */
  private readonly streams: Stream[] = [];
  private nextSequence = FIRST_SEQUENCE;

  constructor(private readonly now: () => number = Date.now) {}

  watchesAny(): boolean {
    return this.streams.some((stream) => !stream.ended);
  }

  watches(tableName: string): boolean {
    return this.enabledStream(tableName) !== undefined;
  }

  /** The table's enabled stream, if it has one. */
  enabledStream(tableName: string): Stream | undefined {
    return this.streams.find((stream) => stream.tableName === tableName && !stream.ended);
  }

  /** The table's most recent stream, enabled or not: what DescribeTable shows as its latest. */
  latestStream(tableName: string): Stream | undefined {
    this.trim();
    return this.streams.filter((stream) => stream.tableName === tableName && !stream.detached).pop();
  }

  /** Whether any stream is kept: when none is, no table description needs one added. */
  any(): boolean {
    return this.streams.length > 0;
  }

  /** Every stream kept, oldest first, optionally of one table. */
  list(tableName?: string): Stream[] {
    this.trim();
    return this.streams.filter((stream) => tableName === undefined || stream.tableName === tableName);
  }

  find(arn: string): Stream | undefined {
    this.trim();
    return this.streams.find((stream) => stream.arn === arn);
  }

  /** Enables a stream on `table` (the caller checked it has none enabled). */
  enable(table: TableDescription, viewType: StreamViewType): Stream {
    const createdAt = this.now();
    const previous = this.latestStream(table.TableName);
    // Two streams of one table never share a label, even when enabled within one millisecond.
    const at = previous && previous.createdAt >= createdAt ? previous.createdAt + 1 : createdAt;
    const label = new Date(at).toISOString().replace('Z', '');
    const tableArn = table.TableArn ?? `arn:aws:dynamodb:us-east-1:000000000000:table/${table.TableName}`;
    const stream: Stream = {
      arn: `${tableArn}/stream/${label}`,
      label,
      tableName: table.TableName,
      viewType,
      keySchema: table.KeySchema,
      region: tableArn.split(':')[3] || 'us-east-1',
      createdAt: at,
      shardId: `shardId-${String(at).padStart(20, '0')}-${randomBytes(4).toString('hex')}`,
      startingSequence: this.nextSequence,
      trimHorizon: this.nextSequence,
      records: [],
    };
    this.streams.push(stream);
    return stream;
  }

  /** Disables the table's stream, when it has one: its shard closes, its records stay readable for 24 hours. */
  disable(tableName: string): void {
    const stream = this.enabledStream(tableName);
    if (!stream) return;
    stream.ended = { sequence: this.nextSequence - 1n, at: this.now() };
  }

  /** The table was deleted: its stream is disabled and no longer the latest of a table of that name. */
  detach(tableName: string): void {
    this.disable(tableName);
    for (const stream of this.streams) if (stream.tableName === tableName) stream.detached = true;
  }

  record(changes: readonly ItemChange[]): void {
    for (const change of changes) {
      const stream = this.enabledStream(change.tableName);
      if (stream) stream.records.push(this.recordOf(stream, change));
    }
  }

  /** The sequence number the next record will get: a position just past everything recorded so far. */
  end(): bigint {
    return this.nextSequence;
  }

  private recordOf(stream: Stream, change: ItemChange): KeptRecord {
    const sequence = this.nextSequence++;
    const createdAt = this.now();
    const eventName = !change.oldImage ? 'INSERT' : !change.newImage ? 'REMOVE' : 'MODIFY';
    const newImage = change.newImage && (stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES') ? change.newImage : undefined;
    const oldImage = change.oldImage && (stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES') ? change.oldImage : undefined;
    const size = itemSizeOf(change.keys) + (newImage ? itemSizeOf(newImage) : 0) + (oldImage ? itemSizeOf(oldImage) : 0);
    const record: StreamRecordWire = {
      eventID: randomBytes(16).toString('hex'),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: stream.region,
      dynamodb: {
        // Whole seconds, as DynamoDB gives them.
        ApproximateCreationDateTime: Math.floor(createdAt / 1000),
        Keys: change.keys,
        ...(newImage ? { NewImage: newImage } : {}),
        ...(oldImage ? { OldImage: oldImage } : {}),
        SequenceNumber: sequenceString(sequence),
        SizeBytes: size,
        StreamViewType: stream.viewType,
      },
      // What DynamoDB's own TTL process puts on the removals it makes.
      ...(change.origin === 'ttl' ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
    };
    return { sequence, createdAt, record };
  }

  /** Drops records older than 24 hours, and streams disabled more than 24 hours ago. */
  private trim(): void {
    const horizon = this.now() - RETENTION_MS;
    for (let i = this.streams.length - 1; i >= 0; i--) {
      const stream = this.streams[i];
      if (stream.ended && stream.ended.at < horizon) this.streams.splice(i, 1);
      else if (stream.records.length > 0 && stream.records[0].createdAt < horizon) {
        const kept = stream.records.filter((record) => record.createdAt >= horizon);
        stream.trimHorizon = kept.length > 0 ? kept[0].sequence : stream.records[stream.records.length - 1].sequence + 1n;
        stream.records = kept;
      }
    }
  }
}
