import { expect } from 'chai';
import { DynamoError } from '../../../lib/testing/local-dynamo/errors';
import { Streams } from '../../../lib/testing/local-dynamo/streams/streams';
import { streamsOperation } from '../../../lib/testing/local-dynamo/streams/streams-api';
import type { TableDescription, WireBody } from '../../../lib/testing/local-dynamo/wire';

const HOUR = 60 * 60 * 1000;
const table: TableDescription = {
  TableName: 'orders',
  TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
};

// The parts of the local server's streams that depend on time: records kept 24 hours, a
// disabled stream kept 24 hours, shard iterators valid 15 minutes. The clock is injected.
describe('local server: stream retention and iterator expiry', () => {
  let now: number;
  let streams: Streams;
  const call = (operation: 'ListStreams' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords', body: WireBody) =>
    streamsOperation(streams, operation, body, now);
  const write = (pk: string) => streams.record([{ tableName: 'orders', keys: { pk: { S: pk } }, oldImage: undefined, newImage: { pk: { S: pk } } }]);
  const keysFrom = (iterator: string) =>
    (call('GetRecords', { ShardIterator: iterator }).Records as Array<{ dynamodb: { Keys: { pk: { S: string } } } }>).map((r) => r.dynamodb.Keys.pk.S);
  const trimHorizon = (arn: string, shardId: string) =>
    call('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }).ShardIterator as string;
  const errorOf = (fn: () => unknown): DynamoError => {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(DynamoError);
      return err as DynamoError;
    }
    return expect.fail('expected a DynamoError');
  };

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    streams = new Streams(() => now);
  });

  it('takes the region and account of the table into the stream ARN', () => {
    const stream = streams.enable(table, 'KEYS_ONLY');
    expect(stream.arn).to.equal('arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000');
    write('a');
    expect((call('GetRecords', { ShardIterator: trimHorizon(stream.arn, stream.shardId) }).Records as Array<{ awsRegion: string }>)[0].awsRegion).to.equal(
      'eu-west-1',
    );
  });

  it('drops records after 24 hours; TRIM_HORIZON starts at the oldest kept, an older position is TrimmedDataAccessException', () => {
    const stream = streams.enable(table, 'KEYS_ONLY');
    write('old');
    const atOld = trimHorizon(stream.arn, stream.shardId);
    now += 23 * HOUR;
    write('new');
    expect(keysFrom(trimHorizon(stream.arn, stream.shardId))).to.deep.equal(['old', 'new']);

    now += 2 * HOUR; // 'old' is 25 hours old, 'new' 2 hours
    expect(keysFrom(trimHorizon(stream.arn, stream.shardId))).to.deep.equal(['new']);
    // An iterator taken before the trim points at a dropped record (it is also 2 hours past its 15 minutes).
    const fresh = { ...(JSON.parse(Buffer.from(atOld.slice(atOld.lastIndexOf('|') + 1), 'base64url').toString()) as WireBody), issuedAt: now };
    const stale = `${stream.arn}|${Buffer.from(JSON.stringify(fresh)).toString('base64url')}`;
    expect(errorOf(() => call('GetRecords', { ShardIterator: stale })).type).to.equal('TrimmedDataAccessException');
  });

  it('expires a shard iterator after 15 minutes', () => {
    const stream = streams.enable(table, 'KEYS_ONLY');
    const iterator = trimHorizon(stream.arn, stream.shardId);
    now += 15 * 60 * 1000;
    expect(keysFrom(iterator)).to.deep.equal([]);
    now += 1;
    expect(errorOf(() => call('GetRecords', { ShardIterator: iterator })).type).to.equal('ExpiredIteratorException');
  });

  it('keeps a disabled stream readable for 24 hours, then forgets it', () => {
    const stream = streams.enable(table, 'KEYS_ONLY');
    write('a');
    streams.disable('orders');
    now += 23 * HOUR;
    expect((call('DescribeStream', { StreamArn: stream.arn }).StreamDescription as WireBody).StreamStatus).to.equal('DISABLED');
    expect(keysFrom(trimHorizon(stream.arn, stream.shardId))).to.deep.equal(['a']);
    now += 2 * HOUR;
    expect(call('ListStreams', {}).Streams).to.deep.equal([]);
    expect(errorOf(() => call('DescribeStream', { StreamArn: stream.arn })).type).to.equal('ResourceNotFoundException');
  });

  it('gives two streams of one table enabled within a millisecond different labels', () => {
    const first = streams.enable(table, 'KEYS_ONLY');
    streams.disable('orders');
    const second = streams.enable(table, 'NEW_IMAGE');
    expect(second.label).to.not.equal(first.label);
    expect(second.arn).to.not.equal(first.arn);
  });

  it('pages ListStreams with Limit and ExclusiveStartStreamArn', () => {
    for (const name of ['a', 'b', 'c'])
      streams.enable({ ...table, TableName: name, TableArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}` }, 'KEYS_ONLY');
    const first = call('ListStreams', { Limit: 2 });
    expect((first.Streams as WireBody[]).map((s) => s.TableName)).to.deep.equal(['a', 'b']);
    const second = call('ListStreams', { Limit: 2, ExclusiveStartStreamArn: first.LastEvaluatedStreamArn });
    expect((second.Streams as WireBody[]).map((s) => s.TableName)).to.deep.equal(['c']);
    expect(second.LastEvaluatedStreamArn).to.equal(undefined);
  });
});
