import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from '../../core/metrics.js';
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
    log: rt.log,
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

/** A bare HTTP server on loopback answering GET /metrics with the process's Prometheus text. */
async function serveMetrics(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
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
  const metrics = o.metricsPort === undefined || o.untilCaughtUp ? undefined : await serveMetrics(o.metricsPort);
  const rt = await openRuntime(config);
  const job = (await startStreamJob(rt))!;
  process.stdout.write(`${streamJobLine(rt, job)}\n`);
  if (o.untilCaughtUp) {
    await job.caughtUp(Number.MAX_SAFE_INTEGER);
    await job.stop();
    await rt.close();
    process.stdout.write(`${JSON.stringify(job.health())}\n`);
    return;
  }
  if (metrics) process.stdout.write(`  metrics      ${metrics.url}/metrics\n`);
  process.stdout.write('Stop with Ctrl-C.\n');
  onShutdown(rt.logger, async () => {
    await metrics?.close();
    await job.stop();
    await rt.close();
  });
}
