import { counter } from '../core/metrics.js';

/** Delta table counters (Prometheus), labelled by table key prefix. */
export const deltaMetrics = {
  commits: counter('pinpipe_delta_commits_total', 'Delta commits written, by table and operation', ['table', 'operation']),
  lostRaces: counter('pinpipe_delta_commit_races_lost_total', 'Commit attempts that found their version taken and retried', ['table']),
  skippedTxns: counter('pinpipe_delta_txn_skipped_total', 'Writes skipped because their txn version was already committed', ['table']),
  checkpointFailures: counter('pinpipe_delta_checkpoint_errors_total', 'Checkpoints that could not be written (the commit stood)', ['table']),
};
