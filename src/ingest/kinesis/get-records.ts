import { PinpipeError } from '../../core/errors.js';
import type { LogRecord, ReadStart } from '../../log/log.js';
import type { KinesisContext } from './context.js';
import { type Input, optInt, optString, optTimestampMs, reqString } from './input.js';
import { decodeIterator, encodeIterator } from './iterators.js';
import { kinesisMetrics } from './kinesis-metrics.js';
import { fromSequenceNumber, toSequenceNumber } from './sequence-numbers.js';
import { ACCOUNT_ID, shardIndex } from './shard-ids.js';

/** GetRecords answers at most this many bytes of data, as Kinesis does. */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const SEQUENCE_NUMBER = /^(0|[1-9]\d{0,128})$/;

/** Where an iterator of type `type` starts. LATEST is fixed now: "after the newest record at this moment". */
async function startOf(ctx: KinesisContext, input: Input, stream: string, shard: number, shardIdText: string): Promise<ReadStart> {
  const type = reqString(input, 'ShardIteratorType');
  const sequence = (): string => {
    const s = optString(input, 'StartingSequenceNumber');
    if (s === undefined) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', `StartingSequenceNumber is required for ShardIteratorType ${type}.`);
    if (!SEQUENCE_NUMBER.test(s))
      throw new PinpipeError(
        'KINESIS_VALIDATION',
        `1 validation error detected: Value '${s.slice(0, 140)}' at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})`,
      );
    const decoded = fromSequenceNumber(s);
    if (decoded.shard !== shard) {
      throw new PinpipeError(
        'KINESIS_INVALID_ARGUMENT',
        `StartingSequenceNumber ${s} used in GetShardIterator on shard ${shardIdText} in stream ${stream} under account ${ACCOUNT_ID} is invalid because it did not come from this stream.`,
      );
    }
    return decoded.position;
  };
  switch (type) {
    case 'TRIM_HORIZON':
      return { kind: 'earliest' };
    case 'LATEST': {
      const last = await ctx.log.lastPosition(stream, shard);
      return last === undefined ? { kind: 'earliest' } : { kind: 'after', position: last };
    }
    case 'AT_SEQUENCE_NUMBER':
      return { kind: 'at', position: sequence() };
    case 'AFTER_SEQUENCE_NUMBER':
      return { kind: 'after', position: sequence() };
    case 'AT_TIMESTAMP': {
      const ms = optTimestampMs(input, 'Timestamp');
      if (ms === undefined) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', 'Timestamp is required for ShardIteratorType AT_TIMESTAMP.');
      return { kind: 'timestamp', timestampMs: ms };
    }
    default:
      throw new PinpipeError(
        'KINESIS_VALIDATION',
        `1 validation error detected: Value '${type.slice(0, 60)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]`,
      );
  }
}

/** GetShardIterator: an opaque token for a shard and a start, valid for five minutes. */
export async function getShardIterator(ctx: KinesisContext, input: Input): Promise<{ ShardIterator: string }> {
  const name = ctx.streams.nameOf(input);
  const id = reqString(input, 'ShardId', 1, 128);
  const stream = await ctx.streams.require(name);
  const shard = shardIndex(id, name, stream.partitions);
  const start = await startOf(ctx, input, name, shard, id);
  return { ShardIterator: encodeIterator({ stream: name, createdAt: stream.createdAt, shard, start, issuedAt: ctx.now() }, ctx.iteratorKey) };
}

/** GetRecords: up to `Limit` records (≤ 10000, ≤ 10 MiB of data) from an iterator, and the iterator that follows them. */
export async function getRecords(ctx: KinesisContext, input: Input) {
  const token = reqString(input, 'ShardIterator', 1, 512);
  const limit = optInt(input, 'Limit', 1, 10_000) ?? 10_000;
  const it = decodeIterator(token, ctx.now(), ctx.iteratorKey, ctx.iteratorTtlMs);
  const stream = await ctx.streams.require(it.stream);
  if (stream.createdAt !== it.createdAt || it.shard >= stream.partitions) {
    throw new PinpipeError('TOPIC_NOT_FOUND', `Stream ${it.stream} under account ${ACCOUNT_ID} was deleted and re-created since the iterator was issued.`);
  }
  const records: LogRecord[] = [];
  let bytes = 0;
  let more = false; // a record beyond the answer was read: the reader is behind the tip
  // One record more than fits, so a full answer knows whether more follow without another read.
  const reader = ctx.log.read(it.stream, it.shard, it.start, { follow: false, maxRecords: Math.min(limit, 1000) + 1 });
  outer: for await (const batch of reader) {
    for (const r of batch) {
      if (records.length >= limit || bytes >= MAX_RESPONSE_BYTES) {
        more = true;
        break outer;
      }
      records.push(r);
      bytes += Buffer.byteLength(r.value);
    }
  }
  const last = records.at(-1);
  const behind = last && more ? Math.max(0, Date.now() - last.appendedAt) : 0;
  kinesisMetrics.read.inc({ stream: it.stream }, records.length);
  const next: ReadStart = last ? { kind: 'after', position: last.position } : it.start;
  return {
    Records: records.map((r) => ({
      SequenceNumber: toSequenceNumber(it.shard, r.position),
      ApproximateArrivalTimestamp: r.appendedAt / 1000,
      Data: Buffer.from(r.value, 'utf8').toString('base64'),
      PartitionKey: r.key ?? '',
    })),
    NextShardIterator: encodeIterator({ ...it, start: next, issuedAt: ctx.now() }, ctx.iteratorKey),
    MillisBehindLatest: behind,
  };
}
