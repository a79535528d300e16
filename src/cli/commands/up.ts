import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { port } from '../options.js';
import { examples } from '../program.js';

/** Options of `pinpipe up`. */
export interface UpOptions {
  port?: number;
  host?: string;
  emulate?: boolean;
  sink?: boolean;
  stream?: boolean;
  batch?: boolean;
}

/** `pinpipe up`: the API, the lake sink, the stream job and the scheduler in one process (optionally the demo emulator too). */
export function registerUp(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command('up')
    .description('run the whole pipeline in one process: ingest API, lake sink, stream job, batch job (and the emulator with --emulate)')
    .addOption(new Option('--port <n>', 'API port (default 8082; 0 = any free port)').argParser(port))
    .option('--host <addr>', 'API bind address (default 127.0.0.1)')
    .option('--emulate', 'also run the emulator against the API, for a demo')
    .option('--no-sink', 'do not run the lake sink')
    .option('--no-stream', 'do not run the stream job')
    .option('--no-batch', 'do not run the scheduler (the batch DAG <prefix>_dag on scheduler.schedule)')
    .action(async (o: UpOptions) => (await import('./up-action.js')).runUp(o, globals()));
  examples(cmd, ['pinpipe up --emulate', 'pinpipe --data-dir /var/lib/pinpipe up --port 9082 --no-batch']);
}
