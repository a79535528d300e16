import { batchTopics } from '../../core/config.js';
import type { Sql } from '../../core/duckdb.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { RECORD_KINDS, type RecordKind } from '../../transforms/index.js';
import type { BatchReport } from './batch-job.js';
import { batchMetrics } from './batch-metrics.js';
import { openCleanTable, REJECTS_TABLE } from './batch-tables.js';
import { cleanKind } from './clean-kind.js';
import { listRawObjects } from './raw-objects.js';
import type { RunDate } from './run-date.js';
import type { TableReport } from './table-report.js';
import type { RunMode } from './write-plan.js';

const notInRun = (table: string, why: string): TableReport => ({ table, status: 'skipped', reason: why, version: -1, rowsAdded: 0 });

/**
 * The part of a run that cleans only some kinds into their tables (the DAG's `clean_<kind>`
 * tasks): each kind commits with its watermarks as in a whole run; the rejects table and the
 * result sets are left to a run of all kinds, which reads what the rejects table has not
 * consumed and skips what the cleaned tables already hold.
 */
export async function cleanOnly(
  sql: Sql,
  store: ObjectStore,
  job: string,
  prefix: string,
  date: RunDate,
  mode: RunMode,
  kinds: readonly RecordKind[],
): Promise<Omit<BatchReport, 'seconds'>> {
  const topics = batchTopics(prefix);
  const tables = {} as Record<RecordKind | 'rejects', TableReport>;
  const read = {} as Record<RecordKind, { objects: number; records: number }>;
  const rejects = {} as Record<RecordKind, Record<string, number>>;
  for (const kind of RECORD_KINDS) {
    rejects[kind] = {};
    read[kind] = { objects: 0, records: 0 };
    if (!kinds.includes(kind)) {
      tables[kind] = notInRun(`tables/${kind}`, 'not part of this run');
      continue;
    }
    const table = await openCleanTable(sql, store, kind);
    const objects = await listRawObjects(store, topics[kind]);
    const o = await cleanKind({ sql, store, kind, job, date, mode, table, objects, rejectsWatermarks: undefined });
    await sql.exec(`DROP TABLE IF EXISTS "${o.rejectsRelation}"`);
    batchMetrics.objectsRead.inc({ kind }, o.objectsRead);
    batchMetrics.recordsRead.inc({ kind }, o.recordsRead);
    batchMetrics.rowsAdded.inc({ table: o.table.table }, o.table.rowsAdded);
    tables[kind] = o.table;
    read[kind] = { objects: o.objectsRead, records: o.recordsRead };
  }
  tables.rejects = notInRun(REJECTS_TABLE, 'left to a run of all kinds');
  return { job, date: date.text, mode, tables, read, rejects, results: {} };
}
