import { setTimeout as sleep } from 'node:timers/promises';
import { streamNames } from '../../core/config.js';
import { rootLogger, type Logger } from '../../core/logger.js';
import type { ObjectStore } from '../../lake/object-store.js';
import type { Log } from '../../log/log.js';
import { RECORD_KINDS, type RecordKind } from '../../transforms/index.js';
import { KindStream, type StreamConfig } from './kind-stream.js';
import { streamMetrics as m } from './stream-metrics.js';
import { kindStatus, type StreamJobStatus } from './stream-job-status.js';
import { streamAppId, streamTableKeys } from './stream-tables.js';
import { TableMaintenance } from './table-maintenance.js';

export interface StreamJobOptions {
  log: Log;
  /** The lake: tables go under `tables/`. */
  store: ObjectStore;
  prefix: string;
  config: StreamConfig;
  logger?: Logger;
  /** Record kinds to run (default all three). */
  kinds?: readonly RecordKind[];
}

/**
 * The speed layer's stream job (docs/data.md §7): `streaming-<prefix>-pin|geo|user` → the
 * `<prefix>_*_table` Delta tables in micro-batches, exactly once, each stream on its own loop
 * and DuckDB, with background compaction and vacuum.
 * @example const job = new StreamJob({ log, store, prefix: 'pinterest', config: cfg.stream }); await job.start(); … await job.stop();
 */
export class StreamJob {
  readonly streams: ReadonlyMap<RecordKind, KindStream>;
  readonly maintenance: TableMaintenance;
  private readonly abort = new AbortController();
  private readonly logger: Logger;
  private loops: Promise<void>[] = [];
  private lagTimer: NodeJS.Timeout | undefined;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly o: StreamJobOptions) {
    this.logger = o.logger ?? rootLogger().child({ component: 'stream' });
    const names = streamNames(o.prefix);
    const keys = streamTableKeys(o.prefix);
    const kinds = o.kinds ?? RECORD_KINDS;
    // The rejects table's checkpoints are not kept: a missing one is harmless (see KindStream.recover).
    const checkpoints = Object.fromEntries(kinds.map((k) => [keys[k], [streamAppId(o.config.jobId, k, 'clean')]]));
    this.maintenance = new TableMaintenance({
      store: o.store,
      tables: [...kinds.map((k) => keys[k]), keys.rejects],
      checkpoints,
      config: o.config,
      logger: this.logger,
    });
    this.streams = new Map(
      kinds.map((kind) => [
        kind,
        new KindStream({
          kind,
          stream: names[kind],
          log: o.log,
          store: o.store,
          tableKey: keys[kind],
          rejectsKey: keys.rejects,
          config: o.config,
          logger: this.logger,
          onCommit: (table) => this.maintenance.noteCommit(table),
        }),
      ]),
    );
  }

  /** Create missing streams and tables, then start every stream's loop (returns once they run). */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('StreamJob.start() may be called once');
    this.state = 'running';
    for (const s of this.streams.values()) await s.open(); // one at a time: the shared rejects table is created once
    this.maintenance.start();
    this.loops = [...this.streams.values()].map((s) => s.run(this.abort.signal));
    this.lagTimer = setInterval(() => void this.updateLag(), 1000);
    this.lagTimer.unref();
    this.logger.info({ streams: [...this.streams.keys()].map((k) => streamNames(this.o.prefix)[k]) }, 'stream job started');
  }

  /** Stop reading, let in-flight micro-batches finish and commit what they processed, stop maintenance. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.abort.abort();
    await Promise.all(this.loops);
    await this.maintenance.stop();
    for (const s of this.streams.values()) await s.close();
    this.logger.info('stream job stopped');
  }

  /** Resolve once every stream has processed what its log held when this was called (or reject after `timeoutMs`). */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    const { log } = this.o;
    const targets = new Map<RecordKind, Map<number, string>>();
    for (const kind of this.streams.keys()) {
      const stream = streamNames(this.o.prefix)[kind];
      const info = await log.describeTopic(stream);
      const ends = new Map<number, string>();
      for (let p = 0; p < (info?.partitions ?? 0); p++) {
        const last = await log.lastPosition(stream, p);
        if (last !== undefined) ends.set(p, last);
      }
      targets.set(kind, ends);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = [...this.streams].some(([kind, s]) => {
        const done = s.processedPositions;
        return [...targets.get(kind)!].some(([p, last]) => {
          const at = done.get(p);
          return at === undefined || log.comparePositions(at, last) < 0;
        });
      });
      if (!behind) return;
      if (Date.now() > deadline) throw new Error(`stream job not caught up after ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** For /health: per stream, batches, records, failures and the last batch. */
  health(): Record<string, unknown> {
    return {
      state: this.state,
      streams: Object.fromEntries([...this.streams].map(([k, s]) => [k, { ...s.stats }])),
    };
  }

  /** The job's live state as data: each stream's log end, progress, lag, last micro-batch, latency and counts. */
  async status(): Promise<StreamJobStatus> {
    const streams = [];
    for (const [kind, s] of this.streams) streams.push(await kindStatus(kind, s));
    return { state: this.state, streams };
  }

  private async updateLag(): Promise<void> {
    for (const [kind, s] of this.streams) {
      try {
        m.lag.set({ stream: streamNames(this.o.prefix)[kind] }, await s.lag());
      } catch {
        // the log is closing or the stream is gone: the next tick will tell
      }
    }
  }
}
