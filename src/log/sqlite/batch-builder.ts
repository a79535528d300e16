import { PinpipeError } from '../../core/errors.js';
import type { AppendRecord, AppendResult } from '../log.js';
import { keyPartition } from '../murmur2.js';
import type { Statements } from './statements.js';
import type { PartState, TopicState } from './topic-registry.js';
import type { AppendColumns } from './writer-protocol.js';

/** One caller's append waiting for the next group commit. */
export interface PendingAppend {
  readonly topic: TopicState;
  readonly records: readonly AppendRecord[];
  resolve(results: AppendResult[]): void;
  reject(err: unknown): void;
  /** Set by `build`: per-record results, or why the whole call failed. */
  outcome?: AppendResult[] | PinpipeError;
}

/**
 * Turns a group-commit batch into rows: picks each record's partition (explicit, Kafka key hash,
 * or the topic's sticky partition) and offset. Offsets advance in `pending` only; `commit` makes
 * them `next` once the rows are durable, `abort` forgets them, so a failed batch leaves no trace.
 */
export class BatchBuilder {
  /** Bumped when partition ends may be stale (a failed write, another process appending): they are re-read. */
  gen = 0;
  private readonly touchedParts: PartState[] = [];
  private readonly touchedTopics: TopicState[] = [];
  /** Bytes of the batch being built already packed into its `bytes`. */
  private packed = 0;

  constructor(private readonly stmts: Statements) {}

  /** The rows of `batch` (undefined when no record is valid), with every caller's outcome set. */
  build(batch: readonly PendingAppend[], now: number): AppendColumns | undefined {
    let total = 0;
    let byteTotal = 0;
    for (const p of batch) {
      total += p.records.length;
      for (const r of p.records) if (r.value instanceof Uint8Array) byteTotal += r.value.byteLength;
    }
    const cols: AppendColumns = {
      count: 0,
      tp: new Float64Array(total),
      off: new Float64Array(total),
      ts: new Float64Array(total),
      key: [],
      value: [],
      bytes: new Uint8Array(byteTotal),
      byteStart: new Float64Array(total),
      byteEnd: new Float64Array(total),
      now,
    };
    this.packed = 0;
    for (const p of batch) {
      const t = p.topic;
      if (t.deleted) {
        p.outcome = new PinpipeError('TOPIC_NOT_FOUND', `Topic ${t.info.name} not found.`);
        continue;
      }
      const out = new Array<AppendResult>(p.records.length);
      for (let i = 0; i < out.length; i++) out[i] = this.add(cols, t, p.records[i], now);
      p.outcome = out;
    }
    return cols.count > 0 ? cols : undefined;
  }

  /** The rows are durable: publish the new partition ends (gauges, waiting readers), count, move sticky partitions on. */
  commit(): void {
    for (const part of this.touchedParts) {
      part.next = part.pending;
      part.pending = -1;
      part.endGauge.set(part.next);
      part.wakeup.notify();
    }
    for (const t of this.touchedTopics) {
      t.appendedCounter.inc(t.batchCount);
      t.batchCount = 0;
      if (t.stickyUsed) t.sticky = (t.sticky + 1) % t.info.partitions;
      t.stickyUsed = false;
    }
    this.touchedParts.length = 0;
    this.touchedTopics.length = 0;
  }

  /** The write failed: forget the batch's offsets and re-read partition ends before the next one. */
  abort(): void {
    for (const part of this.touchedParts) part.pending = -1;
    for (const t of this.touchedTopics) {
      t.batchCount = 0;
      t.stickyUsed = false;
    }
    this.touchedParts.length = 0;
    this.touchedTopics.length = 0;
    this.gen++;
  }

  private add(cols: AppendColumns, t: TopicState, r: AppendRecord, now: number): AppendResult {
    const key = r.key ?? null;
    const ts = r.timestamp ?? now;
    if (
      (typeof r.value !== 'string' && !(r.value instanceof Uint8Array)) ||
      (key !== null && typeof key !== 'string') ||
      typeof ts !== 'number' ||
      !Number.isFinite(ts)
    ) {
      return { error: new PinpipeError('INVALID_RECORD', 'Record value must be text (or its UTF-8 bytes), key text or null, timestamp a number.') };
    }
    const n = t.info.partitions;
    let partition: number;
    if (r.partition !== undefined && r.partition !== null) {
      partition = r.partition;
      if (!Number.isInteger(partition) || partition < 0 || partition >= n) {
        return { error: new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(partition)} of topic ${t.info.name} not found (it has ${n}).`) };
      }
    } else if (key !== null) {
      partition = keyPartition(key, n);
    } else {
      partition = t.sticky;
      t.stickyUsed = true;
    }
    const part = t.parts[partition];
    if (part.pending < 0) {
      if (part.gen !== this.gen) {
        part.next = Math.max(part.next, (this.stmts.lastOffset.get(part.tp) ?? -1) + 1);
        part.gen = this.gen;
      }
      part.pending = part.next;
      this.touchedParts.push(part);
    }
    const off = part.pending++;
    const i = cols.count++;
    cols.tp[i] = part.tp;
    cols.off[i] = off;
    cols.ts[i] = ts;
    cols.key.push(key);
    if (typeof r.value === 'string') {
      cols.value.push(r.value);
    } else {
      cols.value.push(null);
      cols.bytes.set(r.value, this.packed);
      cols.byteStart[i] = this.packed;
      this.packed += r.value.byteLength;
      cols.byteEnd[i] = this.packed;
    }
    if (t.batchCount++ === 0) this.touchedTopics.push(t);
    return { partition, position: String(off) };
  }
}
