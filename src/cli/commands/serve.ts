import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { port } from '../options.js';
import { examples } from '../program.js';

/** Options of `pinpipe serve`. */
export interface ServeOptions {
  port?: number;
  host?: string;
}

/**
 * `pinpipe serve`: the ingest API alone (REST Proxy produce and consumers, the Kinesis API), for
 * running several API instances behind a load balancer while the sink and the jobs run elsewhere
 * (`pinpipe sink`, `pinpipe stream`, `pinpipe batch run`) on the same logs and lake.
 */
export function registerServe(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command('serve')
    .description('run only the ingest API (stateless: point every instance at the same --log/--streams)')
    .addOption(new Option('--port <n>', 'API port (default 8082)').argParser(port))
    .option('--host <addr>', 'API bind address (default 127.0.0.1)')
    .action(async (o: ServeOptions) => (await import('./serve-action.js')).runServe(o, globals()));
  examples(cmd, ['pinpipe --log kafka://10.0.0.5:9092 serve --host 0.0.0.0 --port 8082']);
}
