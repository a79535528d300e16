import type { LogRecord, PartitionLag, ReadStart } from '../log.js';

/** A non-following read of one shard from a start, as the Kinesis log does it. */
export type ShardRead = (start: ReadStart, maxRecords: number) => AsyncIterable<LogRecord[]>;

/**
 * How far back the newest record is looked for, nearest first. Kinesis tells no shard end without
 * reading, but it reads from an arrival time (AT_TIMESTAMP): the newest record is the last one read
 * from any time at or before it, so a busy shard is read over the last seconds only, and an idle
 * one over wider windows, down to the whole shard. The result does not depend on the clocks: a
 * window that comes up empty only widens the next.
 */
const WINDOWS_MS = [2_000, 60_000, 3_600_000, 86_400_000];
/** Records a lag count reads at most; beyond, the lag is reported as capped. */
export const LAG_COUNT_LIMIT = 2_000;

/** The sequence number of the newest record of a shard now (undefined when it holds none). */
export async function newestPosition(read: ShardRead, now = Date.now()): Promise<string | undefined> {
  for (const window of [...WINDOWS_MS, undefined]) {
    const start: ReadStart = window === undefined ? { kind: 'earliest' } : { kind: 'timestamp', timestampMs: now - window };
    let last: string | undefined;
    for await (const batch of read(start, 10_000)) if (batch.length > 0) last = batch[batch.length - 1].position;
    if (last !== undefined) return last;
  }
  return undefined;
}

/** Records of a shard after `after` (all of them when undefined), counted by reading at most LAG_COUNT_LIMIT of them. */
export async function countAfter(read: ShardRead, after: string | undefined): Promise<PartitionLag> {
  const start: ReadStart = after === undefined ? { kind: 'earliest' } : { kind: 'after', position: after };
  let records = 0;
  for await (const batch of read(start, LAG_COUNT_LIMIT + 1)) {
    records += batch.length;
    if (records > LAG_COUNT_LIMIT) return { records, capped: true };
  }
  return { records, capped: false };
}
