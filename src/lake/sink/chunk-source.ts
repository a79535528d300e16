import type { LogRecord, OffsetLog } from '../../log/log.js';

/** Consecutive records of one partition, as the sink places them into objects. */
export interface Chunk {
  count: number;
  firstOffset: number;
  lastOffset: number;
  /** The position of the last record: what the sink commits once the chunk is in the lake. */
  lastPosition: string;
  firstTimestamp: number;
  maxTimestamp: number;
  /** The values as lines, each followed by "\n". */
  lines: Buffer | string;
  /** The records themselves, when the source read them as records. */
  records?: readonly LogRecord[];
}

/** Where the sink's copy loop gets its chunks. */
export interface ChunkSource {
  /** Up to `maxRecords` records after the last chunk returned, waiting up to `waitMs` for the first; undefined when none came. */
  next(maxRecords: number, waitMs: number): Promise<Chunk | undefined>;
  /** The records of a chunk this source returned, one by one (to split it where an object closes). */
  records(chunk: Chunk): Promise<readonly LogRecord[]>;
  /** Stop reading. */
  close(): Promise<void>;
}

/** A chunk source over a partition from `fromOffset` through `OffsetLog.readLines` (no JS object or string per record). */
export function lineChunks(log: OffsetLog, topic: string, partition: number, fromOffset: number, signal?: AbortSignal): ChunkSource {
  let from = fromOffset;
  return {
    async next(maxRecords, waitMs) {
      const chunk = await log.readLines(topic, partition, from, { maxRecords, waitMs, signal });
      if (!chunk) return undefined;
      from = chunk.lastOffset + 1;
      return { ...chunk, lastPosition: log.positionAt(chunk.lastOffset) };
    },
    async records(chunk) {
      const out: LogRecord[] = [];
      const start = { kind: 'at', position: log.positionAt(chunk.firstOffset) } as const;
      for await (const batch of log.read(topic, partition, start, { maxRecords: chunk.count, follow: false })) {
        for (const r of batch) if (log.offsetOf(r.position) <= chunk.lastOffset) out.push(r);
        if (batch.length === 0 || log.offsetOf(batch[batch.length - 1].position) >= chunk.lastOffset) break;
      }
      return out;
    },
    async close() {},
  };
}
