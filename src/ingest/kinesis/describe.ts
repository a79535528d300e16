import type { TopicInfo } from '../../log/log.js';
import { hashKeyRange, type HashKeyRange } from './hash-keys.js';
import { toSequenceNumber } from './sequence-numbers.js';
import { shardId } from './shard-ids.js';
import { streamArn } from './stream-catalog.js';

/** A Kinesis `Shard`: all pinpipe shards are open (no resharding), so none has an ending sequence number. */
export interface ShardDescription {
  ShardId: string;
  HashKeyRange: HashKeyRange;
  SequenceNumberRange: { StartingSequenceNumber: string };
}

/** Retention is unbounded in pinpipe; Kinesis' default is reported so clients see a legal value. */
const RETENTION_HOURS = 24;

/** The description of shard `index` of `stream`. */
export function describeShard(stream: TopicInfo, index: number): ShardDescription {
  return {
    ShardId: shardId(index),
    HashKeyRange: hashKeyRange(index, stream.partitions),
    SequenceNumberRange: { StartingSequenceNumber: toSequenceNumber(index, '0') },
  };
}

/** Shards `from..` of a stream, at most `max`, and whether more follow. */
export function shardPage(stream: TopicInfo, from: number, max: number): { shards: ShardDescription[]; more: boolean } {
  const end = Math.min(stream.partitions, from + max);
  const shards: ShardDescription[] = [];
  for (let i = from; i < end; i++) shards.push(describeShard(stream, i));
  return { shards, more: end < stream.partitions };
}

/** The fields DescribeStream and DescribeStreamSummary share. */
function common(stream: TopicInfo, region: string) {
  return {
    StreamName: stream.name,
    StreamARN: streamArn(stream.name, region),
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: 'PROVISIONED' },
    RetentionPeriodHours: RETENTION_HOURS,
    StreamCreationTimestamp: stream.createdAt / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] as string[] }],
    EncryptionType: 'NONE',
  };
}

/** DescribeStream's `StreamDescription`, shards from `from` (at most `limit`). */
export function streamDescription(stream: TopicInfo, region: string, from = 0, limit = 100) {
  const { shards, more } = shardPage(stream, from, limit);
  return { ...common(stream, region), Shards: shards, HasMoreShards: more };
}

/** DescribeStreamSummary's `StreamDescriptionSummary`. */
export function streamSummary(stream: TopicInfo, region: string) {
  return { ...common(stream, region), OpenShardCount: stream.partitions, ConsumerCount: 0 };
}

/** ListStreams' `StreamSummaries` entry. */
export function listedStream(stream: TopicInfo, region: string) {
  const c = common(stream, region);
  return {
    StreamName: c.StreamName,
    StreamARN: c.StreamARN,
    StreamStatus: c.StreamStatus,
    StreamModeDetails: c.StreamModeDetails,
    StreamCreationTimestamp: c.StreamCreationTimestamp,
  };
}
