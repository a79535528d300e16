import { isValidTopicName } from '../../core/names.js';
import type { Logger } from '../../core/logger.js';
import type { OffsetLog } from '../../log/log.js';
import type { ObjectStore } from '../object-store.js';
import { PartitionWriter } from './partition-writer.js';
import { readSinkProgress, SINK_GROUP, type SinkStatus } from './sink-status.js';

export interface LakeSinkOptions {
  /** The topics' log: the lake's object names carry its offsets. */
  log: OffsetLog;
  store: ObjectStore;
  /** Regular expression (whole-name match) of the topics to copy. */
  topicsRegex: string;
  flushSize: number;
  rotateIntervalMs: number;
  topicScanIntervalMs: number;
  /** Consumer group holding the sink's positions. */
  group?: string;
  commitIntervalMs?: number;
  /** A partition's writer stops after this long without records; the next scan restarts it when records arrive (default 5 s). */
  idlePartitionMs?: number;
  logger: Logger;
}

/** One partition the sink copies: its writer, and whether a turn of it is running. */
interface Slot {
  readonly topic: string;
  readonly partition: number;
  writer: PartitionWriter;
  started: boolean;
  /** The running turn (start + pump), if any. */
  turn: Promise<void> | undefined;
  /** The last failure, while the partition is failing; retried at `retryAt`. */
  error: Error | undefined;
  failures: number;
  retryAt: number;
}

/** Longest pause before a failing partition is tried again. */
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * The lake sink: copies every partition of every topic matching the pattern. A partition's writer
 * runs only while records arrive: after `idlePartitionMs` without any it stops, and the scan
 * (every `topicScanIntervalMs`) starts it again when the log has records past it or its open
 * object is due to close — so the work follows the active partitions, not the number of topics.
 * `stop()` drains every partition, flushes every open object and commits.
 */
export class LakeSink {
  private readonly abort = new AbortController();
  private readonly slots = new Map<string, Slot>();
  private readonly pattern: RegExp;
  private readonly skipped = new Set<string>();
  private scanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private failures = 0;
  private lastFailureAt = 0;

  constructor(private readonly o: LakeSinkOptions) {
    this.pattern = new RegExp(`^(?:${o.topicsRegex})$`);
  }

  /** Begin copying; resolves after the first topic scan. */
  async start(): Promise<void> {
    await this.scan();
    this.scanTimer = setInterval(() => {
      this.scanning ??= this.scan()
        .catch((err: unknown) => this.o.logger.warn({ err }, 'lake sink scan failed; trying again on the next one'))
        .finally(() => (this.scanning = undefined));
    }, this.o.topicScanIntervalMs);
  }

  /** Find new partitions and start the writers that have work. */
  private async scan(): Promise<void> {
    if (this.abort.signal.aborted) return;
    const seen = new Set<string>();
    for (const t of await this.o.log.listTopics()) {
      if (!this.pattern.test(t.name)) continue;
      if (!isValidTopicName(t.name)) {
        // Another client created it (the API refuses such names): its object names would not fit a file name.
        if (!this.skipped.has(t.name)) this.o.logger.error({ topic: t.name }, 'lake sink skips a topic whose name is too long for lake object names');
        this.skipped.add(t.name);
        continue;
      }
      for (let p = 0; p < t.partitions; p++) {
        const id = `${t.name}/${p}`;
        seen.add(id);
        const slot = this.slots.get(id) ?? this.newSlot(id, t.name, p);
        if (slot.turn === undefined && (await this.hasWork(slot))) this.run(slot);
      }
    }
    for (const [id, slot] of this.slots) if (!seen.has(id) && slot.turn === undefined) this.slots.delete(id); // deleted topics
  }

  private newSlot(id: string, topic: string, partition: number): Slot {
    const slot: Slot = { topic, partition, writer: this.writer(topic, partition), started: false, turn: undefined, error: undefined, failures: 0, retryAt: 0 };
    this.slots.set(id, slot);
    return slot;
  }

