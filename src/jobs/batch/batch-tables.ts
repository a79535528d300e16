import { sqlIdent, type Sql } from '../../core/duckdb.js';
import { isError } from '../../core/errors.js';
import { ANALYTICS, type Analytic } from '../../analytics/index.js';
import { columnsFromQuery, DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { CLEAN_COLUMNS, type RecordKind } from '../../transforms/index.js';

/** Lake keys of the tables the batch job writes. */
export const CLEAN_TABLE: Readonly<Record<RecordKind, string>> = { pin: 'tables/pin', geo: 'tables/geo', user: 'tables/user' };
export const REJECTS_TABLE = 'tables/rejects';

/** Lake key of the Delta table holding one analytics result set. */
export function resultTable(id: string): string {
  return `results/${id}`;
}

/** The batch job's name: the txn appId of its commits (docs/data.md §1: the DAG `<prefix>_dag`). */
export function batchJobName(prefix: string): string {
  return `${prefix}_dag`;
}

const typed = (cols: readonly { name: string; type: string }[]): string =>
  `SELECT ${cols.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')}`;

/** The rejects table's columns, as rejectsFromClassifiedSql gives them. */
export const REJECT_COLUMNS = [
  { name: 'kind', type: 'VARCHAR' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'reason', type: 'VARCHAR' },
  { name: 'payload', type: 'VARCHAR' },
] as const;

/** Open a batch table, creating it (empty, with its schema) the first time. Lost commit races are not retried: they mean a concurrent run. */
async function openOrCreate(sql: Sql, store: ObjectStore, key: string, select: string, description: string): Promise<DeltaTable> {
  const opts = { sql, maxCommitRetries: 0 };
  try {
    return await DeltaTable.open(store, key, opts);
  } catch (err) {
    if (!isError(err, 'DELTA_TABLE_NOT_FOUND')) throw err;
    return DeltaTable.create(store, key, { ...opts, columns: await columnsFromQuery(sql, select), description, ifNotExists: true });
  }
}

/** The cleaned table of a kind (docs/data.md §4 columns). */
export function openCleanTable(sql: Sql, store: ObjectStore, kind: RecordKind): Promise<DeltaTable> {
  return openOrCreate(
    sql,
    store,
    CLEAN_TABLE[kind],
    typed(CLEAN_COLUMNS[kind]),
    `Cleaned ${kind} records (docs/data.md §4), one row per ind, written by the batch job`,
  );
}

/** The rejects table: records the cleaning refused, with their source position and reason. */
export function openRejectsTable(sql: Sql, store: ObjectStore): Promise<DeltaTable> {
  return openOrCreate(
    sql,
    store,
    REJECTS_TABLE,
    typed(REJECT_COLUMNS),
    'Raw records the batch cleaning rejected (not JSON, not an object, missing or bad key)',
  );
}

/** The table of one analytics result set (its docs/data.md §5 columns). */
export function openResultTable(sql: Sql, store: ObjectStore, a: Analytic): Promise<DeltaTable> {
  return openOrCreate(sql, store, resultTable(a.id), typed(a.columns), a.description);
}

/** The analytic with this id, or undefined. */
export function analyticById(id: string): Analytic | undefined {
  return ANALYTICS.find((a) => a.id === id);
}
