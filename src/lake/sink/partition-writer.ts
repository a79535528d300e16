import { PinpipeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { counter, gauge } from '../../core/metrics.js';
import type { LogRecord, OffsetLog, ReadStart } from '../../log/log.js';
import type { ObjectStore } from '../object-store.js';
import { lineChunks, type Chunk, type ChunkSource } from './chunk-source.js';
import { objectKey, partitionDir, startOffsetOf } from './object-names.js';

const recordsOut = counter('pinpipe_sink_records_total', 'Records written into lake objects', ['topic']);
const objectsOut = counter('pinpipe_sink_objects_total', 'Lake objects written', ['topic']);
const lagGauge = gauge('pinpipe_sink_lag_records', 'Records in the log not yet in the lake', ['topic', 'partition']);

export interface PartitionWriterOptions {
  /** The topics' log: object names carry its offsets. */
  log: OffsetLog;
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

/** The object being filled: its lines, and what names and rotates it. */
interface OpenObject {
  pieces: (string | Buffer)[];
  count: number;
  firstOffset: number;
  firstTimestamp: number;
  /** Wall-clock time it received its first record. */
  openedAt: number;
  last: string;
}

interface ClosedObject {
  key: string;
  body: string | Buffer;
  records: number;
  last: string;
}

/** An object's body from its pieces: one piece as it is, strings joined, a mix as bytes. */
function joinPieces(pieces: (string | Buffer)[]): string | Buffer {
  if (pieces.length === 1) return pieces[0];
  if (pieces.every((p) => typeof p === 'string')) return pieces.join('');
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** Records read before the objects closed meanwhile are written (together, so their fsyncs overlap). */
const READ_BATCH = 2000;
/** Longest a read waits for new records before looking at the idle rotation again. */
const MAX_WAIT_MS = 1000;

/**
 * Copies one log partition into Connect-style lake objects, exactly once: an object is written
 * atomically before the position covering it is committed, and on start the writer resumes after
 * the last object already in the store, whatever the committed position says. One copy loop
 * places chunks of records (the log's own UTF-8 lines, `readLines`) into objects; a chunk in which an object's time window closes is placed record by record.
 * The writer runs in turns (`pump`): a turn ends when the partition has been idle for a while,
 * and the sink starts another when records arrive or the open object is due to close.
 */
export class PartitionWriter {
  private open: OpenObject | undefined;
  /** Closed objects not yet written: written together, visible in order. */
  private closed: ClosedObject[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private lastCommitAt = 0;
  private uncommitted: string | undefined;
  /** The offset the next read starts at. */
  private nextOffset = 0;
  written = 0;

  constructor(private readonly o: PartitionWriterOptions) {}

  /** The log offset the writer reads next (after `start`). */
  get readOffset(): number {
    return this.nextOffset;
  }

  /** Wall-clock time at which the open object must close although no record came (undefined: nothing is open). */
  get rotationDueAt(): number | undefined {
    return this.open && this.o.rotateIntervalMs > 0 ? this.open.openedAt + this.o.rotateIntervalMs : undefined;
  }

  /**
   * Where to resume: after the later of the committed position and the end of the last object
   * present. SINK_LAKE_AHEAD when the lake holds offsets the log has not reached: records the log
   * acknowledges next would get offsets the lake already holds (the log was replaced or reset).
   */
  async resumePoint(): Promise<ReadStart> {
    const { log, store, topic, partition, group } = this.o;
    const committed = (await log.fetchPositions(group, topic)).get(partition);
    let lastStart = -1;
    let lastKey = '';
    for (const obj of await store.list(partitionDir(topic, partition))) {
      const start = startOffsetOf(obj.key, topic, partition);
      if (start !== undefined && start > lastStart) [lastStart, lastKey] = [start, obj.key];
    }
    let resumeAfter = committed === undefined ? -1 : log.offsetOf(committed);
    if (lastStart > resumeAfter) {
      const body = await store.get(lastKey);
      let lines = 0;
      for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
      const lakeEnd = lastStart + lines - 1;
      const logNext = (await log.offsets(topic, partition)).end;
      if (lakeEnd >= logNext) {
        throw new PinpipeError(
          'SINK_LAKE_AHEAD',
          `The lake holds ${topic} partition ${partition} up to offset ${lakeEnd} (${lastKey}), but the log's next offset is ${logNext}: ` +
            `records acknowledged from now on would get offsets the lake already holds. Move ${partitionDir(topic, partition)} out of the lake, then restart the sink.`,
        );
      }
      resumeAfter = lakeEnd;
      this.o.logger.info({ topic, partition, committed, resumeAfter }, 'recovered sink position from lake objects');
      await log.commitPositions(group, [{ topic, partition, position: log.positionAt(resumeAfter) }]);
    }
    return resumeAfter < 0 ? { kind: 'earliest' } : { kind: 'after', position: log.positionAt(resumeAfter) };
  }

  /** Find where to resume; call once before the first `pump`. */
  async start(): Promise<void> {
    const start = await this.resumePoint();
    this.nextOffset = start.kind === 'after' ? this.o.log.offsetOf(start.position) + 1 : (await this.o.log.offsets(this.o.topic, this.o.partition)).start;
  }

  /** One turn: copy records as they come until `signal` aborts or the partition has been idle for `idleMs`; written objects are committed. */
  async pump(signal: AbortSignal, idleMs: number): Promise<void> {
    const source = this.source(signal);
    try {
      await this.copy(source, true, signal, idleMs);
    } finally {
      await source.close();
    }
    await this.inflight;
    await this.maybeCommit(true);
  }

  /** Drain what the log holds now (the API has stopped accepting by then), flush the open object and commit. */
  async finish(): Promise<void> {
    const source = this.source();
    try {
      await this.copy(source, false);
    } finally {
      await source.close();
    }
    await this.flush();
    await this.maybeCommit(true);
  }

  private source(signal?: AbortSignal): ChunkSource {
    const { log, topic, partition } = this.o;
    return lineChunks(log, topic, partition, this.nextOffset, signal);
  }

  /**
   * The copy loop: read chunks of at most what the open object still takes, up to READ_BATCH
   * records (waiting only for the first), then write what closed. `follow`: until `signal`
   * aborts or nothing came for `idleMs`, closing an idle object on the wall clock; else until the
   * log has no more.
   */
  private async copy(source: ChunkSource, follow: boolean, signal?: AbortSignal, idleMs = Infinity): Promise<void> {
    const { flushSize } = this.o;
    let idleSince = Date.now();
    while (!signal?.aborted) {
      let read = 0;
      while (read < READ_BATCH) {
        const due = this.rotationDueAt;
        const waitMs = follow && read === 0 ? Math.max(0, Math.min(MAX_WAIT_MS, due === undefined ? MAX_WAIT_MS : due - Date.now())) : 0;
        const chunk = await source.next(flushSize - (this.open?.count ?? 0), waitMs);
        if (!chunk) break;
        read += chunk.count;
        await this.place(chunk, source);
      }
      if (read > 0) idleSince = Date.now();
      else if (!follow) break;
      else if ((this.rotationDueAt ?? Infinity) <= Date.now()) this.close();
      await this.write();
      await this.maybeCommit(false);
      if (read === 0 && Date.now() - idleSince >= idleMs) break;
    }
  }

  /** Add a chunk to the open object; where the object's time window closes inside it, record by record. */
  private async place(chunk: Chunk, source: ChunkSource): Promise<void> {
    const { flushSize, rotateIntervalMs } = this.o;
    const windowStart = this.open?.firstTimestamp ?? chunk.firstTimestamp;
    if (rotateIntervalMs > 0 && chunk.maxTimestamp - windowStart >= rotateIntervalMs) {
      for (const r of await source.records(chunk)) this.placeRecord(r);
    } else {
      const o = (this.open ??= this.openObject(chunk.firstOffset, chunk.firstTimestamp));
      o.pieces.push(chunk.lines);
      o.count += chunk.count;
      o.last = chunk.lastPosition;
      if (o.count >= flushSize) this.close();
    }
    this.nextOffset = chunk.lastOffset + 1;
  }

  /** Place one record: rotation on record timestamps and on flushSize. */
  private placeRecord(r: LogRecord): void {
    const { flushSize, rotateIntervalMs } = this.o;
    if (this.open && rotateIntervalMs > 0 && r.timestamp - this.open.firstTimestamp >= rotateIntervalMs) this.close();
    const o = (this.open ??= this.openObject(this.o.log.offsetOf(r.position), r.timestamp));
    o.pieces.push(`${r.value}\n`);
    o.count++;
    o.last = r.position;
    if (o.count >= flushSize) this.close();
  }

  private openObject(firstOffset: number, firstTimestamp: number): OpenObject {
    return { pieces: [], count: 0, firstOffset, firstTimestamp, openedAt: Date.now(), last: '' };
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

  private async writeObjects(objects: ClosedObject[]): Promise<void> {
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
    const end = (await log.offsets(topic, partition)).end;
    lagGauge.set({ topic, partition: String(partition) }, Math.max(0, end - this.nextOffset + (this.open?.count ?? 0)));
  }
}
