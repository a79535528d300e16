import { openDuckDB, sqlString, type Sql } from '../../core/duckdb.js';
import { DeltaTable } from '../../delta/index.js';
import { LocalObjectStore } from '../../lake/local/local-store.js';
import type { GlobalOptions } from '../globals.js';
import { lakeViews, missingViewSql, registerLakeViews, viewsNamedIn } from '../lake-views.js';
import { formatOf, plural, printRows } from '../output.js';
import { existingConfigFrom, lakeDir } from '../runtime.js';
import type { SqlOptions } from './sql.js';

async function withLake<T>(g: GlobalOptions, fn: (sql: Sql, store: LocalObjectStore, prefix: string) => Promise<T>): Promise<T> {
  const config = existingConfigFrom(g);
  const store = new LocalObjectStore(lakeDir(config));
  const sql = await openDuckDB({ threads: 2 });
  try {
    return await fn(sql, store, config.prefix);
  } finally {
    sql.close();
  }
}

/** The columns of a query, in order (DuckDB describes it; a statement it cannot describe falls back to the first row's keys). */
async function columnsOf(sql: Sql, query: string, rows: readonly Record<string, unknown>[]): Promise<string[]> {
  try {
    return (await sql.describe(query)).map((c) => c.name);
  } catch {
    return Object.keys(rows[0] ?? {});
  }
}

/** `pinpipe sql [query]`. */
export async function runSql(query: string | undefined, o: SqlOptions, g: GlobalOptions): Promise<void> {
  const format = formatOf(o);
  await withLake(g, async (sql, store, prefix) => {
    const views = lakeViews(prefix);
    if (query === undefined || query.trim() === '') {
      const rows = [];
      for (const v of views) {
        const exists = await DeltaTable.exists(store, v.table);
        const snap = exists ? await (await DeltaTable.open(store, v.table, { sql })).snapshot() : undefined;
        rows.push({ view: v.name, layer: v.layer, table: v.table, version: snap?.version ?? null, rows: snap?.numRecords ?? null });
      }
      printRows({ columns: ['view', 'layer', 'table', 'version', 'rows'], rows }, format);
      return;
    }
    const missing = await registerLakeViews(sql, store, viewsNamedIn(query, views));
    for (const v of missing) await sql.exec(missingViewSql(v));
    const rows = await sql.all(query);
    printRows({ columns: await columnsOf(sql, query, rows), rows }, format);
  });
}

/** `pinpipe rejects`: the rejects tables of the batch and stream jobs, oldest source first. */
export async function runRejects(o: SqlOptions, g: GlobalOptions): Promise<void> {
  const format = formatOf(o);
  await withLake(g, async (sql, store, prefix) => {
    const wanted = lakeViews(prefix).filter((v) => v.name.endsWith('rejects') || v.name.endsWith('rejects_table'));
    const layers = wanted.filter((v) => o.layer === 'all' || o.layer === undefined || v.layer === o.layer);
    const missing = new Set(await registerLakeViews(sql, store, layers));
    const present = layers.filter((v) => !missing.has(v));
    const columns = ['layer', 'kind', 'reason', 'source', 'payload'];
    if (present.length === 0) {
      printRows({ columns, rows: [] }, format);
      return;
    }
    const union = present.map((v) => `SELECT ${sqlString(v.layer)} AS layer, kind, reason, source, payload FROM "${v.name}"`).join(' UNION ALL ');
    const where = o.kind ? `WHERE kind = ${sqlString(o.kind)}` : '';
    const [{ n }] = await sql.all<{ n: bigint }>(`SELECT count(*) AS n FROM (${union}) ${where}`);
    const limit = o.limit === 0 || o.limit === undefined ? '' : `LIMIT ${o.limit}`;
    const rows = await sql.all(`SELECT * FROM (${union}) ${where} ORDER BY layer, kind, source ${limit}`);
    printRows({ columns, rows }, format);
    if (rows.length < Number(n)) process.stderr.write(`showing ${rows.length} of ${plural(Number(n), 'rejected record')}: --limit 0 prints all\n`);
  });
}
