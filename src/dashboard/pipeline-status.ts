import { readFileSync } from 'node:fs';
import { sinkTopicsRegex, type Config } from '../core/config.js';
import { batchJobName, REJECTS_TABLE, type ResultInfo } from '../jobs/batch/index.js';
import { streamTableKeys, type StreamJob, type StreamJobStatus } from '../jobs/stream/index.js';
import { readSinkProgress, SINK_GROUP, type LakeSink, type SinkStatus } from '../lake/index.js';
import type { ObjectStore } from '../lake/object-store.js';
import type { OffsetLog } from '../log/log.js';
import { readDagRuns, type DagRuns, type DagSource } from './dag-routes.js';
import type { LakeReader, RejectCount } from './lake-reader.js';
import { readLogStatus, type LogTopicStatus } from './log-status.js';

/** pinpipe's version, from its package.json (two folders up from src/dashboard and from dist/dashboard alike). */
export const PINPIPE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The whole pipeline as the process serving the API sees it: what `GET /api/status` answers. */
export interface PipelineStatus {
  /** When this status was taken (epoch ms). */
  at: number;
  pinpipe: {
    version: string;
    pid: number;
    /** When the process started serving (epoch ms). */
    startedAt: number;
    prefix: string;
    /** Where the API listens, as the process reported it. */
    url: string | undefined;
    /** True when the API wants a key (api.apiKeys is set). */
    authRequired: boolean;
  };
  /** `degraded` with the reasons when a component is failing now. */
  health: { status: 'ok' | 'degraded'; problems: string[] };
  /** Topics (batch path) and streams (speed path) with their records. */
  log: { topics: LogTopicStatus[] };
  sink: SinkStatus;
  stream: StreamJobStatus | { state: 'off' };
  /** Rejected records by kind and reason, from the stream job's and the batch job's rejects tables. */
  rejects: { stream: RejectCount[]; batch: RejectCount[] };
  /** The batch layer: every result set and when it was computed. */
  batch: { job: string; results: ResultInfo[]; lastComputedAt: number | undefined };
  /** The scheduler's DAGs and their latest runs (absent when this process runs no scheduler). */
  dag?: DagRuns;
}

/** Where the status comes from: the shared log and lake, and the components this process runs (read when asked, so they may start later). */
export interface StatusSources {
  config: Config;
  /** The topics' log. */
  log: OffsetLog;
  store: ObjectStore;
  lake: LakeReader;
  startedAt: number;
  url?: () => string | undefined;
  sink?: () => LakeSink | undefined;
  stream?: () => StreamJob | undefined;
  scheduler?: () => DagSource | undefined;
}

/** A failure this recent makes the pipeline `degraded`. */
const RECENT_FAILURE_MS = 60_000;

/** Take the pipeline's status now: live components as they report themselves, the rest from the log and the lake. */
export async function collectStatus(s: StatusSources): Promise<PipelineStatus> {
  const { config, log } = s;
  const sink = s.sink?.();
  const stream = s.stream?.();
  const tables = streamTableKeys(config.prefix);
  const [topics, sinkStatus, streamStatus, streamRejects, batchRejects, results] = await Promise.all([
    readLogStatus(log, config.prefix),
    sink ? sink.status() : offSink(log, config),
    stream ? stream.status() : Promise.resolve({ state: 'off' as const }),
    s.lake.rejects(tables.rejects),
    s.lake.rejects(REJECTS_TABLE),
    s.lake.results(),
  ]);
  const computed = results.map((r) => r.computedAt).filter((t): t is number => t !== undefined);
  const scheduler = s.scheduler?.();
  const now = Date.now();
  return {
    at: now,
    pinpipe: {
      version: PINPIPE_VERSION,
      pid: process.pid,
      startedAt: s.startedAt,
      prefix: config.prefix,
      url: s.url?.(),
      authRequired: config.api.apiKeys.length > 0,
    },
    health: healthOf(sinkStatus, streamStatus, now, scheduler),
    log: { topics },
    sink: sinkStatus,
    stream: streamStatus,
    rejects: { stream: streamRejects, batch: batchRejects },
    batch: { job: batchJobName(config.prefix), results, lastComputedAt: computed.length ? Math.max(...computed) : undefined },
    ...(scheduler ? { dag: readDagRuns(scheduler, { limit: 5 }) } : {}),
  };
}

async function offSink(log: OffsetLog, config: Config): Promise<SinkStatus> {
  const partitions = await readSinkProgress(log, sinkTopicsRegex(config));
  return { state: 'off', group: SINK_GROUP, partitions, lag: partitions.reduce((n, p) => n + p.lag, 0) };
}

function healthOf(sink: SinkStatus, stream: PipelineStatus['stream'], now: number, scheduler: DagSource | undefined): PipelineStatus['health'] {
  const problems: string[] = [];
  if (sink.lastFailureAt && now - sink.lastFailureAt < RECENT_FAILURE_MS)
    problems.push(`the lake sink failed ${Math.round((now - sink.lastFailureAt) / 1000)} s ago (${sink.failures} failures since start)`);
  if ('streams' in stream)
    for (const x of stream.streams) if (x.lastErrorAt > (x.lastBatch?.at ?? 0)) problems.push(`the stream job's ${x.stream} is failing: ${x.lastError}`);
  // The run of each DAG that ended last: a failed one means the results are not being refreshed.
  for (const d of scheduler?.listDags() ?? []) {
    const ended = scheduler!.store
      .listRuns(d.dagId, { limit: 20 })
      .filter((r) => r.endDate !== null)
      .sort((a, b) => b.endDate! - a.endDate!)[0];
    if (ended?.state === 'failed') problems.push(`the last run of DAG ${d.dagId} (${ended.runId}) failed${ended.error ? `: ${ended.error}` : ''}`);
  }
  return { status: problems.length ? 'degraded' : 'ok', problems };
}
