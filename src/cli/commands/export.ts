import type { Command } from 'commander';
import { examples } from '../program.js';

/** Options of `pinpipe export spark`. */
export interface ExportSparkOptions {
  out: string;
}

/** `pinpipe export spark`: the batch job as one PySpark file for Spark clusters (Databricks, EMR, spark-submit). */
export function registerExport(program: Command): void {
  const exp = program.command('export').description('export pinpipe jobs to run on other engines');
  const spark = exp
    .command('spark')
    .description(
      'write pinpipe_batch_job.py: the batch job (raw lake → tables/pin|geo|user and tables/rejects → results/*) as PySpark for Spark 4 with Delta Lake, its SQL generated from the same rules as `pinpipe batch run`',
    )
    .option('--out <dir>', 'the folder to write it to', '.')
    .action(async (o: ExportSparkOptions) => (await import('./export-action.js')).exportSparkCommand(o));
  examples(spark, [
    'pinpipe export spark --out ./spark',
    'python ./spark/pinpipe_batch_job.py --lake ./pinpipe-data/lake --prefix pinterest --date 2026-11-26',
    'spark-submit --packages io.delta:delta-spark_4.1_2.13:4.4.0 ./spark/pinpipe_batch_job.py --lake s3a://bucket/lake --prefix pinterest',
  ]);
}
