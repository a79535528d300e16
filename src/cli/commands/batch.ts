import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../core/config.js';
import { openDuckDB } from '../../core/duckdb.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { LocalObjectStore } from '../../lake/local/local-store.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { lastBatchCommitAt, startBatchTimer } from '../../jobs/batch/batch-timer.js';
import {
  batchJobName,
  formatResultJson,
  formatResultTable,
  listResults,
  parseRunDate,
  readResult,
  readResultCsv,
  runBatch,
  type BatchOptions,
  type BatchReport,
  type RunMode,
} from '../../jobs/batch/index.js';
import { configFrom, lakeDir, type GlobalOptions, type Runtime } from '../runtime.js';

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
    const what = t.status === 'committed' ? `v${t.version}  +${t.rowsAdded} rows` : `${t.status}: ${t.reason ?? ''}`;
    lines.push(`  ${t.table.padEnd(15)} ${what}${read ? `  (read ${read.objects} objects, ${read.records} records)` : ''}`);
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

/** Inside `pinpipe up`: run the batch job every `batch.intervalMs` (daily by default; each run adds what arrived since the last one). */
export function startBatchSchedule(rt: Runtime, enabled: boolean): { stop(): Promise<void> } | undefined {
  const { config } = rt;
  if (!enabled || config.batch.intervalMs === 0) return undefined;
  const opts = batchOptionsFrom(config, rt.logger, rt.lake);
  return startBatchTimer({
    intervalMs: config.batch.intervalMs,
    run: () => runBatch({ ...opts, mode: 'rerun' }),
    lastCommitAt: () => lastBatchCommitAt(rt.lake, batchJobName(config.prefix)),
    logger: rt.logger.child({ component: 'batch' }),
  });
}

/** The `pinpipe up` banner line for the batch job. */
export function batchScheduleLine(rt: Runtime, timer: unknown): string {
  const every = rt.config.batch.intervalMs;
  const when = every % 3_600_000 === 0 ? `${every / 3_600_000} h` : `${every / 1000} s`;
  return timer
    ? `  batch job    every ${when} → ${lakeDir(rt.config)}/tables/, results/ (now: pinpipe batch run; read: pinpipe query --list)`
    : '  batch job    off (run it with: pinpipe batch run)';
}

/** `pinpipe batch run` and `pinpipe query`: the batch layer and its stored analytics. */
export function registerBatch(program: Command, globals: () => GlobalOptions): void {
  const batch = program.command('batch').description('the batch layer: raw lake → cleaned Delta tables → analytics');
  batch
    .command('run')
    .description(
      'run the batch job now: clean what arrived since the last run into tables/pin|geo|user (rejects into tables/rejects), then store the analytics under results/',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'the run for this logical date: it happens once, a second run of the date adds nothing (without --date: today, UTC, adding whatever arrived since the last run)',
    )
    .option('--rerun', 'with --date: run a date that already ran again, adding only what arrived since')
    .option('--full', 'rebuild every table from all raw objects')
    .option('--json', 'print the run report as JSON')
    .action(async (o: { date?: string; rerun?: boolean; full?: boolean; json?: boolean }) => {
      const config = configFrom(globals());
      // Without a date the user asks for "now": today's run, or a rerun of today when it already ran.
      const mode: RunMode = o.full ? 'full' : o.rerun || o.date === undefined ? 'rerun' : 'incremental';
      const report = await runBatch({
        ...batchOptionsFrom(config, createLogger(config.logLevel)),
        date: o.date === undefined ? undefined : parseRunDate(o.date),
        mode,
      });
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : summary(report));
    });

  program
    .command('query')
    .description('print a stored analytics result set (SPEC §5), or list them with --list')
    .argument('[id]', 'result set id, e.g. popular_category_by_country')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--list', 'list the result set ids and when each was computed')
    .action(async (id: string | undefined, o: { format: string; list?: boolean }) => {
      const config = configFrom(globals());
      const store = new LocalObjectStore(lakeDir(config));
      const sql = await openDuckDB({ threads: 1 });
      try {
        if (o.list || id === undefined) {
          for (const r of await listResults(store, sql, batchJobName(config.prefix))) {
            const when =
              r.computedAt === undefined ? 'not computed yet' : `computed ${new Date(r.computedAt).toISOString()} (run date ${r.date}, ${r.rows ?? '?'} rows)`;
            process.stdout.write(`${r.id.padEnd(46)} ${when}\n`);
          }
          return;
        }
        if (!['table', 'json', 'csv'].includes(o.format)) {
          process.stderr.write(`error: --format must be table, json or csv, got ${JSON.stringify(o.format)}\n`);
          process.exitCode = 2;
          return;
        }
        if (o.format === 'csv') process.stdout.write(await readResultCsv(store, sql, id));
        else process.stdout.write((o.format === 'json' ? formatResultJson : formatResultTable)(await readResult(store, sql, id)));
      } finally {
        sql.close();
      }
    });
}
