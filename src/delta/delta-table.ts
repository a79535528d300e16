import { randomUUID } from 'node:crypto';
import { openDuckDB, type Sql, type SqlParam } from '../core/duckdb.js';
import { isError, PinpipeError } from '../core/errors.js';
import { rootLogger } from '../core/logger.js';
import type { ObjectStore } from '../lake/object-store.js';
import { READER_VERSION, WRITER_VERSION, type Action, type Metadata } from './actions.js';
import { writeCheckpoint } from './checkpoint-writer.js';
import { cleanupLog, type CleanupLogOptions } from './cleanup-log.js';
import { assertWritable, commit, type CommitPlan, type CommitResult } from './commit.js';
import { conformQuery } from './conform-query.js';
import { deltaMetrics } from './delta-metrics.js';
import { commitKey, listLog } from './log-files.js';
import { loadSnapshot, refreshSnapshot } from './load-snapshot.js';
import { planOptimize, type OptimizeOptions } from './optimize.js';
import { readRows, registerView, type ViewOptions } from './read-table.js';
import { schemaFromColumns, type ColumnSpec } from './schema.js';
import type { Snapshot } from './snapshot.js';
import { checkpointInterval, isAppendOnly } from './table-config.js';
import { vacuum, type VacuumOptions, type VacuumResult } from './vacuum.js';
import { writeDataFiles } from './write-data-files.js';

export interface TableOptions {
  /** DuckDB used for writes (queries run here), checkpoints and views; a private one is opened when absent. */
  sql?: Sql;
  /** How many times a commit that lost a race is retried at the next version (default 100). */
  maxCommitRetries?: number;
  /** Called when writing a checkpoint fails (the commit itself has succeeded); default: log a warning. */
  onCheckpointError?: (err: unknown) => void;
}

export interface CreateOptions extends TableOptions {
  columns: ColumnSpec[];
  partitionColumns?: string[];
  /** Table properties, e.g. `{ 'delta.checkpointInterval': '10' }`. */
  configuration?: Record<string, string>;
  name?: string;
  description?: string;
  /** Open the existing table instead of failing with DELTA_TABLE_EXISTS. */
  ifNotExists?: boolean;
}

export interface WriteOptions {
  /** Values for `$1, $2, …` in the query. */
  params?: SqlParam[];
  /** Idempotent writes: commit only if the table's version for `appId` is below `version`. */
  txn?: { appId: string; version: number };
  /** Extra fields for the commit's commitInfo action (e.g. the stream positions the write covers). */
  commitInfo?: Record<string, unknown>;
  /**
   * The snapshot the query was planned on (default: the latest). The commit is made on top of it,
   * so a commit another writer made since is a lost race (retried only per maxCommitRetries)
   * instead of a base the write silently builds on without having seen it.
   */
  basis?: Snapshot;
}

export interface MaintenanceResult {
  version: number;
  filesRemoved: number;
  filesAdded: number;
}

/**
 * A Delta Lake table on an ObjectStore (reader protocol 1, writer protocol 2).
 * @example
 * const t = await DeltaTable.create(store, 'tables/pin', { sql, columns: [{ name: 'ind', type: 'long' }] });
 * await t.append('SELECT ind FROM batch', { txn: { appId: 'stream-job', version: 7 } });
 * await t.registerView('pin'); // then: await sql.all('SELECT count(*) FROM pin')
 */
export class DeltaTable {
  readonly store: ObjectStore;
  /** Key prefix of the table in the store, e.g. `tables/pin`. */
  readonly table: string;
  private readonly opts: TableOptions;
  private ownSql: Promise<Sql> | undefined;
  private cached: Snapshot | undefined;

  private constructor(store: ObjectStore, table: string, opts: TableOptions) {
    this.store = store;
    this.table = table.replace(/\/+$/, '');
    this.opts = opts;
  }

  /** Open an existing table (DELTA_TABLE_NOT_FOUND when there is none) and load its latest snapshot. */
  static async open(store: ObjectStore, table: string, opts: TableOptions = {}): Promise<DeltaTable> {
    const t = new DeltaTable(store, table, opts);
    await t.snapshot();
    return t;
  }

  /** A handle that reads nothing until asked (e.g. to time-travel in a table whose latest version is unreadable). */
  static handle(store: ObjectStore, table: string, opts: TableOptions = {}): DeltaTable {
    return new DeltaTable(store, table, opts);
  }

