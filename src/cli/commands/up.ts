import type { Command } from 'commander';
import { sinkTopicsRegex } from '../../core/config.js';
import { buildApp, listen } from '../../ingest/app.js';
import { LakeSink } from '../../lake/sink/lake-sink.js';
import { runEmulator } from '../../emulator/index.js';
import { configFrom, lakeDir, openRuntime, type GlobalOptions } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import type { StreamJob } from '../../jobs/stream/index.js';
import { startStreamJob, streamJobLine } from './stream.js';
import { batchScheduleLine, startBatchSchedule } from './batch.js';

interface UpOptions {
  port?: string;
  host?: string;
  emulate?: boolean;
  sink?: boolean;
  stream?: boolean;
  batch?: boolean;
}

/** `pinpipe up`: the API and the lake sink in one process (optionally the demo emulator too). */
export function registerUp(program: Command, globals: () => GlobalOptions): void {
  program
    .command('up')
    .description('run the ingest API and the lake sink (and the emulator with --emulate) in one process')
    .option('--port <n>', 'API port (default 8082)')
    .option('--host <addr>', 'API bind address (default 127.0.0.1)')
    .option('--emulate', 'also run the emulator against the API, for a demo')
    .option('--no-sink', 'do not run the lake sink')
    .option('--no-stream', 'do not run the stream job')
    .option('--no-batch', 'do not run the batch job on its timer (batch.intervalMs)')
    .action(async (o: UpOptions) => {
      const api: Record<string, unknown> = {};
      if (o.port !== undefined) api.port = Number(o.port);
      if (o.host !== undefined) api.host = o.host;
      const config = configFrom(globals(), { api });
      const rt = await openRuntime(config);
      const { logger } = rt;
      const sink =
        o.sink !== false && config.sink.enabled
          ? new LakeSink({
              log: rt.log,
              store: rt.lake,
              topicsRegex: sinkTopicsRegex(config),
              flushSize: config.sink.flushSize,
              rotateIntervalMs: config.sink.rotateIntervalMs,
              topicScanIntervalMs: config.sink.topicScanIntervalMs,
              logger: logger.child({ component: 'sink' }),
            })
          : undefined;
      let stream: StreamJob | undefined;
      const app = await buildApp({ config, log: rt.log, logger, health: () => ({ sink: sink?.health() ?? 'off', stream: stream?.health() ?? 'off' }) });
      const url = await listen(app, config, logger);
      await sink?.start();
      stream = await startStreamJob(rt, o.stream !== false);
      const batch = startBatchSchedule(rt, o.batch !== false);
      const emulation = new AbortController();
      // The demo emulates both of the original's senders: to the topics (batch) and to the streams.
      const emulate = (mode: 'batch' | 'stream') =>
        runEmulator({
          url: url.replace('0.0.0.0', '127.0.0.1'),
          prefix: config.prefix,
          rows: config.emulator.rows,
          seed: config.emulator.seed,
          mode,
          apiKey: config.api.apiKeys[0],
          signal: emulation.signal,
          logger: logger.child({ component: 'emulator', mode }),
        });
      const emulator = o.emulate ? Promise.all([emulate('batch'), emulate('stream')]) : undefined;
      process.stdout.write(
        [
          `pinpipe is up.`,
          `  API          ${url}   (POST /topics/${config.prefix}.pin, GET /health, GET /metrics)`,
          `  log          ${config.dataDir}/log`,
          `  lake         ${lakeDir(config)}/topics/ ${sink ? `(objects close every ${config.sink.flushSize} records or ${config.sink.rotateIntervalMs / 1000} s)` : '(sink off)'}`,
          streamJobLine(rt, stream),
          batchScheduleLine(rt, batch),
          o.emulate
            ? `  emulator     posting rows of a ${config.emulator.rows}-row synthetic dataset to ${config.prefix}.pin|geo|user and streaming-${config.prefix}-pin|geo|user`
            : '',
          `Stop with Ctrl-C.`,
          '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      onShutdown(logger, async () => {
        emulation.abort();
        await emulator?.catch(() => undefined);
        await app.close();
        await stream?.stop();
        await batch?.stop();
        await sink?.stop();
        await rt.close();
      });
    });
}
