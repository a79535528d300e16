import { PinpipeError } from '../core/errors.js';
import type { Sql } from '../core/duckdb.js';
import { ANALYTICS, type AnalyticsRelations } from './registry.js';

/**
 * Runs every result set of docs/data.md §5 over the cleaned tables `rels` and returns its rows by id, in
 * the order of docs/data.md §5 (rows as `Sql.all` gives them: BIGINT → bigint). String order is code-point
 * order, which needs DuckDB's default binary collation: throws CONFIG_INVALID if it was changed.
 * @example const results = await runAnalytics(sql, { pin: 'pin', geo: 'geo', user: 'user' })
 */
export async function runAnalytics(sql: Sql, rels: AnalyticsRelations, ids?: readonly string[]): Promise<Map<string, Record<string, unknown>[]>> {
  const [{ collation }] = await sql.all<{ collation: string }>(`SELECT current_setting('default_collation') AS collation`);
  if (collation !== '' && collation.toLowerCase() !== 'binary') {
    throw new PinpipeError(
      'CONFIG_INVALID',
      `The analytics need DuckDB's binary collation (code-point order); default_collation is ${JSON.stringify(collation)}.`,
    );
  }
  const out = new Map<string, Record<string, unknown>[]>();
  for (const a of ANALYTICS) {
    if (ids && !ids.includes(a.id)) continue;
    out.set(a.id, await sql.all(a.sql(rels)));
  }
  return out;
}
