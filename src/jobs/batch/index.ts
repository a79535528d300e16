export { runBatch, type BatchOptions, type BatchReport } from './batch-job.js';
export { batchJobName, CLEAN_TABLE, REJECTS_TABLE, resultTable } from './batch-tables.js';
export { formatResultJson, formatResultTable } from './format-result.js';
export { listResults, readResult, readResultCsv, type ResultInfo, type StoredResult } from './read-results.js';
export { parseRunDate, utcRunDate, type RunDate } from './run-date.js';
export { type TableReport } from './table-report.js';
export { type RunMode } from './write-plan.js';
export { listRawObjects, type RawObject } from './raw-objects.js';
