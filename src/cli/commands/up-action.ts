import { sinkTopicsRegex } from '../../core/config.js';
import { DASHBOARD_OPEN_PATHS, dashboardPlugin, PINPIPE_VERSION } from '../../dashboard/index.js';
import { buildApp, listen } from '../../ingest/app.js';
import { LakeSink } from '../../lake/sink/lake-sink.js';
import { runEmulator } from '../../emulator/index.js';
import type { StreamJob } from '../../jobs/stream/index.js';
import { ensureWritableDir } from '../data-dir.js';
import type { GlobalOptions } from '../globals.js';
import { acquireDataDirLock } from '../lock.js';
import { startPulse } from '../pulse.js';
import { describeLogUrl, logUrls } from '../../log/index.js';
import { configFrom, lakeDir, openRuntime } from '../runtime.js';
import { clientUrl, writeRuntimeFile } from '../runtime-file.js';
import { onShutdown } from '../shutdown.js';
import { startStreamJob, streamJobLine } from './stream-action.js';
import { schedulerLine, startDagScheduler, type UpScheduler } from './up-scheduler.js';
import type { UpOptions } from './up.js';

/** Run `pinpipe up` until SIGINT/SIGTERM. */
export async function runUp(o: UpOptions, g: GlobalOptions): Promise<void> {
  const api: Record<string, unknown> = {};
  if (o.port !== undefined) api.port = o.port;
  if (o.host !== undefined) api.host = o.host;
  // The demo closes lake objects every few seconds so the batch DAG's frequent runs find data.
  const demo = Boolean(o.emulate) && o.batch !== false;
  const base = configFrom(g, { api });
  const config = demo ? configFrom(g, { api, sink: { rotateIntervalMs: base.scheduler.demoSinkRotateIntervalMs } }) : base;
  ensureWritableDir(config.dataDir, ['log', 'lake']);
  const lock = acquireDataDirLock(config.dataDir, 'up');
  const rt = await openRuntime(config);
  const { logger } = rt;
  const urls = logUrls(config);
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
  let batch: UpScheduler | undefined;
  let url: string | undefined;
  const app = await buildApp({
    config,
    log: rt.log,
    streams: rt.streams,
    logger,
    health: () => ({ sink: sink?.health() ?? 'off', stream: stream?.health() ?? 'off' }),
    plugins: [
      dashboardPlugin({ config, log: rt.log, store: rt.lake, url: () => url, sink: () => sink, stream: () => stream, scheduler: () => batch?.scheduler }),
    ],
    openPaths: DASHBOARD_OPEN_PATHS,
  });
  try {
    url = clientUrl(await listen(app, config, logger));
  } catch (err) {
    await app.close();
    await rt.close();
    lock.release();
    throw err;
  }
  // Where this pipeline listens, for `pinpipe status` and the other commands (removed on exit).
  const runtimeFile = writeRuntimeFile(config.dataDir, { url, dashboard: `${url}/`, startedAt: Date.now(), prefix: config.prefix, version: PINPIPE_VERSION });
  await sink?.start();
  stream = await startStreamJob(rt, o.stream !== false);
  batch = o.batch !== false ? await startDagScheduler(rt, g, { demo }) : undefined;
  const emulation = new AbortController();
  // The demo emulates both of the original's senders: to the topics (batch) and to the streams.
  const emulate = (mode: 'batch' | 'stream') =>
    runEmulator({
      url: url!,
      prefix: config.prefix,
      rows: config.emulator.rows,
      seed: config.emulator.seed,
      mode,
      apiKey: config.api.apiKeys[0],
      signal: emulation.signal,
      logger: logger.child({ component: 'emulator', mode }),
    });
  const emulator = o.emulate ? Promise.all([emulate('batch'), emulate('stream')]) : undefined;
  const lines = [
    `pinpipe is up.`,
    `  dashboard    ${url}/`,
    `  API          ${url}   (POST /topics/${config.prefix}.pin, GET /api/status, GET /health, GET /metrics)`,
    `  log          ${describeLogUrl(urls.log)}${urls.streams !== urls.log ? `   streams ${describeLogUrl(urls.streams)}` : ''}`,
    `  lake         ${lakeDir(config)}/topics/ ${sink ? `(objects close every ${config.sink.flushSize} records or ${config.sink.rotateIntervalMs / 1000} s)` : '(sink off)'}`,
    streamJobLine(rt, stream),
    schedulerLine(rt, batch),
    o.emulate
      ? `  emulator     posting rows of a ${config.emulator.rows}-row synthetic dataset to ${config.prefix}.pin|geo|user and streaming-${config.prefix}-pin|geo|user`
      : '',
    `Stop with Ctrl-C.`,
  ];
  process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
  const stopPulse = startPulse({ logger: logger.child({ component: 'up' }), summaryIntervalMs: config.logSummaryIntervalMs });
  onShutdown(logger, async () => {
    emulation.abort();
    await emulator?.catch(() => undefined);
    await stopPulse();
    await app.close();
    await stream?.stop();
    await batch?.stop();
    await sink?.stop();
    await rt.close();
    runtimeFile.remove();
    lock.release();
  });
}
