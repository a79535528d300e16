export { CLEAN_COLUMNS, KEY_FIELD, MARKERS, RECORD_KINDS, isRecordKind, type CleanColumn, type RecordKind, type RejectReason } from './kinds.js';
export { classifiedSql, cleanFromClassifiedSql, cleanSql, rejectsFromClassifiedSql, rejectsSql, type CleanOptions, type DedupeChoice } from './clean.js';
export { dedupeSql, sourceOrderKey, type DedupeOptions } from './dedupe.js';
export { columnSql, relationSql } from './relation.js';
export { duckdbDialect, sparkDialect, type SqlDialect, type SqlTypeName } from './dialect/index.js';
