import type { Sql } from '../../core/duckdb.js';
import { isError } from '../../core/errors.js';
import { columnsFromQuery, DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { cleanSql, rejectsSql, type RecordKind } from '../../transforms/index.js';

/** A table the stream job writes: one per record kind, and one for rejects. */
export type StreamTableId = RecordKind | 'rejects';

/**
 * The lake keys of the streamed tables (docs/data.md §1): `tables/<prefix>_pin_table`, …, and
 * `tables/<prefix>_rejects_table` for the records no kind could clean.
 */
export function streamTableKeys(prefix: string): Record<StreamTableId, string> {
  return {
    pin: `tables/${prefix}_pin_table`,
    geo: `tables/${prefix}_geo_table`,
    user: `tables/${prefix}_user_table`,
    rejects: `tables/${prefix}_rejects_table`,
  };
}

/** The `txn` appId the job `jobId` uses on a table for the records of stream kind `kind`. */
export function streamAppId(jobId: string, kind: RecordKind, table: 'clean' | 'rejects'): string {
  return table === 'clean' ? `${jobId}-${kind}` : `${jobId}-${kind}-rejects`;
}

const SCHEMA_RAW = 'stream_schema_raw';

/** The columns of a streamed table: exactly what the shared cleaning (or rejects) query returns. */
async function tableColumns(sql: Sql, id: StreamTableId): ReturnType<typeof columnsFromQuery> {
  await sql.exec(`CREATE TEMP TABLE IF NOT EXISTS ${SCHEMA_RAW} (payload VARCHAR, source VARCHAR)`);
  return columnsFromQuery(sql, id === 'rejects' ? rejectsSql('pin', SCHEMA_RAW) : cleanSql(id, SCHEMA_RAW));
}

export interface OpenTableOptions {
  sql: Sql;
  /** Tombstone retention written into a new table's properties (vacuum uses the same). */
  retentionMs: number;
}

/** Open a streamed table, creating it (empty, with the cleaning's schema) when missing. */
export async function openStreamTable(store: ObjectStore, key: string, id: StreamTableId, opts: OpenTableOptions): Promise<DeltaTable> {
  try {
    return await DeltaTable.open(store, key, { sql: opts.sql });
  } catch (err) {
    if (!isError(err, 'DELTA_TABLE_NOT_FOUND')) throw err;
  }
  return DeltaTable.create(store, key, {
    sql: opts.sql,
    columns: await tableColumns(opts.sql, id),
    configuration: { 'delta.deletedFileRetentionDuration': `interval ${Math.ceil(opts.retentionMs / 1000)} seconds` },
    description:
      id === 'rejects'
        ? 'Records of the streams that could not be cleaned (pinpipe stream job)'
        : `Cleaned ${id} records of the stream (pinpipe stream job), one row per ind`,
    ifNotExists: true,
  });
}
