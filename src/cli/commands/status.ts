import type { Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { withFormat, type Format } from '../output.js';
import { examples } from '../program.js';

/** Options of `pinpipe status`. */
export interface StatusOptions {
  url?: string;
  apiKey?: string;
  format?: Format;
  json?: boolean;
}

/** `pinpipe status`: the whole pipeline — API, log, lake sink, stream job, rejects, batch results — from the running `pinpipe up`. */
export function registerStatus(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command('status')
    .description(
      'show the running pipeline: log ends, lake sink lag, stream lag and latency, rejects, batch results (exit 1 when it is not running or degraded)',
    )
    .option('--url <url>', 'the API to ask (default: where the `pinpipe up` of the data dir listens, from its runtime file)')
    .option('--api-key <key>', 'API key to send (default: the first of api.apiKeys)');
  withFormat(cmd, ['table', 'json']).action(async (o: StatusOptions) => (await import('./status-action.js')).runStatus(o, globals()));
  examples(cmd, ['pinpipe status', 'pinpipe status --format json', 'pinpipe status --url http://10.0.0.5:8082 --api-key "$KEY"']);
}
