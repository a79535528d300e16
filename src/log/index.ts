export { hasOffsets, requireOffsets } from './log.js';
export type {
  AppendRecord,
  AppendResult,
  CreateTopicOptions,
  Log,
  LogFeatures,
  LogRecord,
  OffsetLog,
  PartitionLag,
  PartitionOffsets,
  ReadOptions,
  ReadStart,
  TopicInfo,
} from './log.js';
export { openLog, openLogUrl, openOffsetLogUrl } from './open-log.js';
export { describeLogUrl, logUrls, parseLogUrl, type LogLocation } from './log-url.js';
export { MAX_PARTITIONS, SqliteLog, openSqliteLog, type SqliteLogOptions } from './sqlite/sqlite-log.js';
export { keyPartition, murmur2 } from './murmur2.js';
