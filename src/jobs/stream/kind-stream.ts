import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../core/config.js';
import type { Sql } from '../../core/duckdb.js';
import { isError, PinpipeError } from '../../core/errors.js';
import { withRetry } from '../../core/retry.js';
import type { Logger } from '../../core/logger.js';
import type { DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { hasOffsets, type Log, type LogRecord, type ReadStart } from '../../log/log.js';
import type { RecordKind } from '../../transforms/index.js';
import { KeySet } from './key-set.js';
import { freshQuery, NO_ROWS, rejectsQuery, Staging } from './micro-batch.js';
import { idle, ShardReader } from './shard-reader.js';
import { openStreamDuckDB } from './stream-duckdb.js';
import { alreadyCommitted, batchInfo, COMMIT_INFO_KEY, readCheckpoint, type Cursors } from './stream-checkpoint.js';
import { observeBatch, streamHistograms, streamMetrics as m, type StreamStats } from './stream-metrics.js';
import { openStreamTable, streamAppId } from './stream-tables.js';
import { loadTableKeys } from './table-keys.js';

export type StreamConfig = Config['stream'];

export interface KindStreamOptions {
  kind: RecordKind;
  /** The stream (log topic) read, e.g. `streaming-pinterest-pin`. */
  stream: string;
  log: Log;
  store: ObjectStore;
  /** Lake keys of the kind's table and of the rejects table. */
  tableKey: string;
  rejectsKey: string;
  config: StreamConfig;
  logger: Logger;
  /** Told after every commit this stream makes to a table (drives compaction). */
  onCommit?: (tableKey: string, version: number) => void;
}

/** What one micro-batch did. */
export interface BatchOutcome {
  records: number;
  rows: number;
  duplicates: number;
  rejects: number;
  /** The Delta version committed, or undefined when the batch changed nothing and only advanced positions in memory. */
  version: number | undefined;
}

/**
 * One stream → one table (+ its rejects): reads every shard from the table's checkpoint, cleans
 * each micro-batch with the shared transforms, drops keys the table already holds, and commits
 * the new rows with the positions they cover (txn appId `<jobId>-<kind>`, version = batch id).
 * A failure reloads everything from the tables (the only durable state) and carries on.
 */
export class KindStream {
  readonly stats: StreamStats = {
    batches: 0,
    records: 0,
    rows: 0,
    duplicates: 0,
    rejects: 0,
    commits: 0,
    failures: 0,
    lastBatchAt: 0,
    lastBatchMs: 0,
    lastBatchRecords: 0,
    lastError: '',
    lastErrorAt: 0,
  };
  /** Latency and micro-batch durations as data, for the status API. */
  readonly histograms = streamHistograms();
  private sql: Sql | undefined;
  private staging: Staging | undefined;
  private table!: DeltaTable;
  private rejects!: DeltaTable;
  private keys = KeySet.from(new BigInt64Array(0));
  private batch = -1;
  private rejectsBatch = -1;
  private committed: Cursors = new Map();
  private processed: Cursors = new Map();
  private rejectsUpTo: Cursors = new Map();
  private lastCommitAt = 0;
  /** The last commit of positions to the log's consumer group (after the Delta commit holding them). */
  private groupCommit: Promise<void> = Promise.resolve();
  private partitions = 1;
  private readonly appId: string;
  private readonly rejectsAppId: string;
  readonly labels: { stream: string };

  constructor(private readonly o: KindStreamOptions) {
    this.appId = streamAppId(o.config.jobId, o.kind, 'clean');
    this.rejectsAppId = streamAppId(o.config.jobId, o.kind, 'rejects');
    this.labels = { stream: o.stream };
  }

  /** Create the stream and the tables when missing. */
  async open(): Promise<void> {
    this.sql ??= await openStreamDuckDB(this.o.config.duckdbThreads);
    const opts = { sql: this.sql, retentionMs: this.o.config.historyRetentionMs };
    this.partitions = (await this.o.log.ensureTopic(this.o.stream, { partitions: this.o.config.shards })).partitions;
    this.table = await openStreamTable(this.o.store, this.o.tableKey, this.o.kind, opts);
    this.rejects = await openStreamTable(this.o.store, this.o.rejectsKey, 'rejects', opts);
    this.staging = new Staging(this.sql, this.o.kind);
    await this.staging.prepare();
  }

  /** Process micro-batches until `signal` aborts; then commit the positions still only in memory. */
  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const attempt = async (_n: number, progress: () => void): Promise<void> => {
      try {
        await this.recover();
        await this.consume(signal, progress);
        await this.flush();
      } catch (err) {
        const code = err instanceof PinpipeError ? err.kind : 'INTERNAL';
        this.stats.failures++;
        this.stats.lastError = (err as Error).message;
        this.stats.lastErrorAt = Date.now();
        m.failures.inc({ ...this.labels, code });
        throw err;
      }
    };
    // Every failure is retried (from the positions the table holds), the pause doubling up to 30 s and back to the first after progress.
    await withRetry(attempt, {
      retries: Infinity,
      delayMs: this.o.config.retryDelayMs,
      backoff: 2,
      maxDelayMs: 30_000,
      signal,
      retryable: () => true,
      onRetry: (err, _n, retryInMs) => {
        const code = err instanceof PinpipeError ? err.kind : 'INTERNAL';
        this.o.logger.warn({ err, stream: this.o.stream, code, retryInMs }, 'stream micro-batch failed; reloading positions from the table');
      },
    }).catch((err: unknown) => {
      if (!signal.aborted) throw err;
    });
  }

  /** Records of the stream not processed yet (all shards). */
  async lag(): Promise<number> {
    return (await this.progress()).lag;
  }

  /**
   * The stream's progress, summed over shards: the lag is the log's count of records after the
   * positions processed (committed or not). `processed` counts records by offset where the log has
   * offsets (sqlite, Kafka), else since this job started (Kinesis); `logEnd` is processed + lag.
   */
  async progress(): Promise<{ shards: number; logEnd: number; processed: number; lag: number }> {
    const { log, stream } = this.o;
    let lag = 0;
    let processed = hasOffsets(log) ? 0 : this.stats.records;
    for (let p = 0; p < this.partitions; p++) {
      const at = this.processed.get(p)?.position;
      lag += (await log.lag(stream, p, at)).records;
      if (hasOffsets(log) && at !== undefined) processed += log.offsetOf(at) + 1;
    }
    return { shards: this.partitions, logEnd: processed + lag, processed, lag };
  }

  /** Shard → position of the last record processed (committed or not). */
  get processedPositions(): Map<number, string> {
    return new Map([...this.processed].map(([p, c]) => [p, c.position]));
  }

  async close(): Promise<void> {
    await this.groupCommit;
    await this.table?.close();
    await this.rejects?.close();
    this.sql?.close();
    this.sql = undefined;
  }

  /** Reload the durable state: the tables' checkpoints and the keys already in the table. */
  private async recover(): Promise<void> {
    this.partitions = (await this.o.log.ensureTopic(this.o.stream, { partitions: this.o.config.shards })).partitions;
    const cp = await readCheckpoint(this.table, this.appId);
    this.batch = cp?.batch ?? -1;
    this.committed = cp?.cursors ?? new Map();
    this.processed = new Map(this.committed);
    this.lastCommitAt = cp?.timestamp ?? 0;
    // Rejects commits older than the log retention may be cleaned up: they are older than the rows
    // commit that followed them, so no replay can reach them and nothing needs skipping.
    const rcp = await readCheckpoint(this.rejects, this.rejectsAppId).catch((err: unknown) => {
      if (isError(err, 'STREAM_CHECKPOINT_MISSING')) return undefined;
      throw err;
    });
    this.rejectsBatch = (await this.rejects.snapshot()).txnVersion(this.rejectsAppId) ?? -1;
    this.rejectsUpTo = rcp?.cursors ?? new Map();
    this.keys = await loadTableKeys(this.sql!, this.table);
    m.tableKeys.set({ table: this.o.tableKey }, this.keys.size);
  }

  private async consume(signal: AbortSignal, onSuccess: () => void): Promise<void> {
    const starts = new Map<number, ReadStart>();
    for (let p = 0; p < this.partitions; p++) {
      const c = this.committed.get(p);
      starts.set(p, c ? { kind: 'after', position: c.position } : { kind: 'earliest' });
    }
    const cfg = this.o.config;
    const reader = new ShardReader(this.o.log, this.o.stream, starts, { maxRecords: cfg.maxBatchRecords, signal });
    try {
      let lastStart = -Infinity;
      while (!signal.aborted) {
        const wait = lastStart + cfg.minIntervalMs - performance.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) break;
        const records = await reader.take(cfg.maxBatchRecords);
        if (records.length === 0) {
          if (reader.ended) break;
          if (this.positionsBehind() && Date.now() - this.lastCommitAt >= cfg.positionCommitIntervalMs) await this.flush();
          await idle(reader.ready(), Math.max(50, cfg.positionCommitIntervalMs)); // an abort ends the reads, so ready() settles
          continue;
        }
        lastStart = performance.now();
        await this.process(records);
        onSuccess();
      }
    } finally {
      await reader.close();
    }
  }

  /** One micro-batch: clean, deduplicate, commit rejects then rows (each commit carrying the positions). */
  private async process(records: LogRecord[]): Promise<BatchOutcome> {
    const t0 = performance.now();
    const n = records.length;
    const payloads = new Array<string>(n);
    const sources = new Array<string>(n);
    const end: Cursors = new Map(this.processed);
    for (let i = 0; i < n; i++) {
      const r = records[i];
      payloads[i] = r.value;
      sources[i] = `${r.topic}+${r.partition}+${r.position}`;
      end.set(r.partition, { position: r.position });
    }
    const staged = await this.staging!.stage(payloads, sources);
    const fresh: bigint[] = [];
    const known: bigint[] = [];
    for (const k of staged.keys) (this.keys.has(k) ? known : fresh).push(k);
    const skip = alreadyCommitted(this.o.log, this.rejectsUpTo, this.processed, records, sources, staged.rejectSources);
    const rejects = staged.rejectSources.length - skip.length;
    const counts = { records: n, rows: fresh.length, rejects };
    const outcome: BatchOutcome = {
      records: n,
      rows: fresh.length,
      duplicates: n - staged.rejectSources.length - fresh.length,
      rejects: staged.rejectSources.length,
      version: undefined,
    };
    if (fresh.length > 0 || rejects > 0 || Date.now() - this.lastCommitAt >= this.o.config.positionCommitIntervalMs) {
      if (rejects > 0) {
        const { query, params } = rejectsQuery(this.o.kind, skip);
        const info = batchInfo(this.o.stream, this.rejectsBatch + 1, end, counts);
        const r = await this.rejects.append(query, {
          params,
          txn: { appId: this.rejectsAppId, version: this.rejectsBatch + 1 },
          commitInfo: { [COMMIT_INFO_KEY]: info },
        });
        if (!r.committed) throw this.conflict(this.o.rejectsKey, this.rejectsBatch + 1);
        this.rejectsBatch++;
        this.rejectsUpTo = end;
        this.committedTo(this.o.rejectsKey, r.version, 'batch');
      }
      outcome.version = await this.commitRows(freshQuery(this.o.kind, staged.keys.length, known) ?? NO_ROWS, end, counts);
      for (const k of fresh) this.keys.add(k);
      m.tableKeys.set({ table: this.o.tableKey }, this.keys.size);
    }
    this.processed = end;
    observeBatch(this, records, outcome, performance.now() - t0);
    return outcome;
  }

  /** Commit the rows of `rows` (a query and its params) with the positions `end`; returns the version. */
  private async commitRows(
    rows: { query: string; params: string[] },
    end: Cursors,
    counts: { records: number; rows: number; rejects: number },
  ): Promise<number> {
    const version = this.batch + 1;
    const info = batchInfo(this.o.stream, version, end, counts);
    const r = await this.table.append(rows.query, { params: rows.params, txn: { appId: this.appId, version }, commitInfo: { [COMMIT_INFO_KEY]: info } });
    if (!r.committed) throw this.conflict(this.o.tableKey, version);
    this.batch = version;
    this.committed = end;
    this.lastCommitAt = Date.now();
    this.committedTo(this.o.tableKey, r.version, counts.records === 0 ? 'positions' : 'batch');
    this.commitGroup(end);
    return r.version;
  }

  /**
   * Commit the positions of a durable Delta commit to the log's consumer group (the job id; on
   * Kafka its tools show the job's lag). The table stays the source of truth: the job resumes from
   * its commits, so a failure here is only logged. Kinesis has no groups.
   */
  private commitGroup(end: Cursors): void {
    const { log, stream, config, logger } = this.o;
    if (!log.features.groupCommits || end.size === 0) return;
    const positions = [...end].map(([partition, c]) => ({ topic: stream, partition, position: c.position }));
    this.groupCommit = this.groupCommit
      .then(() => log.commitPositions(config.jobId, positions))
      .catch((err: unknown) => logger.warn({ err, stream }, 'could not commit the stream positions to the consumer group (the table holds them)'));
  }

  /** Commit the positions processed but not yet committed (micro-batches that changed nothing). */
  private async flush(): Promise<void> {
    if (!this.sql || !this.positionsBehind()) return;
    await this.commitRows(NO_ROWS, this.processed, { records: 0, rows: 0, rejects: 0 });
  }

  private positionsBehind(): boolean {
    for (const [p, c] of this.processed) if (this.committed.get(p)?.position !== c.position) return true;
    return false;
  }

  private conflict(table: string, version: number): PinpipeError {
    return new PinpipeError(
      'STREAM_WRITER_CONFLICT',
      `Micro-batch ${version} of ${this.o.stream} was already committed to ${table} by another writer with job id ${this.o.config.jobId}.`,
    );
  }

  private committedTo(tableKey: string, version: number, kind: 'batch' | 'positions'): void {
    this.stats.commits++;
    m.commits.inc({ table: tableKey, kind });
    m.tableVersion.set({ table: tableKey }, version);
    this.o.onCommit?.(tableKey, version);
  }
}
