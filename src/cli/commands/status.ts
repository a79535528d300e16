import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LiveStreamStatus } from '../../jobs/stream/live-status.js';
import type { JobStatus, TableStatus } from '../../jobs/stream/stream-status.js';
import type { GlobalOptions } from '../globals.js';

interface StatusOptions {
  url?: string;
  json?: boolean;
  metrics?: boolean;
  tables?: boolean;
}

const n = (v: number | undefined): string => (v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
const sec = (v: number | undefined): string => (v === undefined ? '-' : v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`);
const ago = (ms: number | undefined): string => (ms === undefined ? '-' : `${((Date.now() - ms) / 1000).toFixed(1)} s ago`);

function grid(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(w[i])).join('  ')}`.trimEnd()).join('\n');
}

function tableLine(t: TableStatus | undefined): string[] {
  return t ? [t.key.replace(/^tables\//, ''), n(t.version), n(t.rows), n(t.files), ago(t.lastCommitAt)] : ['(no table yet)', '-', '-', '-', '-'];
}

function printDurable(s: JobStatus, dataDir: string): string {
  const head = ['stream', 'shards', 'log end', 'committed', 'lag', 'table', 'version', 'rows', 'files', 'last commit'];
  const rows = s.streams.map((x) => [x.stream, n(x.shards), n(x.logEnd), n(x.committed), n(x.lag), ...tableLine(x.table)]);
  const r = s.rejects;
  const rejects = r
    ? `  rejects: ${r.key.replace(/^tables\//, '')}  version ${n(r.version)}, ${n(r.rows)} rows in ${n(r.files)} files`
    : '  rejects: (no table yet)';
  return `Stream job, from the log and the tables in ${dataDir} (committed = covered by the last micro-batch commit)\n${grid([head, ...rows])}\n${rejects}\n`;
}

function printLive(live: LiveStreamStatus[], url: string): string {
  const head = ['stream', 'lag', 'last batch', 'latency p50 / p95 / p99', 'batch p50 / p99', 'appended', 'duplicate', 'rejected', 'failures'];
  const rows = live.map((x) => [
    x.stream,
    n(x.lag),
    x.lastBatch ? `${n(x.lastBatch.records)} rec, ${sec(x.lastBatch.seconds)}, ${ago(x.lastBatch.at)}` : '-',
    `${sec(x.latency.p50)} / ${sec(x.latency.p95)} / ${sec(x.latency.p99)}`,
    `${sec(x.batch.p50)} / ${sec(x.batch.p99)}`,
    n(x.records.appended),
    n(x.records.duplicate),
    n(x.records.rejected),
    n(x.failures),
  ]);
  return `Stream job, live from ${url} (since that process started)\n${grid([head, ...rows])}\n`;
}

/** `pinpipe status`: the stream job's lag, last batch, latency and tables, from the durable state and a running API's /metrics. */
export function registerStatus(program: Command, globals: () => GlobalOptions): void {
  program
    .command('status')
    .description("show the stream job's progress: lag, last micro-batch, end-to-end latency, table versions and rows")
    .option('--url <url>', 'a running pinpipe API whose /metrics to read (default http://127.0.0.1:<api.port>)')
    .option('--no-metrics', 'do not read /metrics')
    .option('--no-tables', 'do not read the log and the tables')
    .option('--json', 'print JSON')
    .action(async (o: StatusOptions) => {
      // Loaded when the command runs, so that `pinpipe --help` stays fast.
      const [{ streamNames }, { createLogger }, { liveStreamStatus }, { parsePrometheus }, { readJobStatus }, { RECORD_KINDS }, { configFrom, openRuntime }] =
        await Promise.all([
          import('../../core/config.js'),
          import('../../core/logger.js'),
          import('../../jobs/stream/live-status.js'),
          import('../../jobs/stream/metrics-text.js'),
          import('../../jobs/stream/stream-status.js'),
          import('../../transforms/index.js'),
          import('../runtime.js'),
        ]);
      const config = configFrom(globals());
      const url = (o.url ?? `http://127.0.0.1:${config.api.port}`).replace(/\/+$/, '');
      const out: { durable?: JobStatus | { error: string }; live?: LiveStreamStatus[] | { error: string } } = {};
      if (o.tables !== false) {
        if (!existsSync(join(resolve(config.dataDir), 'log', 'pinpipe.db'))) out.durable = { error: `no pinpipe log in ${config.dataDir}` };
        else {
          const rt = await openRuntime(config, { logger: createLogger('warn') });
          try {
            out.durable = await readJobStatus({ log: rt.log, store: rt.lake, prefix: config.prefix, jobId: config.stream.jobId });
          } catch (err) {
            out.durable = { error: (err as Error).message };
          } finally {
            await rt.close();
          }
        }
      }
      if (o.metrics !== false) {
        try {
          const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          const samples = parsePrometheus(await res.text());
          out.live = RECORD_KINDS.map((k) => liveStreamStatus(samples, streamNames(config.prefix)[k]));
        } catch (err) {
          out.live = { error: `${url}/metrics not reachable: ${(err as Error).message}` };
        }
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const parts: string[] = [];
      if (out.durable)
        parts.push('error' in out.durable ? `Stream job, from the log and the tables: ${out.durable.error}\n` : printDurable(out.durable, config.dataDir));
      if (out.live) parts.push(Array.isArray(out.live) ? printLive(out.live, url) : `Stream job, live: ${out.live.error}\n`);
      process.stdout.write(parts.join('\n'));
    });
}
