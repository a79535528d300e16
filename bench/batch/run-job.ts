// Child process of the batch benchmark: one pinpipe batch run, timed inside the process; prints JSON.
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { parseRunDate, runBatch, type RunMode } from '../../src/jobs/batch/index.js';
import { LocalObjectStore } from '../../src/lake/index.js';

const [lake, date, mode, threads, memoryMb] = process.argv.slice(2);
const t0 = performance.now();
const report = await runBatch({
  store: new LocalObjectStore(lake),
  prefix: 'pinterest',
  date: parseRunDate(date),
  mode: mode as RunMode,
  duckdb: { threads: Number(threads), memoryLimit: `${memoryMb}MB`, tempDirectory: join(lake, '..', 'tmp') },
  logger: createLogger('silent'),
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, records: report.read.pin.records + report.read.geo.records + report.read.user.records, added: report.tables.pin.rowsAdded + report.tables.geo.rowsAdded + report.tables.user.rowsAdded })}\n`,
);
