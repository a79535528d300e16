import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Log, LogRecord, ReadStart } from '../../log/log.js';

interface Shard {
  readonly partition: number;
  readonly iter: AsyncIterator<LogRecord[]>;
  /** The one batch read ahead (or what is left of it) and where its unread part starts. */
  buffer: LogRecord[];
  head: number;
  pending: Promise<void> | undefined;
  done: boolean;
  error: unknown;
}

export interface ShardReaderOptions {
  /** Records per log read; a shard never holds more than one read ahead. */
  maxRecords: number;
  signal: AbortSignal;
}

/**
 * Every shard of one stream read as the Log's async iterables, merged into micro-batches. The
 * back-pressure is the iterables': a shard's next batch is asked for only once its previous one
 * has been taken, so at most one read per shard is ever held ahead of the writer.
 */
export class ShardReader {
  private readonly shards: Shard[];
  private readonly abort = new AbortController();
  private rotate = 0;

  constructor(log: Log, topic: string, starts: ReadonlyMap<number, ReadStart>, opts: ShardReaderOptions) {
    const signal = AbortSignal.any([opts.signal, this.abort.signal]);
    this.shards = [...starts].map(([partition, start]) => ({
      partition,
      iter: log.read(topic, partition, start, { maxRecords: opts.maxRecords, follow: true, signal })[Symbol.asyncIterator](),
      buffer: [],
      head: 0,
      pending: undefined,
      done: false,
      error: undefined,
    }));
  }

  private kick(s: Shard): void {
    s.pending = s.iter.next().then(
      (r) => {
        if (r.done) s.done = true;
        else {
          s.buffer = r.value;
          s.head = 0;
        }
        s.pending = undefined;
      },
      (err: unknown) => {
        s.error = err;
        s.pending = undefined;
      },
    );
  }

  /**
   * Up to `max` records that are there now, oldest first within each shard, shards taken in
   * turn. Throws the error of a shard's read. Returns an empty batch when nothing is waiting.
   */
  async take(max: number): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for (let round = 0; round < 4 && out.length < max; round++) {
      for (const s of this.shards) if (!s.done && !s.pending && s.head >= s.buffer.length) this.kick(s);
      await nextTurn(); // reads that can answer at once (the sqlite log's) have settled now
      let moved = false;
      const n = this.shards.length;
      for (let i = 0; i < n && out.length < max; i++) {
        const s = this.shards[(this.rotate + i) % n];
        if (s.error !== undefined) throw s.error;
        while (s.head < s.buffer.length && out.length < max) {
          out.push(s.buffer[s.head++]);
          moved = true;
        }
        if (s.head >= s.buffer.length) s.buffer = [];
      }
      this.rotate = (this.rotate + 1) % Math.max(1, n);
      if (!moved) break;
    }
    return out;
  }

  /** True once every shard's read has ended (after an abort or the log's close). */
  get ended(): boolean {
    return this.shards.every((s) => s.done);
  }

  /** Resolves when a shard has records waiting (or failed, or ended). */
  async ready(): Promise<void> {
    if (this.shards.some((s) => s.head < s.buffer.length || s.error !== undefined)) return;
    const pending = this.shards.map((s) => s.pending).filter((p) => p !== undefined);
    if (pending.length > 0) await Promise.race(pending);
  }

  /** Stop every read; resolves once the iterators have ended. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.shards.map((s) => (s.pending ?? Promise.resolve()).then(() => s.iter.return?.()).catch(() => undefined)));
  }
}

/** Wait for `ready` or `ms`, whichever comes first, leaving no timer behind. */
export async function idle(ready: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
