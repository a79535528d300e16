import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { cleanSql, rejectsSql, type RecordKind } from '../../src/transforms/index.js';
import { loadRaw, rawRows } from './raw.js';

export type Row = Record<string, unknown>;

/** A DuckDB database for a test file. */
export async function db(): Promise<Sql> {
  return openDuckDB({ threads: 2 });
}

/** Cleans `records` (one per source `r#<i>`) and returns the clean rows by index and the rejects by index. */
export async function cleanRecords(sql: Sql, kind: RecordKind, records: readonly unknown[]): Promise<{ clean: Map<number, Row>; rejects: Map<number, Row> }> {
  await loadRaw(sql, 'raw', rawRows(records));
  const byIndex = (rows: Row[]): Map<number, Row> => new Map(rows.map((r) => [Number(String(r.source).split('#')[1]), r]));
  const clean = byIndex(await sql.all(cleanSql(kind, 'raw', { carry: ['source'] })));
  const rejects = byIndex(await sql.all(rejectsSql(kind, 'raw')));
  return { clean, rejects };
}

/** The value of `column` of each clean record, in input order (undefined for a reject). */
export async function column(sql: Sql, kind: RecordKind, records: readonly unknown[], name: string): Promise<unknown[]> {
  const { clean } = await cleanRecords(sql, kind, records);
  return records.map((_, i) => clean.get(i)?.[name]);
}
