import { ANALYTICS } from '../analytics/index.js';
import { sqlIdent, type Sql } from '../core/duckdb.js';
import { DeltaTable } from '../delta/index.js';
import { CLEAN_TABLE, REJECTS_TABLE, resultTable } from '../jobs/batch/index.js';
import { streamTableKeys } from '../jobs/stream/index.js';
import type { ObjectStore } from '../lake/object-store.js';

/** A Delta table of the lake under the name SQL sees it by. */
export interface LakeView {
  /** View name, e.g. `pin`, `pinterest_pin_table`, `popular_category_by_country`. */
  name: string;
  /** Lake key of the Delta table, e.g. `tables/pin`. */
  table: string;
  /** Who writes it. */
  layer: 'batch' | 'stream' | 'result';
}

/** Every table pinpipe writes, by view name: the batch tables, the stream tables and the result sets. */
export function lakeViews(prefix: string): LakeView[] {
  const stream = streamTableKeys(prefix);
  return [
    ...Object.entries(CLEAN_TABLE).map(([name, table]) => ({ name, table, layer: 'batch' as const })),
    { name: 'rejects', table: REJECTS_TABLE, layer: 'batch' },
    ...Object.values(stream).map((table) => ({ name: table.replace(/^tables\//, ''), table, layer: 'stream' as const })),
    ...ANALYTICS.map((a) => ({ name: a.id, table: resultTable(a.id), layer: 'result' as const })),
  ];
}

/** The views a query names (as whole words, any case): only those tables are opened. */
export function viewsNamedIn(query: string, views: readonly LakeView[]): LakeView[] {
  const words = new Set(query.toLowerCase().match(/[a-z0-9_]+/g) ?? []);
  return views.filter((v) => words.has(v.name.toLowerCase()));
}

/**
 * Register each of `views` that exists in the lake as a DuckDB view of its latest Delta snapshot
 * (read through src/delta: the log replayed, only live files scanned). Returns the ones missing.
 */
export async function registerLakeViews(sql: Sql, store: ObjectStore, views: readonly LakeView[]): Promise<LakeView[]> {
  const missing: LakeView[] = [];
  for (const v of views) {
    if (!(await DeltaTable.exists(store, v.table))) {
      missing.push(v);
      continue;
    }
    const table = await DeltaTable.open(store, v.table, { sql });
    await table.registerView(v.name, { sql });
  }
  return missing;
}

/** SQL for a view that is not there yet: an error naming how to make it. */
export function missingViewSql(v: LakeView): string {
  return `CREATE OR REPLACE TEMP VIEW ${sqlIdent(v.name)} AS SELECT error(${sqlIdentLiteral(`${v.name} has no data yet (no Delta table at ${v.table}): ${howToFill(v)}`)})`;
}

function sqlIdentLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function howToFill(v: LakeView): string {
  return v.layer === 'stream' ? 'the stream job writes it (pinpipe up)' : 'run pinpipe batch run';
}
