import type { LineChunk, LogRecord, ReadLinesOptions, ReadOptions } from '../log.js';
import type { FetchedRecord, KafkaClients } from './kafka-clients.js';

/** Bytes one fetch may bring back (the broker stops at a batch boundary, at least one batch). */
const FETCH_BYTES = 4 * 1024 * 1024;
/** How long a fetch at the end of a followed partition waits on the broker for new records. */
const FOLLOW_WAIT_MS = 500;

/** Resolves when `signal` aborts (never when there is none). */
function aborted(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

const toRecord = (topic: string, partition: number, r: FetchedRecord): LogRecord => ({
  topic,
  partition,
  position: r.offset.toString(),
  key: r.key === null ? null : r.key.toString('utf8'),
  value: r.value === null ? '' : r.value.toString('utf8'),
  timestamp: r.timestamp,
  appendedAt: r.appendedAt,
});

/**
 * One partition from `from` as batches of at most `maxRecords`, fetched from the leader one
 * request at a time: the next fetch happens only when the consumer asks for the next batch.
 * Following, a fetch at the end waits on the broker (long poll); an abort ends the iteration.
 */
export async function* readKafkaPartition(
  clients: KafkaClients,
  topic: string,
  partition: number,
  from: bigint,
  opts: ReadOptions,
  isClosed: () => boolean,
): AsyncGenerator<LogRecord[]> {
  const max = opts.maxRecords ?? 1000;
  const follow = opts.follow ?? true;
  const stop = aborted(opts.signal);
  let next = from;
  while (!opts.signal?.aborted && !isClosed()) {
    const got = await Promise.race([clients.fetch(topic, partition, next, follow ? FOLLOW_WAIT_MS : 0, FETCH_BYTES), stop]);
    if (got === 'aborted' || isClosed()) return;
    const { records, end } = got;
    for (let i = 0; i < records.length; i += max) {
      const batch = records.slice(i, i + max).map((r) => toRecord(topic, partition, r));
      next = records[Math.min(i + max, records.length) - 1].offset + 1n;
      yield batch;
      if (opts.signal?.aborted) return;
    }
    if (records.length === 0 && !follow && next >= end) return;
  }
}

/**
 * Up to `maxRecords` values from `fromOffset` as one buffer of lines (the lake sink's fast path):
 * the values are copied once, straight from the fetched batches, with no string per record.
 */
export async function readKafkaLines(
  clients: KafkaClients,
  topic: string,
  partition: number,
  fromOffset: number,
  opts: ReadLinesOptions,
): Promise<LineChunk | undefined> {
  const from = BigInt(fromOffset);
  const stop = aborted(opts.signal);
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    const wait = Math.max(0, Math.min(FOLLOW_WAIT_MS, deadline - Date.now()));
    const got = await Promise.race([clients.fetch(topic, partition, from, wait, FETCH_BYTES), stop]);
    if (got === 'aborted') return undefined;
    const records = got.records.slice(0, opts.maxRecords);
    if (records.length > 0) {
      const parts: Buffer[] = [];
      const newline = Buffer.from('\n');
      let maxTimestamp = records[0].timestamp;
      for (const r of records) {
        if (r.value) parts.push(r.value);
        parts.push(newline);
        if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
      }
      return {
        count: records.length,
        firstOffset: Number(records[0].offset),
        lastOffset: Number(records[records.length - 1].offset),
        firstTimestamp: records[0].timestamp,
        maxTimestamp,
        lines: Buffer.concat(parts),
      };
    }
    if (Date.now() >= deadline || opts.signal?.aborted) return undefined;
  }
}
