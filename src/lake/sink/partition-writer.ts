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

/**
 * Copies one log partition into Connect-style lake objects, exactly once: an object is written
 * atomically before the position covering it is committed, and on start the writer resumes after
 * the last object already in the store, whatever the committed position says.
 */
export class PartitionWriter {
  private buffer: LogRecord[] = [];
  /** Closed objects not yet written: written together, visible in order. */
  private closed: { key: string; body: string; records: number; last: string }[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private lastCommitAt = 0;
  private uncommitted: string | undefined;
  private nextToRead = 0;
  private lastRead: string | undefined;
  /** Wall-clock time the open object received its first record. */
  private openedAt = 0;
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
    const { log, topic, partition, flushSize } = this.o;
    const start = await this.resumePoint();
    const maxRecords = 2000; // per read; closed objects of one read are written together
    await this.copy(log.read(topic, partition, start, { maxRecords, signal }), true);
    const drainFrom: ReadStart = this.lastRead === undefined ? start : { kind: 'after', position: this.lastRead };
    await this.copy(log.read(topic, partition, drainFrom, { maxRecords, follow: false }), false);
    await this.flush();
    await this.maybeCommit(true);
  }

  private async copy(batches: AsyncIterable<LogRecord[]>, idleRotation: boolean): Promise<void> {
    const { flushSize, rotateIntervalMs } = this.o;
    const it = batches[Symbol.asyncIterator]();
    let pending = it.next();
    try {
      for (;;) {
        // An idle open object is closed rotateIntervalMs after it was opened (wall clock), like
        // Connect's rotate.schedule.interval.ms; busy objects rotate on record timestamps below.
        const timerMs = idleRotation && this.buffer.length > 0 && rotateIntervalMs > 0 ? Math.max(0, this.openedAt + rotateIntervalMs - Date.now()) : undefined;
        const step = await raceTimer(pending, timerMs);
        if (step === 'timeout') {
          await this.flush();
          continue;
        }
        if (step.done) break;
        pending = it.next();
        const records = step.value;
        if (records.length === 0) continue;
        this.nextToRead = records[records.length - 1].offset + 1;
        this.lastRead = records[records.length - 1].position;
        for (const r of records) {
          if (this.buffer.length > 0 && rotateIntervalMs > 0 && r.timestamp - this.buffer[0].timestamp >= rotateIntervalMs) this.close();
          if (this.buffer.length === 0) this.openedAt = Date.now();
          this.buffer.push(r);
          if (this.buffer.length >= flushSize) this.close();
        }
        await this.write();
        await this.maybeCommit(false);
      }
    } finally {
      await it.return?.();
    }
  }

  /** Close the open object (it is written by the next `write`). */
  private close(): void {
    if (this.buffer.length === 0) return;
    const { topic, partition } = this.o;
    const records = this.buffer;
    this.buffer = [];
    let body = '';
    for (const r of records) body += `${r.value}\n`;
    this.closed.push({ key: objectKey(topic, partition, records[0].offset), body, records: records.length, last: records[records.length - 1].position });
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

  private async writeObjects(objects: { key: string; body: string; records: number; last: string }[]): Promise<void> {
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
    lagGauge.set({ topic, partition: String(partition) }, Math.max(0, end - this.nextToRead + this.buffer.length));
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
