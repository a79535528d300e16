import { GetRecordsCommand, GetShardIteratorCommand, type GetShardIteratorCommandInput, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogRecord, ReadOptions, ReadStart } from '../log.js';
import { awsErrorName, kinesisError } from './kinesis-errors.js';

/**
 * Kinesis allows 5 GetRecords calls per second per shard: a reader at the end of a shard waits
 * this long between calls, leaving room for a second reader of the same shard.
 */
export const IDLE_POLL_MS = 400;

/** The GetShardIterator input for a pinpipe read start. */
export function iteratorInput(stream: string, shardId: string, start: ReadStart): GetShardIteratorCommandInput {
  const base = { StreamName: stream, ShardId: shardId };
  switch (start.kind) {
    case 'earliest':
      return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
    case 'latest':
      return { ...base, ShardIteratorType: 'LATEST' };
    case 'at':
      return { ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: start.position };
    case 'after':
      return { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: start.position };
    case 'timestamp':
      return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(start.timestampMs) };
  }
}

/** A shard iterator for `start`. */
export async function shardIterator(client: KinesisClient, input: GetShardIteratorCommandInput): Promise<string | undefined> {
  try {
    return (await client.send(new GetShardIteratorCommand(input))).ShardIterator;
  } catch (err) {
    throw kinesisError(`get a shard iterator of ${input.StreamName}/${input.ShardId}`, err);
  }
}

/** The partition key of records appended without a key (Kinesis requires one); read back as a null key. */
export const KEYLESS_PARTITION_KEY = 'pinpipe-keyless';

const toRecord = (topic: string, partition: number, r: _Record): LogRecord => {
  const at = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  return {
    topic,
    partition,
    position: r.SequenceNumber!,
    key: r.PartitionKey === undefined || r.PartitionKey === KEYLESS_PARTITION_KEY ? null : r.PartitionKey,
    value: Buffer.from(r.Data ?? new Uint8Array(0)).toString('utf8'),
    timestamp: at,
    appendedAt: at,
  };
};

export interface ShardReadContext {
  client: KinesisClient;
  maxRecordsPerCall: number;
  isClosed: () => boolean;
}

/**
 * One shard from the iterator `first` as batches: one GetRecords call per batch asked for, at
 * most `maxRecords` each; at the end, following waits IDLE_POLL_MS between calls, else stops. An
 * expired iterator is renewed after the last record seen.
 */
export async function* readShard(
  ctx: ShardReadContext,
  stream: string,
  shardId: string,
  partition: number,
  start: ReadStart,
  first: string | undefined,
  opts: ReadOptions,
): AsyncGenerator<LogRecord[]> {
  const follow = opts.follow ?? true;
  const limit = Math.min(opts.maxRecords ?? 1000, ctx.maxRecordsPerCall, 10_000);
  let iterator = first;
  let last: string | undefined;
  while (iterator && !opts.signal?.aborted && !ctx.isClosed()) {
    let res;
    try {
      res = await ctx.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }), { abortSignal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) return;
      if (awsErrorName(err) !== 'ExpiredIteratorException') throw kinesisError(`read ${stream}/${shardId}`, err);
      iterator = await shardIterator(ctx.client, iteratorInput(stream, shardId, last ? { kind: 'after', position: last } : start));
      continue;
    }
    iterator = res.NextShardIterator;
    const records = res.Records ?? [];
    if (records.length > 0) {
      last = records[records.length - 1].SequenceNumber;
      yield records.map((r) => toRecord(stream, partition, r));
      continue;
    }
    if (!follow && (res.MillisBehindLatest ?? 0) === 0) return;
    await sleep(follow ? IDLE_POLL_MS : 50, undefined, { signal: opts.signal }).catch(() => undefined);
  }
}
