import type { Logger } from '../../core/logger.js';
import { counter, gauge } from '../../core/metrics.js';
import type { Log, LogRecord, ReadStart } from '../../log/log.js';
import type { ObjectStore } from '../object-store.js';
import { objectKey, partitionDir, startOffsetOf } from './object-names.js';

const recordsOut = counter('pinpipe_sink_records_total', 'Records written into lake objects', ['topic']);
const objectsOut = counter('pinpipe_sink_objects_total', 'Lake objects written', ['topic']);
const lagGauge = gauge('pinpipe_sink_lag_records', 'Records in the log not yet in the lake', ['topic', 'partition']);

export interface PartitionWriterOptions {
  log: Log;
  store: ObjectStore;
  topic: string;
  partition: number;
  group: string;
  flushSize: number;
  rotateIntervalMs: number;
  /** Commit positions at most this often (objects are the source of truth on recovery). */
  commitIntervalMs: number;
  logger: Logger;
}

/** The object being filled: its lines (strings from the record path, buffers from the lines path) and what names and rotates it. */
interface OpenObject {
  pieces: (string | Buffer)[];
  count: number;
  firstOffset: number;
  firstTimestamp: number;
  /** Wall-clock time it received its first record. */
  openedAt: number;
  last: string;
}

const openObject = (firstOffset: number, firstTimestamp: number): OpenObject => ({
  pieces: [],
  count: 0,
  firstOffset,
  firstTimestamp,
  openedAt: Date.now(),
  last: '',
});

