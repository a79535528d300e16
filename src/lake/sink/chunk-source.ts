import type { Log, LogRecord, ReadStart } from '../../log/log.js';

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

/** Where the sink's copy loop gets its chunks: the log's readLines fast path, or its records. */
export interface ChunkSource {
  /** Up to `maxRecords` records after the last chunk returned, waiting up to `waitMs` for the first; undefined when none came. */
  next(maxRecords: number, waitMs: number): Promise<Chunk | undefined>;
  /** The records of a chunk this source returned, one by one (to split it where an object closes). */
  records(chunk: Chunk): Promise<readonly LogRecord[]>;
  /** Stop reading. */
  close(): Promise<void>;
}

/** A chunk source over a partition from `fromOffset` through `Log.readLines` (logs whose positions are offsets). */
export function lineChunks(log: Log, topic: string, partition: number, fromOffset: number, signal?: AbortSignal): ChunkSource {
  const readLines = log.readLines!.bind(log);
  let from = fromOffset;
  return {
    async next(maxRecords, waitMs) {
      const chunk = await readLines(topic, partition, from, { maxRecords, waitMs, signal });
      if (!chunk) return undefined;
      from = chunk.lastOffset + 1;
      return { ...chunk, lastPosition: String(chunk.lastOffset) };
    },
    async records(chunk) {
      const out: LogRecord[] = [];
      const start = { kind: 'at', position: String(chunk.firstOffset) } as const;
      for await (const batch of log.read(topic, partition, start, { maxRecords: chunk.count, follow: false })) {
        for (const r of batch) if (r.offset <= chunk.lastOffset) out.push(r);
        if (batch.length === 0 || batch[batch.length - 1].offset >= chunk.lastOffset) break;
      }
      return out;
    },
    async close() {},
  };
}

/** Records read before they are handed out in chunks. */
const READ_BATCH = 2000;

/**
 * A chunk source over a partition from `start` through `Log.read` (every log). With `follow` it
 * keeps one read open (ended by `signal` or `close`), and a wait that times out keeps the pending
 * read for the next call, so nothing is skipped; without, it ends at the log's end. Records read
 * but not handed out when it closes are read again by the next source (from the last chunk's position).
 */
export function recordChunks(log: Log, topic: string, partition: number, start: ReadStart, follow: boolean, signal?: AbortSignal): ChunkSource {
  const stop = new AbortController();
  const ended = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const it = log.read(topic, partition, start, { maxRecords: READ_BATCH, follow, signal: ended })[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<LogRecord[]>> | undefined;
  let buffered: LogRecord[] = [];
  return {
    async next(maxRecords, waitMs) {
      if (buffered.length === 0) {
        pending ??= it.next();
        const step = await raceTimer(pending, waitMs);
        if (step === 'timeout') return undefined;
        pending = undefined;
        if (step.done) return undefined;
        buffered = step.value;
        if (buffered.length === 0) return undefined;
      }
      const records = buffered.slice(0, maxRecords);
      buffered = buffered.slice(records.length);
      let lines = '';
      let maxTimestamp = records[0].timestamp;
      for (const r of records) {
        lines += `${r.value}\n`;
        if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
      }
      const last = records[records.length - 1];
      return {
        count: records.length,
        firstOffset: records[0].offset,
        lastOffset: last.offset,
        lastPosition: last.position,
        firstTimestamp: records[0].timestamp,
        maxTimestamp,
        lines,
        records,
      };
    },
    async records(chunk) {
      return chunk.records ?? [];
    },
    async close() {
      stop.abort(); // ends a read waiting at the end, so the return below is not queued behind it
      await pending?.catch(() => undefined);
      await it.return?.();
    },
  };
}

/** `p`, or 'timeout' after `ms` (0: whatever has settled by the next timer turn). */
async function raceTimer<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
