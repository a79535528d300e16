import { bucketsOf, histogramQuantile, select, type Sample } from './metrics-text.js';

/** A stream's live figures, as a running job's /metrics report them. */
export interface LiveStreamStatus {
  stream: string;
  lag: number | undefined;
  lastBatch: { records: number; seconds: number; at: number } | undefined;
  /** End-to-end latency quantiles (seconds) since the process started. */
  latency: { p50?: number; p95?: number; p99?: number; count: number };
  /** Micro-batch duration quantiles (seconds). */
  batch: { p50?: number; p99?: number; count: number };
  records: { appended: number; duplicate: number; rejected: number };
  failures: number;
}

const value = (samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined => select(samples, name, labels)[0]?.value;
const sum = (samples: readonly Sample[], name: string, labels: Record<string, string>): number =>
  select(samples, name, labels).reduce((n, s) => n + s.value, 0);

/** Read the stream job's figures for `stream` out of parsed /metrics samples. */
export function liveStreamStatus(samples: readonly Sample[], stream: string): LiveStreamStatus {
  const l = { stream };
  const latency = bucketsOf(samples, 'pinpipe_stream_latency_seconds', l);
  const batch = bucketsOf(samples, 'pinpipe_stream_batch_duration_seconds', l);
  const at = value(samples, 'pinpipe_stream_last_batch_timestamp_seconds', l);
  return {
    stream,
    lag: value(samples, 'pinpipe_stream_lag_records', l),
    lastBatch:
      at === undefined
        ? undefined
        : {
            records: value(samples, 'pinpipe_stream_last_batch_records', l) ?? 0,
            seconds: value(samples, 'pinpipe_stream_last_batch_duration_seconds', l) ?? 0,
            at: at * 1000,
          },
    latency: {
      p50: histogramQuantile(latency, 0.5),
      p95: histogramQuantile(latency, 0.95),
      p99: histogramQuantile(latency, 0.99),
      count: latency.at(-1)?.count ?? 0,
    },
    batch: { p50: histogramQuantile(batch, 0.5), p99: histogramQuantile(batch, 0.99), count: batch.at(-1)?.count ?? 0 },
    records: {
      appended: sum(samples, 'pinpipe_stream_records_total', { ...l, outcome: 'appended' }),
      duplicate: sum(samples, 'pinpipe_stream_records_total', { ...l, outcome: 'duplicate' }),
      rejected: sum(samples, 'pinpipe_stream_records_total', { ...l, outcome: 'rejected' }),
    },
    failures: sum(samples, 'pinpipe_stream_batch_failures_total', l),
  };
}
