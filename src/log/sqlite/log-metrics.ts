import { counter, gauge, histogram } from '../../core/metrics.js';

/** The log's Prometheus metrics (process-wide; every SqliteLog instance adds to the same series). */
export const logMetrics = {
  appended: counter('pinpipe_log_appended_records_total', 'Records made durable in the log.', ['topic']),
  groupCommits: counter('pinpipe_log_group_commits_total', 'Group commits: one transaction and one fsync each.'),
  groupCommitRecords: histogram(
    'pinpipe_log_group_commit_records',
    'Records written per group commit.',
    [],
    [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000],
  ),
  endOffset: gauge('pinpipe_log_end_offset', 'Next offset of each partition (its end position + 1).', ['topic', 'partition']),
  errors: counter('pinpipe_log_errors_total', 'Log operations that failed, by error code.', ['code']),
};
