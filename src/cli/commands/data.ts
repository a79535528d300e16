import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { int, positive } from '../options.js';
import { examples } from '../program.js';

/** Options of `pinpipe generate`. */
export interface GenerateOptions {
  rows: number;
  seed: number;
  out: string;
}

/** Options of `pinpipe emulate`. */
export interface EmulateOptions {
  url: string;
  rows?: number;
  seed?: number;
  rate?: number;
  sleep?: boolean;
  batchSize: number;
  concurrency: number;
  iterations?: number;
  duration?: number;
  mode: 'batch' | 'stream';
  apiKey?: string;
}

/** `pinpipe generate` and `pinpipe emulate`: synthetic data to files or to a running API. */
export function registerData(program: Command, globals: () => GlobalOptions): void {
  const generate = program
    .command('generate')
    .description('write a seeded synthetic dataset as pin.jsonl, geo.jsonl and user.jsonl')
    .addOption(new Option('--rows <n>', 'rows per file').argParser(int({ min: 0 })).default(11_000))
    .addOption(new Option('--seed <n>', 'random seed').argParser(int()).default(42))
    .requiredOption('--out <dir>', 'output directory')
    .action(async (o: GenerateOptions) => (await import('./data-action.js')).runGenerate(o));
  examples(generate, ['pinpipe generate --rows 1000000 --out ./data']);

  const emulate = program
    .command('emulate')
    .description('post emulated Pinterest records to a running pinpipe API, like the original user_posting_emulation.py')
    .option('--url <url>', 'API base URL', 'http://127.0.0.1:8082')
    .addOption(new Option('--rows <n>', 'rows in the synthetic source dataset (default 11000)').argParser(int({ min: 1 })))
    .addOption(new Option('--seed <n>', 'dataset seed (default 42)').argParser(int()))
    .addOption(new Option('--rate <n>', 'iterations per second (each sends a pin, a geo and a user record)').argParser(positive()))
    .option('--no-sleep', 'send as fast as possible instead of sleeping 0-1 s between iterations')
    .addOption(new Option('--batch-size <n>', 'records per request (1 = the original: one record per POST)').argParser(int({ min: 1 })).default(1))
    .addOption(new Option('--concurrency <n>', 'requests in flight').argParser(int({ min: 1, max: 1024 })).default(1))
    .addOption(new Option('--iterations <n>', 'stop after this many iterations').argParser(int({ min: 0 })))
    .addOption(new Option('--duration <s>', 'stop after this many seconds').argParser(positive()))
    .addOption(new Option('--mode <mode>', 'batch (Kafka REST topics) or stream (Kinesis-style streams)').choices(['batch', 'stream']).default('batch'))
    .option('--api-key <key>', 'API key sent as Authorization: Bearer')
    .action(async (o: EmulateOptions) => (await import('./data-action.js')).runEmulate(o, globals()));
  examples(emulate, ['pinpipe emulate --iterations 100 --no-sleep', 'pinpipe emulate --mode stream --rate 50 --duration 60']);
}