/** An object's body from its pieces: one piece as it is, strings joined, a mix as bytes. */
function joinPieces(pieces: (string | Buffer)[]): string | Buffer {
  if (pieces.length === 1) return pieces[0];
  if (pieces.every((p) => typeof p === 'string')) return pieces.join('');
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** Records read before the objects closed meanwhile are written (together, so their fsyncs overlap). */
const READ_BATCH = 2000;
/** Longest a lines read waits for new records before looking at the idle rotation again. */
const MAX_WAIT_MS = 1000;

/**
 * Copies one log partition into Connect-style lake objects, exactly once: an object is written
 * atomically before the position covering it is committed, and on start the writer resumes after
 * the last object already in the store, whatever the committed position says. Where the log
 * offers `readLines`, the values travel as the log's own UTF-8 bytes, one chunk per object or
 * less (a chunk in which the time window closes is placed record by record).
 */
export class PartitionWriter {
  private open: OpenObject | undefined;
  /** Closed objects not yet written: written together, visible in order. */
  private closed: { key: string; body: string | Buffer; records: number; last: string }[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private lastCommitAt = 0;
  private uncommitted: string | undefined;
  private nextToRead = 0;
  private lastRead: string | undefined;
  written = 0;

  constructor(private readonly o: PartitionWriterOptions) {}

  /** Where to resume: after the later of the committed position and the end of the last object present. */
  async resumePoint(): Promise<ReadStart> {
    const { log, store, topic, partition, group } = this.o;
    const committed = (await log.fetchPositions(group, topic)).get(partition);
    let lastStart = -1;
    let lastKey = '';
    for (const obj of await store.list(partitionDir(topic, partition))) {
      const start = startOffsetOf(obj.key, topic, partition);
      if (start !== undefined && start > lastStart) [lastStart, lastKey] = [start, obj.key];
    }
    let resumeAfter = committed === undefined ? -1 : Number(committed);
    if (lastStart > resumeAfter) {
      const body = await store.get(lastKey);
      let lines = 0;
      for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
      resumeAfter = lastStart + lines - 1;
      this.o.logger.info({ topic, partition, committed, resumeAfter }, 'recovered sink position from lake objects');
      await log.commitPositions(group, [{ topic, partition, position: String(resumeAfter) }]);
    }
    return resumeAfter < 0 ? { kind: 'earliest' } : { kind: 'after', position: String(resumeAfter) };
  }

  /**
   * Copy records until `signal` aborts; then drain what the log holds at that moment (the API
   * has stopped accepting by then), flush the open object and commit.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { log, topic, partition } = this.o;
    const start = await this.resumePoint();
    if (log.readLines) {
      // Logs offering readLines have offsets for positions.
      this.nextToRead = start.kind === 'after' ? Number(start.position) + 1 : 0;
      await this.copyLines(signal, true);
      await this.copyLines(signal, false);
    } else {
      await this.copyRecords(log.read(topic, partition, start, { maxRecords: READ_BATCH, signal }), true);
      const drainFrom: ReadStart = this.lastRead === undefined ? start : { kind: 'after', position: this.lastRead };
      await this.copyRecords(log.read(topic, partition, drainFrom, { maxRecords: READ_BATCH, follow: false }), false);
    }
    await this.flush();
    await this.maybeCommit(true);
  }

  /** The record path: every log. */
  private async copyRecords(batches: AsyncIterable<LogRecord[]>, idleRotation: boolean): Promise<void> {
    const { rotateIntervalMs } = this.o;
    const it = batches[Symbol.asyncIterator]();
    let pending = it.next();
    try {
      for (;;) {
        // An idle open object is closed rotateIntervalMs after it was opened (wall clock), like
        // Connect's rotate.schedule.interval.ms; busy objects rotate on record timestamps below.
        const timerMs = idleRotation && this.open && rotateIntervalMs > 0 ? Math.max(0, this.open.openedAt + rotateIntervalMs - Date.now()) : undefined;
        const step = await raceTimer(pending, timerMs);
        if (step === 'timeout') {
          await this.flush();
          continue;
        }
        if (step.done) break;
        pending = it.next();
        this.addRecords(step.value);
        await this.write();
        await this.maybeCommit(false);
      }
    } finally {
      await it.return?.();
    }
  }

  /** Place records one by one: rotation on record timestamps and on flushSize. */
  private addRecords(records: readonly LogRecord[]): void {
    if (records.length === 0) return;
    const { flushSize, rotateIntervalMs } = this.o;
    this.nextToRead = records[records.length - 1].offset + 1;
    this.lastRead = records[records.length - 1].position;
    for (const r of records) {
      if (this.open && rotateIntervalMs > 0 && r.timestamp - this.open.firstTimestamp >= rotateIntervalMs) this.close();
      const o = (this.open ??= openObject(r.offset, r.timestamp));
      o.pieces.push(`${r.value}\n`);
      o.count++;
      o.last = r.position;
      if (o.count >= flushSize) this.close();
    }
  }

  /**
   * The lines path: read chunks of at most what the open object still takes, up to READ_BATCH
   * records (waiting only for the first), then write what closed. `follow`: until `signal`
   * aborts, closing an idle object on the wall clock; else until the log has no more.
   */
  private async copyLines(signal: AbortSignal, follow: boolean): Promise<void> {
    const { log, topic, partition, flushSize, rotateIntervalMs } = this.o;
    const readLines = log.readLines!.bind(log);
    while (!follow || !signal.aborted) {
      let read = 0;
      while (read < READ_BATCH) {
        const idleDue = this.open && rotateIntervalMs > 0 ? this.open.openedAt + rotateIntervalMs - Date.now() : MAX_WAIT_MS;
        const waitMs = follow && read === 0 ? Math.max(0, Math.min(MAX_WAIT_MS, idleDue)) : 0;
        const chunk = await readLines(topic, partition, this.nextToRead, {
          maxRecords: flushSize - (this.open?.count ?? 0),
          waitMs,
          signal: follow ? signal : undefined,
        });
        if (!chunk) break;
        read += chunk.count;
        const windowStart = this.open?.firstTimestamp ?? chunk.firstTimestamp;
        if (rotateIntervalMs > 0 && chunk.maxTimestamp - windowStart >= rotateIntervalMs) {
          // The time window closes inside this chunk: place its records one by one.
          const exact = { kind: 'at', position: String(chunk.firstOffset) } as const;
          for await (const records of log.read(topic, partition, exact, { maxRecords: chunk.count, follow: false })) {
            this.addRecords(records.filter((r) => r.offset <= chunk.lastOffset));
            if (records[records.length - 1].offset >= chunk.lastOffset) break;
          }
          continue;
        }
        const o = (this.open ??= openObject(chunk.firstOffset, chunk.firstTimestamp));
        o.pieces.push(chunk.lines);
        o.count += chunk.count;
        o.last = String(chunk.lastOffset);
        this.nextToRead = chunk.lastOffset + 1;
        this.lastRead = o.last;
        if (o.count >= flushSize) this.close();
      }
      if (!follow && read === 0) break;
      if (follow && read === 0 && this.open && rotateIntervalMs > 0 && Date.now() >= this.open.openedAt + rotateIntervalMs) this.close();
      await this.write();
      await this.maybeCommit(false);
    }
  }

  /** Close the open object (it is written by the next `write`). */
  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    const { topic, partition } = this.o;
    this.closed.push({ key: objectKey(topic, partition, o.firstOffset), body: joinPieces(o.pieces), records: o.count, last: o.last });
  }

  /**
   * Start writing every closed object (in order, after the previous write) and wait only for
   * the previous write: one write overlaps the next read. A commit covers only what has landed.
   */
  private async write(): Promise<void> {
    if (this.closed.length === 0) return;
    const objects = this.closed;
    this.closed = [];
    const previous = this.inflight;
    this.inflight = previous.then(() => this.writeObjects(objects));
    this.inflight.catch(() => undefined); // observed by the next await of `inflight`
    await previous;
  }

  private async writeObjects(objects: { key: string; body: string | Buffer; records: number; last: string }[]): Promise<void> {
    const { store, topic } = this.o;
    if (store.putAll) await store.putAll(objects);
    else for (const o of objects) await store.put(o.key, o.body);
    const n = objects.reduce((sum, o) => sum + o.records, 0);
    this.written += n;
    recordsOut.inc({ topic }, n);
    objectsOut.inc({ topic }, objects.length);
    this.uncommitted = objects[objects.length - 1].last;
  }

  /** Close the open object and write everything closed. */
  private async flush(): Promise<void> {
    this.close();
    await this.write();
    await this.inflight;
  }

  private async maybeCommit(force: boolean): Promise<void> {
    if (this.uncommitted === undefined) return;
    if (!force && Date.now() - this.lastCommitAt < this.o.commitIntervalMs) return;
    const position = this.uncommitted;
    this.uncommitted = undefined;
    this.lastCommitAt = Date.now();
    const { log, group, topic, partition } = this.o;
    await log.commitPositions(group, [{ topic, partition, position }]);
    const end = (await log.bounds(topic, partition)).nextOffset;
    lagGauge.set({ topic, partition: String(partition) }, Math.max(0, end - this.nextToRead + (this.open?.count ?? 0)));
  }
}

async function raceTimer<T>(p: Promise<T>, ms: number | undefined): Promise<T | 'timeout'> {
  if (ms === undefined) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
