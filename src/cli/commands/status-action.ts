import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { collectStatus, LakeReader, type PipelineStatus } from '../../dashboard/index.js';
import { batchJobName } from '../../jobs/batch/index.js';
import { readJobStatus } from '../../jobs/stream/index.js';
import { EXIT } from '../fail.js';
import type { GlobalOptions } from '../globals.js';
import { formatOf, printValue } from '../output.js';
import { findRunningPipeline } from '../runtime-file.js';
import { configFrom, existingConfigFrom, openRuntime } from '../runtime.js';
import type { StatusOptions } from './status.js';
import { statusText, type StatusReport } from './status-text.js';

/** GET <url>/api/status, with an API key when one is known. */
async function fetchStatus(url: string, key: string | undefined): Promise<PipelineStatus> {
  const res = await fetch(`${url}/api/status`, { headers: key ? { 'x-api-key': key } : {}, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json().catch(() => undefined)) as (PipelineStatus & { message?: string }) | undefined;
  if (res.status !== 200 || !body) throw new Error(`${url}/api/status answered HTTP ${res.status}${body?.message ? `: ${body.message}` : ''}`);
  return body;
}

/** What the data dir holds when no pipeline runs: the log, the sink's and the stream job's committed progress, the batch results. */
async function durableReport(config: Config, reason: string): Promise<StatusReport> {
  const dataDir = resolve(config.dataDir);
  if (!existsSync(join(dataDir, 'log', 'pinpipe.db'))) return { running: false, reason: `${reason}; and there is no pinpipe log there`, dataDir };
  const rt = await openRuntime(config, { logger: createLogger('warn') });
  const lake = new LakeReader(rt.lake, batchJobName(config.prefix));
  try {
    const status = await collectStatus({ config, log: rt.log, store: rt.lake, lake, startedAt: 0 });
    const streamTables = await readJobStatus({ log: rt.streams, store: rt.lake, prefix: config.prefix, jobId: config.stream.jobId }).catch((err: unknown) => ({
      error: (err as Error).message,
    }));
    return { running: false, reason, dataDir, status, streamTables };
  } finally {
    await lake.close();
    await rt.close();
  }
}

/** Find the pipeline (--url, else the data dir's runtime file) and ask it; when none answers, say why and show the durable state. */
async function report(config: Config, o: StatusOptions): Promise<StatusReport> {
  let url = o.url?.replace(/\/+$/, '');
  if (!url) {
    const found = findRunningPipeline(config.dataDir);
    if (found.state === 'none') return durableReport(config, `no pinpipe up has recorded itself there (${found.path})`);
    if (found.state === 'stale') return durableReport(config, `the runtime file of pid ${found.info.pid} is left over: that process is gone`);
    url = found.info.url;
  }
  try {
    return { running: true, url, status: await fetchStatus(url, o.apiKey ?? config.api.apiKeys[0]) };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return durableReport(config, `${url} does not answer (${cause ?? (err as Error).message})`);
  }
}

/** `pinpipe status`: print the report; exit 1 when the pipeline is not running or degraded. */
export async function runStatus(o: StatusOptions, g: GlobalOptions): Promise<void> {
  const format = formatOf(o);
  // With --url the data dir is only a fallback; without, it is where `up` says where it listens.
  const config = o.url ? configFrom(g) : existingConfigFrom(g);
  const r = await report(config, o);
  printValue(r, format, () => statusText(r));
  if (!r.running || r.status.health.status !== 'ok') process.exitCode = EXIT.failure;
}
