import type { Command } from 'commander';
import { generateFiles, runEmulator } from '../../emulator/index.js';
import { createLogger } from '../../core/logger.js';
import { configFrom, type GlobalOptions } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import { intOption } from './options.js';

/** `pinpipe generate` and `pinpipe emulate`: synthetic data to files or to a running API. */
export function registerData(program: Command, globals: () => GlobalOptions): void {
  program
    .command('generate')
    .description('write a seeded synthetic dataset as pin.jsonl, geo.jsonl and user.jsonl')
    .option('--rows <n>', 'rows per table', '11000')
    .option('--seed <n>', 'random seed', '42')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (o: { rows: string; seed: string; out: string }) => {
      const rows = intOption(o.rows, '--rows');
      const tty = process.stderr.isTTY;
      const t0 = performance.now();
      const r = await generateFiles({
        rows,
        seed: intOption(o.seed, '--seed'),
        outDir: o.out,
        onProgress: tty ? (done: number) => process.stderr.write(`\r  ${done.toLocaleString()} / ${rows.toLocaleString()} rows`) : undefined,
      });
      if (tty) process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify({ ...r, outDir: o.out, seconds: +((performance.now() - t0) / 1000).toFixed(2) })}\n`);
    });

  program
    .command('emulate')
    .description('post emulated Pinterest records to a running pinpipe API, like the original user_posting_emulation.py')
    .option('--url <url>', 'API base URL', 'http://127.0.0.1:8082')
    .option('--rows <n>', 'rows in the synthetic source dataset')
    .option('--seed <n>', 'dataset seed')
    .option('--rate <n>', 'iterations per second (each sends a pin, a geo and a user record)')
    .option('--no-sleep', 'send as fast as possible instead of sleeping 0-1 s between iterations')
    .option('--batch-size <n>', 'records per request (1 = the original: one record per POST)', '1')
    .option('--concurrency <n>', 'requests in flight', '1')
    .option('--iterations <n>', 'stop after this many iterations')
    .option('--duration <s>', 'stop after this many seconds')
    .option('--mode <mode>', 'batch (Kafka REST topics) or stream (Kinesis-style streams)', 'batch')
    .option('--api-key <key>', 'API key sent as Authorization: Bearer')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const config = configFrom(globals());
      const logger = createLogger(config.logLevel);
      const abort = new AbortController();
      onShutdown(logger, async () => abort.abort());
      const num = (v: unknown, name: string) => (v === undefined ? undefined : intOption(String(v), name));
      const result = await runEmulator({
        url: String(o.url),
        prefix: config.prefix,
        rows: num(o.rows, '--rows') ?? config.emulator.rows,
        seed: num(o.seed, '--seed') ?? config.emulator.seed,
        ratePerSec: o.rate === undefined ? undefined : Number(o.rate),
        noSleep: o.sleep === false,
        batchSize: num(o.batchSize, '--batch-size'),
        concurrency: num(o.concurrency, '--concurrency'),
        iterations: num(o.iterations, '--iterations'),
        durationMs: o.duration === undefined ? undefined : Number(o.duration) * 1000,
        mode: o.mode === 'stream' ? 'stream' : 'batch',
        apiKey: typeof o.apiKey === 'string' ? o.apiKey : config.api.apiKeys[0],
        signal: abort.signal,
        logger,
      });
      process.stdout.write(`${JSON.stringify(result, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))}\n`);
      process.exit(0);
    });
}
