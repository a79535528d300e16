import { openDuckDB, type Sql } from '../../core/duckdb.js';

/**
 * A DuckDB for the stream job. Its external file cache is off: it would keep the bytes of every
 * data file the writer reads back (for statistics) and of every checkpoint, growing for as long as
 * the job runs (measured: +25 MB per 1,000 micro-batches), and each file is read only once or twice.
 */
export async function openStreamDuckDB(threads: number): Promise<Sql> {
  const sql = await openDuckDB({ threads });
  await sql.exec('SET enable_external_file_cache = false');
  return sql;
}
