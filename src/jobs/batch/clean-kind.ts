import { sqlIdent, type Sql } from '../../core/duckdb.js';
import type { DeltaTable, Snapshot } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { classifiedSql, cleanFromClassifiedSql, dedupeSql, rejectsFromClassifiedSql, type RecordKind } from '../../transforms/index.js';
import { readWatermarks, STATE_FIELD, type BatchCommitState } from './batch-state.js';
import { advance, lowest, objectsAfter, type RawObject, type Watermarks } from './raw-objects.js';
import { createRawRecords, distinctPayloadsSql, readingRaw, type RawRecords } from './raw-records.js';
import type { RunDate } from './run-date.js';
import { commitOrConflict, rowsAdded, type TableReport } from './table-report.js';
import { planWrite, type RunMode } from './write-plan.js';

/** One kind's part of a run. */
export interface KindRun {
  readonly sql: Sql;
  readonly store: ObjectStore;
  readonly kind: RecordKind;
  readonly job: string;
  readonly date: RunDate;
  readonly mode: RunMode;
  /** The cleaned table of the kind. */
  readonly table: DeltaTable;
  /** Every raw object of the kind's topic, as listed at the start of the run. */
  readonly objects: readonly RawObject[];
  /** The rejects table's watermarks when it takes part in this run (undefined: it is skipped). */
  readonly rejectsWatermarks: Watermarks | undefined;
}

/** The outcome: the cleaned table's report, and the rejects waiting in TEMP TABLE `rejectsRelation` for the rejects commit. */
export interface KindOutcome {
  readonly table: TableReport;
  readonly rejectsRelation: string;
  readonly rejects: number;
  /** The rejects table's watermarks after the run (this topic's moved forward). */
  readonly rejectsWatermarks: Watermarks;
  /** Raw objects new to the rejects table. */
  readonly rejectsObjectsRead: number;
  readonly objectsRead: number;
  readonly recordsRead: number;
}

const names = (kind: RecordKind) => ({
  files: `batch_files_${kind}`,
  distinct: `batch_distinct_${kind}`,
  classified: `batch_classified_${kind}`,
  clean: `batch_clean_${kind}`,
  existing: `batch_existing_${kind}`,
  rejects: `batch_rejects_${kind}`,
});

/**
 * Read the kind's raw objects that the cleaned table or the rejects table has not consumed,
 * clean them with the shared transforms and commit the new keys to the cleaned table (with its
 * watermarks, in the same commit); leave the rejects in a TEMP TABLE for the rejects commit.
 *
 * Each distinct payload is classified once: identical payloads clean identically, and the
 * emulator (like the original project) sends each row many times. A payload keeps its first
 * source in dedupeSql's order (its lowest (object, line) position, see createRawRecords), so
 * dedupeSql then picks the same row as it would over every record. Rejects are expanded back
 * to every occurrence (each is its own reject).
 */
