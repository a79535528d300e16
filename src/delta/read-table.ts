import { sqlIdent, type Sql } from '../core/duckdb.js';
import type { ObjectStore } from '../lake/object-store.js';
import { scanQuery } from './scan-query.js';
import type { Snapshot } from './snapshot.js';

export interface ViewOptions {
  /** Create a TEMP view (default true: the view names local file paths). */
  temporary?: boolean;
}

/**
 * Register a snapshot as a DuckDB view so the table can be queried with SQL.
 * @example await registerView(sql, store, await table.snapshot(), 'pin'); await sql.all('SELECT count(*) FROM pin');
 */
export async function registerView(sql: Sql, store: ObjectStore, snapshot: Snapshot, viewName: string, opts: ViewOptions = {}): Promise<void> {
  const query = await scanQuery(sql, store, snapshot);
  await sql.exec(`CREATE OR REPLACE ${opts.temporary === false ? '' : 'TEMP '}VIEW ${sqlIdent(viewName)} AS ${query}`);
}

/** Every row of a snapshot as JS objects (for tests and small tables). */
export async function readRows<T = Record<string, unknown>>(sql: Sql, store: ObjectStore, snapshot: Snapshot): Promise<T[]> {
  return sql.all<T>(await scanQuery(sql, store, snapshot));
}
