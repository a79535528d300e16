import { join, resolve } from 'node:path';
import type { Config } from '../../core/config.js';
import { openDuckDB } from '../../core/duckdb.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { LocalObjectStore } from '../../lake/local/local-store.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { batchJobName, listResults, parseRunDate, readResult, runBatch, type BatchOptions, type BatchReport, type RunMode } from '../../jobs/batch/index.js';
import { ensureWritableDir } from '../data-dir.js';
import type { GlobalOptions } from '../globals.js';
import { formatOf, plural, printRows, printValue } from '../output.js';
import { existingConfigFrom, lakeDir } from '../runtime.js';
import type { BatchRunOptions, QueryOptions } from './batch.js';

/** The batch job's options from the config (lake, prefix, DuckDB threads, memory and spill directory). */
export function batchOptionsFrom(config: Config, logger: Logger, store: ObjectStore = new LocalObjectStore(lakeDir(config))): BatchOptions {
  return {
    store,
    prefix: config.prefix,
    duckdb: {
      threads: config.batch.threads || undefined,
      memoryLimit: `${config.batch.memoryLimitMb}MB`,
      tempDirectory: join(resolve(config.dataDir), 'tmp', 'batch'),
    },
    logger,
  };
}

/** A run report as a few human lines. */
function summary(r: BatchReport): string {
  const lines = [`batch ${r.job} for ${r.date} (${r.mode}) in ${r.seconds.toFixed(1)} s`];
  for (const [kind, t] of Object.entries(r.tables)) {
    const read = kind in r.read ? r.read[kind as keyof BatchReport['read']] : undefined;
    const what = t.status === 'committed' ? `v${t.version}  +${plural(t.rowsAdded, 'row')}` : `${t.status}: ${t.reason ?? ''}`;
    lines.push(`  ${t.table.padEnd(15)} ${what}${read ? `  (read ${plural(read.objects, 'object')}, ${plural(read.records, 'record')})` : ''}`);
  }
  const rejects = Object.entries(r.rejects).map(
    ([k, byReason]) =>
      `${k} ${Object.values(byReason).reduce((a, b) => a + b, 0)}${
        Object.keys(byReason).length
          ? ` (${Object.entries(byReason)
              .map(([why, n]) => `${why} ${n}`)
              .join(', ')})`
          : ''
      }`,
  );
  lines.push(`  rejected        ${rejects.join(', ')}`);
  const counts = new Map<string, number>();
  for (const t of Object.values(r.results)) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  lines.push(`  results/*       ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `pinpipe batch run`. */
export async function runBatchCommand(o: BatchRunOptions, g: GlobalOptions): Promise<void> {
  const config = existingConfigFrom(g);
  const format = formatOf(o);
  ensureWritableDir(lakeDir(config), ['tables', 'results']);
  // Without a date the user asks for "now": today's run, or a rerun of today when it already ran.
  const mode: RunMode = o.full ? 'full' : o.rerun || o.date === undefined ? 'rerun' : 'incremental';
  const date = o.date === undefined ? undefined : parseRunDate(o.date);
  const report = await runBatch({ ...batchOptionsFrom(config, createLogger(g.verbose ? 'debug' : 'warn')), date, mode });
  printValue(report, format, () => summary(report));
}

/** `pinpipe query [name]`. */
export async function runQuery(name: string | undefined, o: QueryOptions, g: GlobalOptions): Promise<void> {
  const config = existingConfigFrom(g);
  const format = formatOf(o);
  const store = new LocalObjectStore(lakeDir(config));
  const sql = await openDuckDB({ threads: 1 });
  try {
    if (o.list || name === undefined) {
      const rows = (await listResults(store, sql, batchJobName(config.prefix))).map((r) => ({
        name: r.id,
        computed_at: r.computedAt === undefined ? null : new Date(r.computedAt).toISOString(),
        run_date: r.date ?? null,
        rows: r.rows ?? null,
        description: r.description,
      }));
      printRows({ columns: ['name', 'computed_at', 'run_date', 'rows', 'description'], rows }, format);
      return;
    }
    const result = await readResult(store, sql, name);
    printRows({ columns: result.columns, rows: o.limit === undefined ? result.rows : result.rows.slice(0, o.limit) }, format);
  } finally {
    sql.close();
  }
}