export async function cleanKind(run: KindRun): Promise<KindOutcome> {
  const { sql, store, kind, table } = run;
  const n = names(kind);
  const snap = await table.snapshot();
  const plan = planWrite(snap, run.job, run.date, run.mode);
  const full = run.mode === 'full';
  const tableMarks = plan.skip !== undefined ? undefined : full ? {} : await readWatermarks(store, snap, run.job);
  const rejectMarks = run.rejectsWatermarks && (full ? {} : run.rejectsWatermarks);
  const from = tableMarks && rejectMarks ? lowest(tableMarks, rejectMarks) : (tableMarks ?? rejectMarks);
  const toRead = from
    ? objectsAfter(run.objects, from).map((o) => ({ ...o, newForRejects: rejectMarks !== undefined && o.startOffset > (rejectMarks[o.dir] ?? -1) }))
    : [];

  const raw = await createRawRecords(sql, store, n.files, toRead);
  // One statement (CTEs, no views), so that DuckDB binds the objects' paths once.
  await readingRaw(raw, () =>
    sql.exec(
      `CREATE OR REPLACE TEMP TABLE ${sqlIdent(n.classified)} AS WITH ${sqlIdent(n.distinct)} AS (${distinctPayloadsSql(raw)})\n${classifiedSql(kind, n.distinct, { carry: ['source', 'n'] })}`,
    ),
  );
  const [{ records }] = await sql.all<{ records: bigint | null }>(`SELECT sum(n) AS records FROM ${sqlIdent(n.classified)}`);
  const recordsRead = Number(records ?? 0);

  let report: TableReport;
  if (plan.skip !== undefined) {
    report = { table: table.table, status: 'skipped', reason: plan.skip, version: snap.version, rowsAdded: 0 };
  } else {
    const fresh = full ? toRead : objectsAfter(toRead, tableMarks!);
    report = await writeClean(run, snap, plan.txn, n, { watermarks: advance(tableMarks!, toRead), objectsRead: fresh.length, recordsRead });
  }

  let rejects = 0;
  const rejectsRead = toRead.filter((o) => o.newForRejects);
  if (rejectMarks) rejects = await collectRejects(sql, kind, n, raw, rejectsRead.length === toRead.length);
  else await sql.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(n.rejects)} AS SELECT * FROM (${rejectsFromClassifiedSql(kind, n.classified)}) WHERE false`);
  await dropWorkRelations(sql, n);
  return {
    table: report,
    rejectsRelation: n.rejects,
    rejects,
    rejectsWatermarks: advance(rejectMarks ?? {}, rejectsRead),
    rejectsObjectsRead: rejectsRead.length,
    objectsRead: toRead.length,
    recordsRead,
  };
}

/** Free what the kind's run held (all but the rejects). */
async function dropWorkRelations(sql: Sql, n: ReturnType<typeof names>): Promise<void> {
  for (const v of [n.clean, n.existing]) await sql.exec(`DROP VIEW IF EXISTS ${sqlIdent(v)}`);
  for (const t of [n.classified, n.files]) await sql.exec(`DROP TABLE IF EXISTS ${sqlIdent(t)}`);
}

/** Append (or, for --full, overwrite with) the deduplicated clean rows and the new watermarks, in one commit. */
async function writeClean(
  run: KindRun,
  snap: Snapshot,
  txn: { appId: string; version: number },
  n: ReturnType<typeof names>,
  progress: { watermarks: Record<string, number>; objectsRead: number; recordsRead: number },
): Promise<TableReport> {
  const { sql, kind, table } = run;
  const full = run.mode === 'full';
  if (!full && txn.appId !== run.job && progress.objectsRead === 0) {
    return { table: table.table, status: 'unchanged', reason: 'no new raw objects', version: snap.version, rowsAdded: 0 };
  }
  await sql.exec(`CREATE OR REPLACE TEMP VIEW ${sqlIdent(n.clean)} AS ${cleanFromClassifiedSql(kind, n.classified, { carry: ['source'] })}`);
  if (!full) await table.registerView(n.existing, { snapshot: snap });
  const query = dedupeSql(kind, n.clean, full ? {} : { existing: n.existing });
  const state: BatchCommitState = { job: run.job, date: run.date.text, mode: run.mode, ...progress };
  const opts = { txn, commitInfo: { [STATE_FIELD]: state }, basis: snap }; // planned on snap: a commit since is a conflict
  const result = await commitOrConflict(table.table, () => (full ? table.overwrite(query, opts) : table.append(query, opts)));
  if (!result.committed)
    return { table: table.table, status: 'skipped', reason: 'a concurrent run committed this date first', version: result.version, rowsAdded: 0 };
  return {
    table: table.table,
    status: 'committed',
    version: result.version,
    rowsAdded: rowsAdded(snap, result.snapshot),
    objectsRead: progress.objectsRead,
    recordsRead: progress.recordsRead,
  };
}

/**
 * Fill TEMP TABLE `n.rejects` with every rejected record of the objects new to the rejects table
 * (`kind, source, reason, payload`). The distinct rejected payloads are known already; when each
 * occurred once in objects all new to the rejects table they are the answer, otherwise the raw
 * records are read again to find every occurrence.
 */
async function collectRejects(sql: Sql, kind: RecordKind, n: ReturnType<typeof names>, raw: RawRecords, allNew: boolean): Promise<number> {
  const distinct = rejectsFromClassifiedSql(kind, n.classified, { carry: ['n'] });
  const [{ repeated }] = await sql.all<{ repeated: bigint }>(`SELECT count(*) FILTER (WHERE n > 1) AS repeated FROM (${distinct})`);
  const rows =
    allNew && Number(repeated) === 0
      ? `SELECT kind, source, reason, payload FROM (${distinct})`
      : `SELECT x.kind, f."key" || '#' || r.line AS source, x.reason, r.payload FROM (${raw.sql}) r JOIN ${sqlIdent(raw.files)} f ON f.file_id = r.file_id JOIN (${distinct}) x ON r.payload = x.payload WHERE f.new_for_rejects`;
  await sql.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(n.rejects)} AS ${rows}`);
  const [{ count }] = await sql.all<{ count: bigint }>(`SELECT count(*) AS count FROM ${sqlIdent(n.rejects)}`);
  return Number(count);
}