  private writer(topic: string, partition: number): PartitionWriter {
    return new PartitionWriter({
      log: this.o.log,
      store: this.o.store,
      topic,
      partition,
      group: this.o.group ?? SINK_GROUP,
      flushSize: this.o.flushSize,
      rotateIntervalMs: this.o.rotateIntervalMs,
      commitIntervalMs: this.o.commitIntervalMs ?? 200,
      logger: this.o.logger,
    });
  }

  /** Whether a stopped writer should run: never started, due for a retry, records past it, or its open object due to close. */
  private async hasWork(slot: Slot): Promise<boolean> {
    if (slot.error) return Date.now() >= slot.retryAt;
    if (!slot.started) return true;
    if ((slot.writer.rotationDueAt ?? Infinity) <= Date.now()) return true;
    return (await this.o.log.offsets(slot.topic, slot.partition)).end > slot.writer.readOffset;
  }

  /** Run one turn of a slot's writer; a failure is logged, shown in health, and retried with a growing pause by a new writer. */
  private run(slot: Slot): void {
    const { writer } = slot;
    slot.turn = (async () => {
      if (!slot.started) {
        await writer.start();
        slot.started = true;
      }
      await writer.pump(this.abort.signal, this.o.idlePartitionMs ?? 5000);
      slot.error = undefined;
      slot.failures = 0;
    })()
      .catch((err: unknown) => {
        this.failures++;
        this.lastFailureAt = Date.now();
        slot.failures++;
        slot.error = err instanceof Error ? err : new Error(String(err));
        const delay = Math.min(MAX_RETRY_DELAY_MS, this.o.topicScanIntervalMs * 2 ** (slot.failures - 1));
        slot.retryAt = Date.now() + delay;
        this.o.logger.error({ err, topic: slot.topic, partition: slot.partition, retryInMs: delay }, 'lake sink partition failed; it will be retried');
        // The next turn starts afresh from the lake and the committed position (what was in memory is not in the lake yet).
        slot.writer = this.writer(slot.topic, slot.partition);
        slot.started = false;
      })
      .finally(() => (slot.turn = undefined));
  }

  /** Records written into the lake by this process. */
  get recordsWritten(): number {
    let n = 0;
    for (const { writer } of this.slots.values()) n += writer.written;
    return n;
  }

  /** Partitions failing now, with the last error of each. */
  failing(): { topic: string; partition: number; error: string }[] {
    return [...this.slots.values()].filter((s) => s.error).map((s) => ({ topic: s.topic, partition: s.partition, error: s.error!.message }));
  }

  health(): Record<string, unknown> {
    const active = [...this.slots.values()].filter((s) => s.turn !== undefined).length;
    return { partitions: this.slots.size, active, recordsWritten: this.recordsWritten, failures: this.failures, failing: this.failing() };
  }

  /** The sink's progress as data: per partition log end, records in the lake and lag, and this process's counters. */
  async status(): Promise<SinkStatus> {
    const group = this.o.group ?? SINK_GROUP;
    const partitions = await readSinkProgress(this.o.log, this.o.topicsRegex, group);
    const lag = partitions.reduce((n, p) => n + p.lag, 0);
    return { state: 'running', group, partitions, lag, recordsWritten: this.recordsWritten, failures: this.failures, lastFailureAt: this.lastFailureAt };
  }

  /** Stop reading, drain every partition into the lake, flush open objects, commit positions. */
  async stop(): Promise<void> {
    clearInterval(this.scanTimer);
    this.abort.abort();
    await this.scanning;
    await Promise.all([...this.slots.values()].map((s) => s.turn));
    await Promise.all(
      [...this.slots.values()]
        .filter((s) => !s.error)
        .map(async (s) => {
          try {
            if (!s.started) await s.writer.start();
            await s.writer.finish();
          } catch (err) {
            this.o.logger.error({ err, topic: s.topic, partition: s.partition }, 'lake sink could not drain a partition on stop; it resumes on the next start');
          }
        }),
    );
  }
}
