import type { Logger } from '../core/logger.js';
import { registry } from '../core/metrics.js';
import { plural } from './output.js';

/** Totals the pulse reads from the process's metric objects (values, not /metrics text). */
interface Totals {
  recordsIn: number;
  objects: number;
  objectsByTopic: Map<string, number>;
  sinkRecords: number;
  microBatches: number;
  streamRecords: number;
  tableVersions: Map<string, number>;
  batchRuns: number;
  batchFailed: number;
}

type Sample = { value: number; labels: Record<string, string | number>; metricName?: string };

async function samples(name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  return metric ? ((await metric.get()).values as Sample[]) : [];
}

const sum = (xs: Sample[], keep: (s: Sample) => boolean = () => true): number => xs.filter(keep).reduce((a, s) => a + s.value, 0);

function byLabel(xs: Sample[], label: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of xs) m.set(String(s.labels[label]), (m.get(String(s.labels[label])) ?? 0) + s.value);
  return m;
}

async function read(): Promise<Totals> {
  const [ingest, ingestStream, objects, sinkRecords, batchSizes, versions, batchRuns, dagRuns] = await Promise.all([
    samples('pinpipe_ingest_records_total'),
    samples('pinpipe_ingest_stream_records_total'),
    samples('pinpipe_sink_objects_total'),
    samples('pinpipe_sink_records_total'),
    samples('pinpipe_stream_batch_size_records'),
    samples('pinpipe_stream_table_version'),
    samples('pinpipe_batch_runs_total'),
    samples('pinpipe_scheduler_dag_runs_total'), // in `up` the batch job runs as DAG tasks in child processes
  ]);
  const runs = [...batchRuns, ...dagRuns];
  return {
    recordsIn: sum(ingest) + sum(ingestStream),
    objects: sum(objects),
    objectsByTopic: byLabel(objects, 'topic'),
    sinkRecords: sum(sinkRecords),
    microBatches: sum(batchSizes, (s) => s.metricName?.endsWith('_count') === true),
    streamRecords: sum(batchSizes, (s) => s.metricName?.endsWith('_sum') === true),
    tableVersions: byLabel(versions, 'table'),
    batchRuns: sum(runs),
    batchFailed: sum(runs, (s) => s.labels.outcome === 'failed'),
  };
}

function delta(now: Map<string, number>, before: Map<string, number>): string {
  return [...now]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, d]) => d > 0)
    .map(([k, d]) => `${k} ${d.toLocaleString('en-US')}`)
    .join(', ');
}

export interface PulseOptions {
  logger: Logger;
  /** How often to look for new lake objects and micro-batches (one line per kind of work, at most this often). */
  activityIntervalMs?: number;
  /** How often to log the one-line summary (0 = never). */
  summaryIntervalMs: number;
}

/**
 * While `pinpipe up` runs: a line whenever lake objects or micro-batches were written since the
 * last look (grouped, so at most one line per kind per interval), and a periodic one-line summary
 * of everything so far, so a running pipeline is visibly alive. Returns its stop function.
 */
export function startPulse(o: PulseOptions): () => Promise<void> {
  const log = o.logger;
  let last: Totals | undefined;
  let lastSummaryAt = Date.now();
  let busy: Promise<void> = Promise.resolve();
  const tick = async (): Promise<void> => {
    const now = await read();
    const before = last ?? { ...now, objects: 0, objectsByTopic: new Map(), sinkRecords: 0, microBatches: 0, streamRecords: 0, tableVersions: new Map() };
    if (now.objects > before.objects)
      log.info(
        { objects: now.objects - before.objects, records: now.sinkRecords - before.sinkRecords },
        `lake sink wrote ${plural(now.objects - before.objects, 'object')} (${delta(now.objectsByTopic, before.objectsByTopic)})`,
      );
    if (now.microBatches > before.microBatches) {
      const tables = [...now.tableVersions].filter(([t, v]) => v !== before.tableVersions.get(t)).map(([t, v]) => `${t.replace(/^tables\//, '')} v${v}`);
      log.info(
        { microBatches: now.microBatches - before.microBatches, records: now.streamRecords - before.streamRecords },
        `stream job ran ${plural(now.microBatches - before.microBatches, 'micro-batch', 'micro-batches')} of ${plural(now.streamRecords - before.streamRecords, 'record')}${tables.length ? ` → ${tables.join(', ')}` : ''}`,
      );
    }
    last = now;
    if (o.summaryIntervalMs > 0 && Date.now() - lastSummaryAt >= o.summaryIntervalMs) {
      lastSummaryAt = Date.now();
      log.info(
        { recordsIn: now.recordsIn, objects: now.objects, microBatches: now.microBatches, batchRuns: now.batchRuns, batchRunsFailed: now.batchFailed },
        `alive: ${plural(now.recordsIn, 'record')} in, ${plural(now.objects, 'lake object')} written, ${plural(now.microBatches, 'micro-batch', 'micro-batches')}, ${plural(now.batchRuns, 'batch run')}${now.batchFailed ? ` (${now.batchFailed} failed)` : ''}`,
      );
    }
  };
  const timer = setInterval(() => {
    busy = busy.then(tick).catch((err: unknown) => log.debug({ err }, 'pulse failed'));
  }, o.activityIntervalMs ?? 5000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await busy;
  };
}
