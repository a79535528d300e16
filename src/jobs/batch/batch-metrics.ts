import { counter, gauge } from '../../core/metrics.js';

/** Batch job counters (Prometheus). */
export const batchMetrics = {
  runs: counter('pinpipe_batch_runs_total', 'Batch runs, by outcome (ok, failed)', ['outcome']),
  objectsRead: counter('pinpipe_batch_objects_read_total', 'Raw lake objects read by the batch job, by kind', ['kind']),
  recordsRead: counter('pinpipe_batch_records_read_total', 'Raw records read by the batch job, by kind', ['kind']),
  rowsAdded: counter('pinpipe_batch_rows_added_total', 'Rows committed to the batch tables, by table', ['table']),
  rejects: counter('pinpipe_batch_rejected_records_total', 'Raw records sent to tables/rejects, by kind and reason', ['kind', 'reason']),
  lastSuccess: gauge('pinpipe_batch_last_success_timestamp_seconds', 'When the last batch run succeeded (Unix time)'),
};
