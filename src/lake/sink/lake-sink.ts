import type { Logger } from '../../core/logger.js';
import type { Log } from '../../log/log.js';
import type { ObjectStore } from '../object-store.js';
import { PartitionWriter } from './partition-writer.js';
import { readSinkProgress, SINK_GROUP, type SinkStatus } from './sink-status.js';

export interface LakeSinkOptions {
  log: Log;
  store: ObjectStore;
  /** Regular expression (whole-name match) of the topics to copy. */
  topicsRegex: string;
  flushSize: number;
  rotateIntervalMs: number;
  topicScanIntervalMs: number;
  /** Consumer group holding the sink's positions. */
  group?: string;
  commitIntervalMs?: number;
  logger: Logger;
}

/**
 * The lake sink: one PartitionWriter per partition of every topic matching the pattern, found
 * again every `topicScanIntervalMs`. `stop()` flushes every open object and commits.
 */
export class LakeSink {
  private readonly abort = new AbortController();
  private readonly writers = new Map<string, { writer: PartitionWriter; done: Promise<void> }>();
  private readonly pattern: RegExp;
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
      this.scanning ??= this.scan().finally(() => (this.scanning = undefined));
    }, this.o.topicScanIntervalMs);
  }

  private async scan(): Promise<void> {
    if (this.abort.signal.aborted) return;
    for (const t of await this.o.log.listTopics()) {
      if (!this.pattern.test(t.name)) continue;
      for (let p = 0; p < t.partitions; p++) {
        const id = `${t.name}/${p}`;
        if (this.writers.has(id)) continue;
        const writer = new PartitionWriter({
          log: this.o.log,
          store: this.o.store,
          topic: t.name,
          partition: p,
          group: this.o.group ?? SINK_GROUP,
          flushSize: this.o.flushSize,
          rotateIntervalMs: this.o.rotateIntervalMs,
          commitIntervalMs: this.o.commitIntervalMs ?? 200,
          logger: this.o.logger,
        });
        const done = writer.run(this.abort.signal).catch((err: unknown) => {
          this.failures++;
          this.lastFailureAt = Date.now();
          this.o.logger.error({ err, topic: t.name, partition: p }, 'lake sink partition failed; it will restart on the next scan');
          this.writers.delete(id);
        });
        this.writers.set(id, { writer, done });
      }
    }
  }

  /** Records written into the lake by this process. */
  get recordsWritten(): number {
    let n = 0;
    for (const { writer } of this.writers.values()) n += writer.written;
    return n;
  }

  health(): Record<string, unknown> {
    return { partitions: this.writers.size, recordsWritten: this.recordsWritten, failures: this.failures };
  }

  /** The sink's progress as data: per partition log end, records in the lake and lag, and this process's counters. */
  async status(): Promise<SinkStatus> {
    const group = this.o.group ?? SINK_GROUP;
    const partitions = await readSinkProgress(this.o.log, this.o.topicsRegex, group);
    const lag = partitions.reduce((n, p) => n + p.lag, 0);
    return { state: 'running', group, partitions, lag, recordsWritten: this.recordsWritten, failures: this.failures, lastFailureAt: this.lastFailureAt };
  }

  /** Stop reading, flush open objects, commit positions. */
  async stop(): Promise<void> {
    clearInterval(this.scanTimer);
    this.abort.abort();
    await this.scanning;
    await Promise.all([...this.writers.values()].map((w) => w.done));
  }
}
