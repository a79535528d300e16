import { batchTopics } from '../../core/config.js';
import { openDuckDB, sqlIdent, type OpenOptions, type Sql } from '../../core/duckdb.js';
import { rootLogger, type Logger } from '../../core/logger.js';
import type { DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { RECORD_KINDS, type RecordKind } from '../../transforms/index.js';
import { batchMetrics } from './batch-metrics.js';
import { readWatermarks, STATE_FIELD, type BatchCommitState } from './batch-state.js';
import { batchJobName, openCleanTable, openRejectsTable } from './batch-tables.js';
import { cleanKind, type KindOutcome } from './clean-kind.js';
import { cleanOnly } from './clean-only.js';
import { listRawObjects, type Watermarks } from './raw-objects.js';
import { utcRunDate, type RunDate } from './run-date.js';
import { storeResults } from './store-results.js';
import { commitOrConflict, rowsAdded, type TableReport } from './table-report.js';
import { planWrite, type RunMode } from './write-plan.js';

export interface BatchOptions {
  /** The lake: raw objects under `topics/`, tables written under `tables/` and `results/`. */
  readonly store: ObjectStore;
  /** Deployment prefix: topics `<prefix>.pin|geo|user`, job `<prefix>_dag`. */
  readonly prefix: string;
  /** Logical date; default today (UTC). */
  readonly date?: RunDate;
  /** Default `incremental`. */
  readonly mode?: RunMode;
  /** DuckDB settings for the job's own database (ignored when `sql` is given). */
  readonly duckdb?: OpenOptions;
  /** A DuckDB to work in (tests); by default the job opens its own and closes it. */
  readonly sql?: Sql;
  readonly logger?: Logger;
  /**
   * Clean only these kinds (default all three). A run of some kinds commits their cleaned tables
   * only; the rejects and the result sets are left to a run of all kinds (see cleanOnly).
   */
  readonly kinds?: readonly RecordKind[];
}

export interface BatchReport {
  readonly job: string;
  readonly date: string;
  readonly mode: RunMode;
  /** The cleaned tables and the rejects table. */
  readonly tables: Readonly<Record<RecordKind | 'rejects', TableReport>>;
  /** Raw objects and records read per kind (whichever table needed them). */
  readonly read: Readonly<Record<RecordKind, { objects: number; records: number }>>;
  /** Rejected records of this run per kind and reason. */
  readonly rejects: Readonly<Record<RecordKind, Record<string, number>>>;
  /** The result tables, by analytics id. */
  readonly results: Readonly<Record<string, TableReport>>;
  readonly seconds: number;
}

/**
 * One run of the batch job (docs/data.md §8): read the raw lake objects the tables have not consumed,
 * clean them (src/transforms), add the new keys to `tables/pin|geo|user` and the rejects to
 * `tables/rejects`, then store the ten result sets under `results/<id>`. Each table commit
 * carries the job's txn and, in its commitInfo, the raw objects consumed so far, so every table
 * is always either before or after a run. Date rules: see planWrite and docs/batch.md.
 * @example await runBatch({ store: new LocalObjectStore('data/lake'), prefix: 'pinterest' })
 */
export async function runBatch(opts: BatchOptions): Promise<BatchReport> {
  const t0 = performance.now();
  const log = (opts.logger ?? rootLogger()).child({ component: 'batch' });
  const sql = opts.sql ?? (await openDuckDB(opts.duckdb));
  const job = batchJobName(opts.prefix);
  const date = opts.date ?? utcRunDate();
  const mode = opts.mode ?? 'incremental';
  try {
    const some = opts.kinds && RECORD_KINDS.some((k) => !opts.kinds!.includes(k));
    const report = some
      ? await cleanOnly(sql, opts.store, job, opts.prefix, date, mode, opts.kinds!)
      : await runIn(sql, opts.store, job, opts.prefix, date, mode, log);
    batchMetrics.runs.inc({ outcome: 'ok' });
    batchMetrics.lastSuccess.set(Date.now() / 1000);
    const done = { ...report, seconds: +((performance.now() - t0) / 1000).toFixed(3) };
    log.info(
      { date: date.text, mode, seconds: done.seconds, tables: Object.fromEntries(Object.entries(done.tables).map(([k, t]) => [k, t.status])) },
      'batch run finished',
    );
    return done;
  } catch (err) {
    batchMetrics.runs.inc({ outcome: 'failed' });
    log.error({ err, date: date.text, mode }, 'batch run failed');
    throw err;
  } finally {
    if (!opts.sql) sql.close();
  }
}

async function runIn(
  sql: Sql,
  store: ObjectStore,
  job: string,
  prefix: string,
  date: RunDate,
  mode: RunMode,
  log: Logger,
): Promise<Omit<BatchReport, 'seconds'>> {
  const topics = batchTopics(prefix);
  const tables = {} as Record<RecordKind, DeltaTable>;
  for (const kind of RECORD_KINDS) tables[kind] = await openCleanTable(sql, store, kind);
  const rejectsTable = await openRejectsTable(sql, store);
  const rejectsSnap = await rejectsTable.snapshot();
  const rejectsPlan = planWrite(rejectsSnap, job, date, mode);
  const rejectsMarks: Watermarks | undefined =
    rejectsPlan.skip !== undefined ? undefined : mode === 'full' ? {} : await readWatermarks(store, rejectsSnap, job);

  const outcomes = {} as Record<RecordKind, KindOutcome>;
  let t = performance.now();
  const ms = (): number => {
    const now = performance.now();
    const d = Math.round(now - t);
    t = now;
    return d;
  };
  log.debug({ ms: ms() }, 'batch: tables opened');
  for (const kind of RECORD_KINDS) {
    const objects = await listRawObjects(store, topics[kind]);
    outcomes[kind] = await cleanKind({ sql, store, kind, job, date, mode, table: tables[kind], objects, rejectsWatermarks: rejectsMarks });
    const o = outcomes[kind];
    batchMetrics.objectsRead.inc({ kind }, o.objectsRead);
    batchMetrics.recordsRead.inc({ kind }, o.recordsRead);
    batchMetrics.rowsAdded.inc({ table: o.table.table }, o.table.rowsAdded);
    log.debug(
      { kind, objects: o.objectsRead, records: o.recordsRead, status: o.table.status, rowsAdded: o.table.rowsAdded, rejects: o.rejects, ms: ms() },
      'batch: kind cleaned',
    );
  }

  const rejects = {} as Record<RecordKind, Record<string, number>>;
  for (const kind of RECORD_KINDS) {
    const rows = await sql.all<{ reason: string; n: bigint }>(
      `SELECT reason, count(*) AS n FROM ${sqlIdent(outcomes[kind].rejectsRelation)} GROUP BY reason ORDER BY reason`,
    );
    rejects[kind] = Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
  }

  let rejectsReport: TableReport;
  if (rejectsPlan.skip !== undefined) {
    rejectsReport = { table: rejectsTable.table, status: 'skipped', reason: rejectsPlan.skip, version: rejectsSnap.version, rowsAdded: 0 };
  } else {
    const read = RECORD_KINDS.reduce((n, k) => n + outcomes[k].rejectsObjectsRead, 0);
    if (mode !== 'full' && rejectsPlan.txn.appId !== job && read === 0) {
      rejectsReport = { table: rejectsTable.table, status: 'unchanged', reason: 'no new raw objects', version: rejectsSnap.version, rowsAdded: 0 };
    } else {
      const watermarks: Record<string, number> = {};
      for (const kind of RECORD_KINDS)
        for (const [dir, v] of Object.entries(outcomes[kind].rejectsWatermarks)) watermarks[dir] = Math.max(watermarks[dir] ?? -1, v);
      const state: BatchCommitState = { job, date: date.text, mode, watermarks, objectsRead: read };
      const query = RECORD_KINDS.map((k) => `SELECT kind, source, reason, payload FROM ${sqlIdent(outcomes[k].rejectsRelation)}`).join('\nUNION ALL\n');
      const opts = { txn: rejectsPlan.txn, commitInfo: { [STATE_FIELD]: state }, basis: rejectsSnap };
      const r = await commitOrConflict(rejectsTable.table, () => (mode === 'full' ? rejectsTable.overwrite(query, opts) : rejectsTable.append(query, opts)));
      rejectsReport = {
        table: rejectsTable.table,
        status: r.committed ? 'committed' : 'skipped',
        version: r.version,
        rowsAdded: rowsAdded(rejectsSnap, r.snapshot),
        objectsRead: read,
      };
      if (r.committed) for (const kind of RECORD_KINDS) for (const [reason, n] of Object.entries(rejects[kind])) batchMetrics.rejects.inc({ kind, reason }, n);
    }
  }
  for (const kind of RECORD_KINDS) await sql.exec(`DROP TABLE IF EXISTS ${sqlIdent(outcomes[kind].rejectsRelation)}`);

  log.debug({ status: rejectsReport.status, ms: ms() }, 'batch: rejects stored');
  const results = await storeResults({ sql, store, job, date, mode, tables });
  log.debug({ ms: ms() }, 'batch: results stored');
  return {
    job,
    date: date.text,
    mode,
    tables: { pin: outcomes.pin.table, geo: outcomes.geo.table, user: outcomes.user.table, rejects: rejectsReport },
    read: Object.fromEntries(RECORD_KINDS.map((k) => [k, { objects: outcomes[k].objectsRead, records: outcomes[k].recordsRead }])) as Record<
      RecordKind,
      { objects: number; records: number }
    >,
    rejects,
    results,
  };
}
