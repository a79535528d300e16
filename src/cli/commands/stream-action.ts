import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from '../../core/metrics.js';
import { collectStatus, LakeReader } from '../../dashboard/index.js';
import { batchJobName } from '../../jobs/batch/index.js';
import { streamNames } from '../../core/config.js';
import { StreamJob, streamTableKeys } from '../../jobs/stream/index.js';
import type { GlobalOptions } from '../globals.js';
import { existingConfigFrom, lakeDir, openRuntime, type Runtime } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import type { StreamOptions } from './stream.js';

/** The stream job on a runtime's log and lake, started; undefined when `wanted` is false or `stream.enabled` is off. */
export async function startStreamJob(rt: Runtime, wanted = true): Promise<StreamJob | undefined> {
  if (!wanted || !rt.config.stream.enabled) return undefined;
  const job = new StreamJob({
    log: rt.streams,
    store: rt.lake,
    prefix: rt.config.prefix,
    config: rt.config.stream,
    logger: rt.logger.child({ component: 'stream' }),
  });
  await job.start();
  return job;
}

/** The line `pinpipe up` and `pinpipe stream` print about the stream job. */
export function streamJobLine(rt: Runtime, job: StreamJob | undefined): string {
  const s = streamNames(rt.config.prefix);
  const t = streamTableKeys(rt.config.prefix);
  return job
    ? `  stream job   ${s.pin}|geo|user → ${lakeDir(rt.config)}/${t.pin.replace('_pin_', '_*_')} (every ≥${rt.config.stream.minIntervalMs} ms)`
    : '  stream job   off';
}

/** A bare HTTP server on loopback answering GET /metrics (Prometheus text) and GET /api/status (the job's status as JSON). */
async function serveMetrics(port: number, status: () => Promise<unknown>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const answer = req.method !== 'GET' ? undefined : req.url === '/metrics' ? registry.metrics() : req.url === '/api/status' ? status() : undefined;
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    answer.then(
      (body) =>
        typeof body === 'string'
          ? res.writeHead(200, { 'content-type': registry.contentType }).end(body)
          : res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body)),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(port, '127.0.0.1');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  const address = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `pinpipe stream`: until stopped, or until caught up. */
export async function runStream(o: StreamOptions, g: GlobalOptions): Promise<void> {
  // Asked for by name: runs even when stream.enabled (which is about `pinpipe up`) is off.
  const config = existingConfigFrom(g, { stream: { enabled: true } });
  const startedAt = Date.now();
  let status: () => Promise<unknown> = () => Promise.reject(new Error('starting'));
  const metrics = o.metricsPort === undefined || o.untilCaughtUp ? undefined : await serveMetrics(o.metricsPort, () => status());
  const rt = await openRuntime(config);
  const job = (await startStreamJob(rt))!;
  const lake = new LakeReader(rt.lake, batchJobName(config.prefix));
  status = () => collectStatus({ config, log: rt.log, store: rt.lake, lake, startedAt, stream: () => job });
  process.stdout.write(`${streamJobLine(rt, job)}\n`);
  if (o.untilCaughtUp) {
    await job.caughtUp(Number.MAX_SAFE_INTEGER);
    await job.stop();
    await lake.close();
    await rt.close();
    process.stdout.write(`${JSON.stringify(job.health())}\n`);
    return;
  }
  if (metrics) process.stdout.write(`  metrics      ${metrics.url}/metrics (and ${metrics.url}/api/status for pinpipe status --url)\n`);
  process.stdout.write('Stop with Ctrl-C.\n');
  onShutdown(rt.logger, async () => {
    await metrics?.close();
    await job.stop();
    await lake.close();
    await rt.close();
  });
}
