import type { Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { withFormat, type Format } from '../output.js';
import { examples } from '../program.js';

/** The `--format`/`--json` options of a command that prints data. */
export interface FormatOptions {
  format?: Format;
  json?: boolean;
}

/** `pinpipe config`, `pinpipe topics`, `pinpipe sink`, `pinpipe validate`. */
export function registerAdmin(program: Command, globals: () => GlobalOptions): void {
  withFormat(program.command('config').description('print the effective configuration (defaults ← pinpipe.config.json ← PINPIPE_* ← options)'), [
    'table',
    'json',
  ]).action(async (o: FormatOptions) => (await import('./admin-action.js')).runConfig(o, globals()));

  const topics = program.command('topics').description('list topics with their partitions and record counts');
  withFormat(topics).action(async (o: FormatOptions) => (await import('./admin-action.js')).runTopics(o, globals()));
  examples(topics, ['pinpipe topics', 'pinpipe topics --format csv']);

  program
    .command('sink')
    .description('run only the lake sink (log → lake objects) until stopped')
    .action(async () => (await import('./admin-action.js')).runSink(globals()));

  program
    .command('validate')
    .description('check the configuration, the log and the lake, and report')
    .action(async () => (await import('./admin-action.js')).runValidate(globals()));
}