  /** True when the location holds a Delta log. */
  static async exists(store: ObjectStore, table: string): Promise<boolean> {
    const l = await listLog(store, table.replace(/\/+$/, ''));
    return l.commits.size > 0 || l.checkpoints.length > 0;
  }

  /** Create a table (version 0: protocol 1/2 and metaData with the declared schema). */
  static async create(store: ObjectStore, table: string, opts: CreateOptions): Promise<DeltaTable> {
    const t = new DeltaTable(store, table, opts);
    const schema = schemaFromColumns(opts.columns);
    const partitionColumns = opts.partitionColumns ?? [];
    for (const p of partitionColumns) {
      const f = schema.fields.find((x) => x.name === p);
      if (!f || typeof f.type !== 'string') throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Partition column ${p} must be a primitive column of the schema`);
    }
    if (partitionColumns.length >= schema.fields.length)
      throw new PinpipeError('DELTA_SCHEMA_MISMATCH', 'A table needs at least one column that is not a partition column');
    const exists = async (): Promise<DeltaTable> => {
      if (opts.ifNotExists) return DeltaTable.open(store, table, opts);
      throw new PinpipeError('DELTA_TABLE_EXISTS', `A Delta table already exists at ${store.url}/${t.table}`);
    };
    if (await DeltaTable.exists(store, t.table)) return exists();
    const now = Date.now();
    const metaData: Metadata = {
      id: randomUUID(),
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.description ? { description: opts.description } : {}),
      format: { provider: 'parquet', options: {} },
      schemaString: JSON.stringify(schema),
      partitionColumns,
      configuration: opts.configuration ?? {},
      createdTime: now,
    };
    const actions: Action[] = [
      {
        commitInfo: {
          timestamp: now,
          operation: 'CREATE TABLE',
          operationParameters: { isManaged: 'false', partitionBy: JSON.stringify(partitionColumns) },
          isBlindAppend: true,
          engineInfo: 'pinpipe-delta',
        },
      },
      { protocol: { minReaderVersion: READER_VERSION, minWriterVersion: WRITER_VERSION } },
      { metaData },
    ];
    try {
      await store.put(commitKey(t.table, 0), `${actions.map((a) => JSON.stringify(a)).join('\n')}\n`, { ifAbsent: true });
    } catch (err) {
      if (isError(err, 'OBJECT_EXISTS')) return exists();
      throw err;
    }
    await t.snapshot();
    return t;
  }

  /** The latest snapshot (reading only commits newer than the cached one), or the one at `version` (time travel). */
  async snapshot(version?: number): Promise<Snapshot> {
    const cached = this.cached;
    if (version !== undefined) {
      if (cached && cached.version === version) return cached;
      return loadSnapshot(this.store, this.table, () => this.duck(), { version, base: cached?.state });
    }
    const snap = cached ? await refreshSnapshot(this.store, cached) : await loadSnapshot(this.store, this.table, () => this.duck());
    this.remember(snap);
    return snap;
  }

  /** Append the rows of a DuckDB query in one commit. */
  async append(query: string, opts: WriteOptions = {}): Promise<CommitResult> {
    return this.write('WRITE', 'Append', query, opts);
  }

  /** Replace the table's rows with those of a DuckDB query in one commit. */
  async overwrite(query: string, opts: WriteOptions = {}): Promise<CommitResult> {
    return this.write('WRITE', 'Overwrite', query, opts);
  }

  private async write(operation: string, mode: 'Append' | 'Overwrite', query: string, opts: WriteOptions): Promise<CommitResult> {
    if (opts.basis && opts.basis.table !== this.table) throw new Error(`A snapshot of ${opts.basis.table} cannot be the basis of a write to ${this.table}`);
    const snap = opts.basis ?? (await this.snapshot());
    if (opts.txn && (snap.txnVersion(opts.txn.appId) ?? -1) >= opts.txn.version) {
      deltaMetrics.skippedTxns.inc({ table: this.table });
      return { version: snap.version, committed: false, snapshot: snap, attempts: 0 };
    }
    assertWritable(snap);
    if (mode === 'Overwrite' && isAppendOnly(snap.configuration))
      throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Delta table ${this.table} is append-only (delta.appendOnly)`);
    const fields = snap.schema?.fields;
    if (!fields) throw new PinpipeError('DELTA_LOG_INVALID', `Delta table ${this.table} has no schema to write`);
    const sql = await this.duck();
    const select = await conformQuery(sql, query, fields);
    const adds = await writeDataFiles(
      { sql, store: this.store, table: this.table, fields, partitionColumns: snap.partitionColumns },
      select,
      opts.params ?? [],
    );
    if (adds.length === 0 && mode === 'Append' && !opts.txn) return { version: snap.version, committed: false, snapshot: snap, attempts: 0 };
    const plan: CommitPlan = {
      operation,
      operationParameters: { mode, partitionBy: JSON.stringify(snap.partitionColumns) },
      adds,
      removeAllLive: mode === 'Overwrite',
      txn: opts.txn,
      isBlindAppend: mode === 'Append',
      commitInfo: opts.commitInfo,
    };
    return this.commit(snap, plan);
  }

