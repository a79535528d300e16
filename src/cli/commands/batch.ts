import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { int } from '../options.js';
import { withFormat, type Format } from '../output.js';
import { examples } from '../program.js';

/** Options of `pinpipe batch run`. */
export interface BatchRunOptions {
  date?: string;
  rerun?: boolean;
  full?: boolean;
  format?: Format;
  json?: boolean;
}

/** Options of `pinpipe query`. */
export interface QueryOptions {
  format?: Format;
  json?: boolean;
  list?: boolean;
  limit?: number;
}

/** `pinpipe batch run` and `pinpipe query`: the batch layer and its stored analytics. */
export function registerBatch(program: Command, globals: () => GlobalOptions): void {
  const batch = program.command('batch').description('the batch layer: raw lake → cleaned Delta tables → analytics');
  const run = batch
    .command('run')
    .description(
      'run the batch job now: clean what arrived since the last run into tables/pin|geo|user (rejects into tables/rejects), then store the analytics under results/',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'the run for this logical date: it happens once, a second run of the date adds nothing (without --date: today, UTC, adding whatever arrived since the last run)',
    )
    .option('--rerun', 'with --date: run a date that already ran again, adding only what arrived since')
    .option('--full', 'rebuild every table from all raw objects');
  withFormat(run, ['table', 'json']).action(async (o: BatchRunOptions) => (await import('./batch-action.js')).runBatchCommand(o, globals()));
  examples(run, ['pinpipe batch run', 'pinpipe batch run --date 2026-11-26', 'pinpipe batch run --full --json']);

  const query = program
    .command('query')
    .description('print a result set of the batch job (the ten analytics), or list them with --list')
    .argument('[name]', 'result set name, e.g. popular_category_by_country (pinpipe query --list shows all)')
    .option('--list', 'list the result sets and when each was computed')
    .addOption(new Option('--limit <n>', 'print at most this many rows').argParser(int({ min: 0 })));
  withFormat(query).action(async (name: string | undefined, o: QueryOptions) => (await import('./batch-action.js')).runQuery(name, o, globals()));
  examples(query, ['pinpipe query --list', 'pinpipe query popular_category_by_country', 'pinpipe query most_followed_per_country --limit 3 --format csv']);
}
