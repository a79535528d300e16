import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { port } from '../options.js';
import { examples } from '../program.js';

/** Options of `pinpipe stream`. */
export interface StreamOptions {
  untilCaughtUp?: boolean;
  metricsPort?: number;
}

/** `pinpipe stream`: run only the stream job (streams → Delta tables), without the API. */
export function registerStream(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command('stream')
    .description('run only the stream job: streaming-<prefix>-pin|geo|user → <prefix>_*_table Delta tables, until stopped')
    .option('--until-caught-up', 'process what the streams hold now, commit, and exit')
    .addOption(
      new Option('--metrics-port <n>', 'serve GET /metrics and GET /api/status on 127.0.0.1:<n> (for Prometheus and pinpipe status --url)').argParser(port),
    )
    .action(async (o: StreamOptions) => (await import('./stream-action.js')).runStream(o, globals()));
  examples(cmd, ['pinpipe stream --until-caught-up', 'pinpipe stream --metrics-port 9464']);
}