  /** Compact small files into fewer ones (one commit, `dataChange: false`); undefined when there was nothing to do. */
  async optimize(opts: OptimizeOptions = {}): Promise<MaintenanceResult | undefined> {
    const snap = await this.snapshot();
    assertWritable(snap);
    const plan = await planOptimize(await this.duck(), this.store, snap, opts);
    if (!plan) return undefined;
    const r = await this.commit(snap, plan);
    return { version: r.version, filesRemoved: plan.removes?.length ?? 0, filesAdded: plan.adds.length };
  }

  /** Delete unreferenced files older than the retention (never `_delta_log`). */
  async vacuum(opts: VacuumOptions = {}): Promise<VacuumResult> {
    return vacuum(this.store, await this.snapshot(), opts);
  }

  /** Delete log files older than the retention that no reader needs (before the newest old-enough checkpoint). */
  async cleanupLog(opts: CleanupLogOptions): Promise<string[]> {
    return cleanupLog(this.store, this.table, opts);
  }

  /** Write a checkpoint of the latest (or given) snapshot now. */
  async checkpoint(snapshot?: Snapshot): Promise<{ version: number; size: number }> {
    return writeCheckpoint(await this.duck(), this.store, snapshot ?? (await this.snapshot()));
  }

  /** Register the latest snapshot (or `snapshot`) as a DuckDB view on this table's Sql (or `sql`). */
  async registerView(viewName: string, opts: ViewOptions & { snapshot?: Snapshot; sql?: Sql } = {}): Promise<void> {
    await registerView(opts.sql ?? (await this.duck()), this.store, opts.snapshot ?? (await this.snapshot()), viewName, opts);
  }

  /** Every row of the latest (or given) snapshot as JS objects. */
  async readRows<T = Record<string, unknown>>(snapshot?: Snapshot): Promise<T[]> {
    return readRows<T>(await this.duck(), this.store, snapshot ?? (await this.snapshot()));
  }

  /** Close the private DuckDB, if one was opened. */
  async close(): Promise<void> {
    const own = this.ownSql;
    this.ownSql = undefined;
    if (own) (await own).close();
  }

  private async commit(snap: Snapshot, plan: CommitPlan): Promise<CommitResult> {
    const result = await commit(this.store, snap, plan, this.opts.maxCommitRetries ?? 100);
    this.remember(result.snapshot);
    const table = this.table;
    deltaMetrics.lostRaces.inc({ table }, Math.max(0, result.attempts - (result.committed ? 1 : 0)));
    if (!result.committed) {
      deltaMetrics.skippedTxns.inc({ table });
      return result;
    }
    deltaMetrics.commits.inc({ table, operation: plan.operation });
    if (result.version > 0 && result.version % checkpointInterval(result.snapshot.configuration) === 0) {
      // A checkpoint is an optimisation: its failure must not fail the commit.
      await this.checkpoint(result.snapshot).catch((err: unknown) => {
        deltaMetrics.checkpointFailures.inc({ table });
        if (this.opts.onCheckpointError) this.opts.onCheckpointError(err);
        else rootLogger().child({ component: 'delta' }).warn({ err, table, version: result.version }, 'Delta checkpoint failed; the commit stands');
      });
    }
    return result;
  }

  private remember(snap: Snapshot): void {
    if (!this.cached || snap.version > this.cached.version) this.cached = snap;
  }

  private duck(): Promise<Sql> {
    if (this.opts.sql) return Promise.resolve(this.opts.sql);
    this.ownSql ??= openDuckDB();
    return this.ownSql;
  }
}
