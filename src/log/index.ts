export { logFeatures, type LogFeatures } from './log.js';
export type { AppendRecord, AppendResult, CreateTopicOptions, Log, LogRecord, ReadOptions, ReadStart, TopicInfo } from './log.js';
export { openLog, openLogUrl } from './open-log.js';
export { describeLogUrl, logUrls, parseLogUrl, type LogLocation } from './log-url.js';
export { MAX_PARTITIONS, SqliteLog, openSqliteLog, type SqliteLogOptions } from './sqlite/sqlite-log.js';
export { keyPartition, murmur2 } from './sqlite/murmur2.js';
