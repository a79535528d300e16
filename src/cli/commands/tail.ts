import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { int } from '../options.js';
import { FORMATS, type Format } from '../output.js';
import { examples } from '../program.js';

/** Options of `pinpipe tail`. */
export interface TailOptions {
  fromBeginning?: boolean;
  partition?: number;
  count?: number;
  exit?: boolean;
  keys?: boolean;
  format: Format;
  json?: boolean;
}

/** `pinpipe tail TOPIC`: print a topic's records as they arrive, like kcat -C or kafka-console-consumer. */
export function registerTail(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command('tail')
    .description("print a topic's (or stream's) records as they arrive, one per line, until Ctrl-C (like kcat -C)")
    .argument('<topic>', 'topic or stream name, e.g. pinterest.pin (pinpipe topics lists them)')
    .option('--from-beginning', 'start at the oldest record instead of only new ones')
    .addOption(new Option('--partition <p>', 'only this partition (default: all)').argParser(int({ min: 0 })))
    .addOption(new Option('-c, --count <n>', 'exit after this many records').argParser(int({ min: 1 })))
    .option('-e, --exit', 'exit at the end of the topic instead of waiting for more')
    .option('--keys', 'print each key before its value, tab-separated (table format)')
    .addOption(
      new Option('--format <format>', 'table: the value per line; json: one JSON object per record with its position; csv: one CSV row per record')
        .choices(FORMATS)
        .default('table'),
    )
    .addOption(new Option('--json', 'the same as --format json'))
    .action(async (topic: string, o: TailOptions) => (await import('./tail-action.js')).runTail(topic, o, globals()));
  examples(cmd, [
    'pinpipe tail pinterest.pin --from-beginning -e',
    'pinpipe tail streaming-pinterest-geo --json',
    'pinpipe tail pinterest.user --partition 0 -c 10',
  ]);
}
