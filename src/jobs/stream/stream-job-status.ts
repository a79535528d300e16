import { quantilesOf, type Buckets, type Quantiles } from '../../core/histogram.js';
import type { RecordKind } from '../../transforms/index.js';
import type { KindStream } from './kind-stream.js';

/** One stream as the running stream job sees it (counts since the job started). */
export interface StreamKindStatus {
  kind: RecordKind;
  stream: string;
  shards: number;
  /** Records in the stream (all shards). */
  logEnd: number;
  /** Records the job has processed (committed to the table or only in memory so far). */
  processed: number;
  /** logEnd − processed. */
  lag: number;
  /** The last micro-batch: records, duration and when it finished (epoch ms); undefined before the first. */
  lastBatch: { records: number; ms: number; at: number } | undefined;
  /** End-to-end latency in seconds (log acknowledgement → Delta commit): the last minute, and since start with its buckets. */
  latency: { lastMinute: Quantiles; sinceStart: Quantiles; buckets: Buckets };
  /** Micro-batch duration in seconds. */
  batchSeconds: { lastMinute: Quantiles; sinceStart: Quantiles; buckets: Buckets };
  /** Records per micro-batch. */
  batchRecords: { sinceStart: Quantiles; buckets: Buckets };
  records: { processed: number; appended: number; duplicate: number; rejected: number };
  batches: number;
  commits: number;
  failures: number;
  /** The last failure ('' and 0 when none): its message and when it happened (epoch ms). */
  lastError: string;
  lastErrorAt: number;
}

/** The stream job: its state and each stream's progress. */
export interface StreamJobStatus {
  state: 'new' | 'running' | 'stopped';
  streams: StreamKindStatus[];
}

/** The status of one stream of a job. */
export async function kindStatus(kind: RecordKind, s: KindStream): Promise<StreamKindStatus> {
  const progress = await s.progress();
  const st = s.stats;
  const h = s.histograms;
  const latency = h.latency.total();
  const batch = h.batchDuration.total();
  const size = h.batchRecords.total();
  return {
    kind,
    stream: s.labels.stream,
    ...progress,
    lastBatch: st.batches === 0 ? undefined : { records: st.lastBatchRecords, ms: st.lastBatchMs, at: st.lastBatchAt },
    latency: { lastMinute: quantilesOf(h.latency.recent()), sinceStart: quantilesOf(latency), buckets: latency },
    batchSeconds: { lastMinute: quantilesOf(h.batchDuration.recent()), sinceStart: quantilesOf(batch), buckets: batch },
    batchRecords: { sinceStart: quantilesOf(size), buckets: size },
    records: { processed: st.records, appended: st.rows, duplicate: st.duplicates, rejected: st.rejects },
    batches: st.batches,
    commits: st.commits,
    failures: st.failures,
    lastError: st.lastError,
    lastErrorAt: st.lastErrorAt,
  };
}
