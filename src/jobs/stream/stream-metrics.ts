import { RollingHistogram } from '../../core/histogram.js';
import { counter, gauge, histogram } from '../../core/metrics.js';
import type { LogRecord } from '../../log/log.js';

/** Latency buckets (seconds): fine below a second, where the speed layer's promise lies. */
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300];
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30];
export const SIZE_BUCKETS = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

/** The stream job's Prometheus metrics (process-wide, labelled by stream or table). */
export const streamMetrics = {
  latency: histogram(
    'pinpipe_stream_latency_seconds',
    'End-to-end latency per record: from the log acknowledging it to the Delta commit of the micro-batch holding it (or, for a micro-batch that changes no table, to its processing).',
    ['stream'],
    LATENCY_BUCKETS,
  ),
  batchDuration: histogram('pinpipe_stream_batch_duration_seconds', 'Time to clean, deduplicate and commit one micro-batch.', ['stream'], DURATION_BUCKETS),
  batchSize: histogram('pinpipe_stream_batch_size_records', 'Records per micro-batch.', ['stream'], SIZE_BUCKETS),
  records: counter(
    'pinpipe_stream_records_total',
    'Records processed, by outcome: appended (a new key), duplicate (key already in the table or earlier in the batch), rejected.',
    ['stream', 'outcome'],
  ),
  commits: counter('pinpipe_stream_commits_total', 'Delta commits made by the stream job, by table and kind (batch, positions, compaction).', [
    'table',
    'kind',
  ]),
  failures: counter(
    'pinpipe_stream_batch_failures_total',
    'Micro-batches that failed (the job reloads its positions from the table and retries), by error code.',
    ['stream', 'code'],
  ),
  lag: gauge('pinpipe_stream_lag_records', 'Records in the stream (all shards) not yet processed by the stream job.', ['stream']),
  lastBatchRecords: gauge('pinpipe_stream_last_batch_records', 'Records in the last micro-batch.', ['stream']),
  lastBatchSeconds: gauge('pinpipe_stream_last_batch_duration_seconds', 'Duration of the last micro-batch.', ['stream']),
  lastBatchTime: gauge('pinpipe_stream_last_batch_timestamp_seconds', 'When the last micro-batch finished (Unix time).', ['stream']),
  tableVersion: gauge('pinpipe_stream_table_version', 'Latest Delta version the stream job committed, by table.', ['table']),
  tableKeys: gauge('pinpipe_stream_table_keys', "Distinct keys in a stream table (the size of the job's dedupe set).", ['table']),
  maintenance: counter('pinpipe_stream_maintenance_total', 'Background compactions and vacuums, by table, operation and result.', [
    'table',
    'operation',
    'result',
  ]),
};

/** Running totals of one stream, also shown in /health. */
export interface StreamStats {
  batches: number;
  records: number;
  rows: number;
  duplicates: number;
  rejects: number;
  commits: number;
  failures: number;
  lastBatchAt: number;
  lastBatchMs: number;
  lastBatchRecords: number;
  lastError: string;
  /** When the last failure happened (epoch ms; 0 when none). */
  lastErrorAt: number;
}

/** One stream's latency and micro-batch durations as data (seconds), for the status API: since start and over the last minute. */
export interface StreamHistograms {
  latency: RollingHistogram;
  batchDuration: RollingHistogram;
  batchRecords: RollingHistogram;
}

/** Empty histograms with the metrics' buckets. */
export function streamHistograms(): StreamHistograms {
  return {
    latency: new RollingHistogram(LATENCY_BUCKETS),
    batchDuration: new RollingHistogram(DURATION_BUCKETS),
    batchRecords: new RollingHistogram(SIZE_BUCKETS),
  };
}

/** Record a finished micro-batch: each record's end-to-end latency, the batch's size and duration, the outcome counts. */
export function observeBatch(
  into: { labels: { stream: string }; stats: StreamStats; histograms: StreamHistograms },
  records: readonly LogRecord[],
  o: { records: number; rows: number; duplicates: number; rejects: number },
  ms: number,
): void {
  const { labels, stats: s, histograms: h } = into;
  const m = streamMetrics;
  const now = Date.now();
  const latency = m.latency.labels(labels);
  for (const r of records) {
    const seconds = Math.max(0, now - r.appendedAt) / 1000;
    latency.observe(seconds);
    h.latency.observe(seconds);
  }
  h.batchDuration.observe(ms / 1000);
  h.batchRecords.observe(o.records);
  s.batches++;
  s.records += o.records;
  s.rows += o.rows;
  s.duplicates += o.duplicates;
  s.rejects += o.rejects;
  s.lastBatchAt = now;
  s.lastBatchMs = ms;
  s.lastBatchRecords = o.records;
  m.batchDuration.observe(labels, ms / 1000);
  m.batchSize.observe(labels, o.records);
  m.records.inc({ ...labels, outcome: 'appended' }, o.rows);
  m.records.inc({ ...labels, outcome: 'duplicate' }, o.duplicates);
  m.records.inc({ ...labels, outcome: 'rejected' }, o.rejects);
  m.lastBatchRecords.set(labels, o.records);
  m.lastBatchSeconds.set(labels, ms / 1000);
  m.lastBatchTime.set(labels, now / 1000);
}
