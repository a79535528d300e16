export { KeySet } from './key-set.js';
export { KindStream, type BatchOutcome, type KindStreamOptions, type StreamConfig } from './kind-stream.js';
export { ShardReader, type ShardReaderOptions } from './shard-reader.js';
export {
  alreadyCommitted,
  batchInfo,
  COMMIT_INFO_KEY,
  readCheckpoint,
  type BatchInfo,
  type Cursor,
  type Cursors,
  type StreamCheckpoint,
} from './stream-checkpoint.js';
export { StreamJob, type StreamJobOptions } from './stream-job.js';
export { LATENCY_BUCKETS, observeBatch, streamHistograms, streamMetrics, type StreamHistograms, type StreamStats } from './stream-metrics.js';
export { openStreamTable, streamAppId, streamTableKeys, type StreamTableId } from './stream-tables.js';
export { TableMaintenance, type TableMaintenanceOptions } from './table-maintenance.js';
export { kindStatus, type StreamJobStatus, type StreamKindStatus } from './stream-job-status.js';
export { readJobStatus, type JobStatus, type StreamStatus, type TableStatus } from './stream-status.js';
