import type { Quantiles } from '../../core/histogram.js';
import type { PipelineStatus } from '../../dashboard/index.js';
import type { JobStatus } from '../../jobs/stream/index.js';

/** What `pinpipe status` found: the running pipeline's status, or why there is none and what the data dir holds. */
export type StatusReport =
  | { running: true; url: string; status: PipelineStatus }
  | { running: false; reason: string; dataDir: string; status?: PipelineStatus; streamTables?: JobStatus | { error: string } };

const n = (v: number | undefined): string => (v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
const sec = (v: number | undefined): string => (v === undefined ? '-' : v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`);
const q3 = (q: Quantiles): string => (q.count === 0 ? '-' : `${sec(q.p50)} / ${sec(q.p95)} / ${sec(q.p99)}`);

/** A length of time in words (`12 s`, `3 min`, `2 h`, `4 d`). */
function span(ms: number): string {
  const s = Math.max(0, ms / 1000);
  return s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
}

/** How long ago an epoch-ms time was, in words (`12 s ago`, `3 min ago`, `2 h ago`). */
export function ago(ms: number | undefined, now = Date.now()): string {
  return ms === undefined || ms === 0 ? '-' : `${span(now - ms)} ago`;
}

const duration = (since: number): string => span(Date.now() - since);

/** Rows as aligned columns (numbers right-aligned), indented by two spaces. */
function grid(rows: string[][]): string {
  const numeric = rows[0].map((_, i) => rows.slice(1).every((r) => /^[\d,.-]+( ms| s)?$|^-$/.test(r[i])) && rows.length > 1);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (numeric[i] ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')}`.trimEnd()).join('\n');
}

function sections(s: PipelineStatus, live: boolean): string[] {
  const out: string[] = [];
  const topics = s.log.topics;
  out.push(
    topics.length
      ? `Log (topics feed the lake sink, streams the stream job)\n${grid([['name', 'role', 'partitions', 'records', 'end'], ...topics.map((t) => [t.name, t.role, n(t.partitions), n(t.records), n(t.end)])])}`
      : 'Log: no topics or streams yet',
  );
  const sink = s.sink;
  out.push(
    `Lake sink (${
      sink.state === 'running'
        ? `running, ${n(sink.recordsWritten)} records written since start, ${n(sink.failures)} failures`
        : live
          ? 'not running in that process; from its committed positions'
          : 'from its committed positions'
    }): lag ${n(sink.lag)} records\n` +
      (sink.partitions.length
        ? grid([
            ['topic', 'partition', 'log end', 'in lake', 'lag'],
            ...sink.partitions.map((p) => [p.topic, n(p.partition), n(p.logEnd), n(p.inLake), n(p.lag)]),
          ])
        : '  (no topics to copy yet)'),
  );
  if ('streams' in s.stream) {
    const head = [
      'stream',
      'log end',
      'processed',
      'lag',
      'last batch',
      'latency p50 / p95 / p99 (last min)',
      'since start',
      'appended',
      'duplicate',
      'rejected',
      'failures',
    ];
    const rows = s.stream.streams.map((x) => [
      x.stream,
      n(x.logEnd),
      n(x.processed),
      n(x.lag),
      x.lastBatch ? `${n(x.lastBatch.records)} rec, ${sec(x.lastBatch.ms / 1000)}, ${ago(x.lastBatch.at, s.at)}` : '-',
      q3(x.latency.lastMinute),
      q3(x.latency.sinceStart),
      n(x.records.appended),
      n(x.records.duplicate),
      n(x.records.rejected),
      n(x.failures),
    ]);
    out.push(`Stream job (${s.stream.state})\n${grid([head, ...rows])}`);
  } else if (live) out.push('Stream job: not running in that process');
  const rejects = [
    ...s.rejects.stream.map((r) => ['stream', r.kind, r.reason, n(r.count)]),
    ...s.rejects.batch.map((r) => ['batch', r.kind, r.reason, n(r.count)]),
  ];
  out.push(rejects.length ? `Rejected records\n${grid([['job', 'kind', 'reason', 'records'], ...rejects])}` : 'Rejected records: none');
  const computed = s.batch.results.filter((r) => r.computedAt !== undefined);
  const last = computed.sort((a, b) => b.computedAt! - a.computedAt!)[0];
  out.push(
    last
      ? `Batch job ${s.batch.job}: results computed ${ago(last.computedAt, s.at)} (run date ${last.date}); ${computed.length} of ${s.batch.results.length} result sets stored`
      : `Batch job ${s.batch.job}: no results computed yet`,
  );
  if (s.dag) {
    const now = s.at;
    const took = (a: number | null, b: number | null): string => (a === null ? '-' : `${(((b ?? now) - a) / 1000).toFixed(1)} s${b === null ? '…' : ''}`);
    const dags = s.dag.dags.map(
      (d) =>
        `${d.dagId} (${d.schedule ?? 'manual'}${d.paused ? ', paused' : ''}, next run ${d.nextRunAt === null ? '-' : d.nextRunAt > now ? `in ${span(d.nextRunAt - now)}` : 'due'})`,
    );
    const head = `DAG ${dags.join(', ')}`;
    out.push(
      s.dag.runs.length
        ? `${head}\n${grid([
            ['run', 'date', 'type', 'state', 'started', 'took', 'tasks'],
            ...s.dag.runs.map((r) => [
              r.runId,
              r.ds,
              r.runType,
              r.state,
              ago(r.startDate ?? undefined, now),
              took(r.startDate, r.endDate),
              r.tasks.map((t) => `${t.taskId}:${t.state}`).join(' '),
            ]),
          ])}`
        : `${head}: no runs yet`,
    );
  }
  return out;
}

function streamTables(t: JobStatus | { error: string }): string {
  if ('error' in t) return `Stream tables: ${t.error}`;
  const rows = t.streams.map((x) => [
    x.stream,
    n(x.logEnd),
    n(x.committed),
    n(x.lag),
    x.table?.key.replace(/^tables\//, '') ?? '(no table yet)',
    n(x.table?.version),
    n(x.table?.rows),
    ago(x.table?.lastCommitAt),
  ]);
  return `Stream tables (committed = covered by the last micro-batch commit)\n${grid([['stream', 'log end', 'committed', 'lag', 'table', 'version', 'rows', 'last commit'], ...rows])}`;
}

/** The report as text for a terminal. */
export function statusText(r: StatusReport): string {
  if (!r.running) {
    const parts = [`pinpipe is not running in ${r.dataDir}: ${r.reason}`];
    if (r.status) parts.push(...sections(r.status, false));
    if (r.streamTables) parts.push(streamTables(r.streamTables));
    return `${parts.join('\n\n')}\n`;
  }
  const s = r.status;
  const p = s.pinpipe;
  const head = `pinpipe ${p.version} at ${r.url} (pid ${p.pid}, up ${duration(p.startedAt)}): ${s.health.status}${s.health.problems.map((x) => `\n  ! ${x}`).join('')}\n  dashboard  ${r.url}/`;
  return `${[head, ...sections(s, true)].join('\n\n')}\n`;
}
