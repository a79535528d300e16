import type { Sql } from '../../core/duckdb.js';
import type { Logger } from '../../core/logger.js';
import { DeltaTable, type MaintenanceResult, type VacuumResult } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import type { StreamConfig } from './kind-stream.js';
import { readCheckpoint } from './stream-checkpoint.js';
import { openStreamDuckDB } from './stream-duckdb.js';
import { streamMetrics as m } from './stream-metrics.js';

export interface TableMaintenanceOptions {
  store: ObjectStore;
  /** Lake keys of the tables looked after. */
  tables: readonly string[];
  /** Per table, the appIds whose checkpoint commit (the one holding their stream positions) log cleanup must keep. */
  checkpoints?: Readonly<Record<string, readonly string[]>>;
  config: StreamConfig;
  logger: Logger;
}

/**
 * Background upkeep of the streamed tables, on its own DuckDB and table handles so the writers
 * never wait for it: compaction (`optimize`, `dataChange: false`) after every
 * `compactEveryCommits` commits to a table, and every `vacuumIntervalMs` a vacuum and a log
 * cleanup (both with `historyRetentionMs`; the log keeps the commits holding the job's positions).
 * Operations run one at a time; a compaction racing a micro-batch commit just retries at the next
 * version. Checkpoints come with the commits (every 10th version).
 */
export class TableMaintenance {
  private sql: Promise<Sql> | undefined;
  private readonly handles = new Map<string, DeltaTable>();
  private readonly commits = new Map<string, number>();
  private readonly due = new Set<string>();
  private running: Promise<void> | undefined;
  private vacuumDue = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: TableMaintenanceOptions) {}

  start(): void {
    const every = this.o.config.vacuumIntervalMs;
    if (every > 0) {
      this.timer = setInterval(() => {
        this.vacuumDue = true;
        this.kick();
      }, every);
      this.timer.unref();
    }
  }

  /** Count a commit to `table`; compaction is queued after every `compactEveryCommits`. */
  noteCommit(table: string): void {
    const every = this.o.config.compactEveryCommits;
    if (every <= 0) return;
    const n = (this.commits.get(table) ?? 0) + 1;
    this.commits.set(table, n);
    if (n < every) return;
    this.commits.set(table, 0);
    this.due.add(table);
    this.kick();
  }

  /** Compact one table now (also what the queue runs); undefined when there was nothing to do. */
  async compact(table: string): Promise<MaintenanceResult | undefined> {
    const t = await this.handle(table);
    return t.optimize({ targetFileBytes: this.o.config.compactTargetFileBytes });
  }

  /** Vacuum one table now with the configured retention. */
  async vacuum(table: string, now?: number): Promise<VacuumResult> {
    return (await this.handle(table)).vacuum({ retentionMs: this.o.config.historyRetentionMs, now });
  }

  /** Delete one table's log files older than the retention, keeping every checkpoint commit of the job's streams. */
  async cleanupLog(table: string, now?: number): Promise<string[]> {
    const t = await this.handle(table);
    let keepFrom = Infinity;
    for (const appId of this.o.checkpoints?.[table] ?? []) {
      const cp = await readCheckpoint(t, appId);
      if (cp) keepFrom = Math.min(keepFrom, cp.version);
    }
    return t.cleanupLog({ retentionMs: this.o.config.historyRetentionMs, keepFrom: Number.isFinite(keepFrom) ? keepFrom : undefined, now });
  }

  /** Wait for the operation in flight, then release the DuckDB. Nothing new starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    for (const t of this.handles.values()) await t.close();
    this.handles.clear();
    const sql = this.sql;
    this.sql = undefined;
    if (sql) (await sql).close();
  }

  private kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (!this.stopped && (this.due.size > 0 || this.vacuumDue)) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.due.size > 0) {
      const table = this.due.values().next().value as string;
      this.due.delete(table);
      await this.attempt(table, 'compaction', async () => {
        const r = await this.compact(table);
        if (r) {
          m.commits.inc({ table, kind: 'compaction' });
          this.o.logger.debug({ table, ...r }, 'stream table compacted');
        }
      });
    }
    if (!this.stopped && this.vacuumDue) {
      this.vacuumDue = false;
      for (const table of this.o.tables) {
        await this.attempt(table, 'vacuum', async () => {
          const r = await this.vacuum(table);
          if (r.deleted.length > 0) this.o.logger.debug({ table, deleted: r.deleted.length }, 'stream table vacuumed');
        });
        await this.attempt(table, 'log-cleanup', async () => {
          const deleted = await this.cleanupLog(table);
          if (deleted.length > 0) this.o.logger.debug({ table, deleted: deleted.length }, 'stream table log cleaned up');
        });
      }
    }
  }

  private async attempt(table: string, operation: string, op: () => Promise<void>): Promise<void> {
    try {
      await op();
      m.maintenance.inc({ table, operation, result: 'ok' });
    } catch (err) {
      m.maintenance.inc({ table, operation, result: 'failed' });
      this.o.logger.warn({ err, table, operation }, 'stream table maintenance failed; it will be tried again later');
    }
  }

  private async handle(table: string): Promise<DeltaTable> {
    let t = this.handles.get(table);
    if (!t) {
      this.sql ??= openStreamDuckDB(1);
      t = await DeltaTable.open(this.o.store, table, { sql: await this.sql });
      this.handles.set(table, t);
    }
    return t;
  }
}
