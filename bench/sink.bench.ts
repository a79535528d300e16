// npm run bench:sink — how fast the lake sink copies the log into Connect-style objects, against a
// baseline measured in the same run: writing the same bytes as the same number of files with
// plain fs calls (write temp, fsync, rename), with no log reading at all.
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/core/logger.js';
import { generateRow } from '../src/emulator/index.js';
import { LocalObjectStore } from '../src/lake/local/local-store.js';
import { LakeSink } from '../src/lake/sink/lake-sink.js';
import { openSqliteLog } from '../src/log/sqlite/sqlite-log.js';
import { fmt, table } from './lib.js';

const logger = createLogger('warn');

async function scenario(records: number, flushSize: number): Promise<{ sink: number; baseline: number; objects: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-sinkbench-'));
  try {
    const log = await openSqliteLog({ path: join(dir, 'log.db'), fsync: 'off' });
    await log.createTopic('pinterest.pin');
    const values: string[] = [];
    for (let i = 0; values.length < 3000; i++) {
      const r = generateRow(i, 42);
      values.push(JSON.stringify(r.pin), JSON.stringify(r.geo), JSON.stringify(r.user));
    }
    for (let done = 0; done < records; done += 5000) {
      const n = Math.min(5000, records - done);
      await log.append(
        'pinterest.pin',
        Array.from({ length: n }, (_, i) => ({ value: values[(done + i) % values.length] })),
      );
    }

    // baseline: the same objects written straight from memory
    const base = join(dir, 'baseline');
    mkdirSync(base, { recursive: true });
    let t0 = performance.now();
    for (let start = 0; start < records; start += flushSize) {
      let body = '';
      for (let i = start; i < Math.min(records, start + flushSize); i++) body += `${values[i % values.length]}\n`;
      const tmp = join(base, `.tmp-${start}`);
      const fd = openSync(tmp, 'w');
      writeSync(fd, body);
      fdatasyncSync(fd);
      closeSync(fd);
      renameSync(tmp, join(base, `pinterest.pin+0+${String(start).padStart(10, '0')}.json`));
    }
    const baselineSec = (performance.now() - t0) / 1000;

    const store = new LocalObjectStore(join(dir, 'lake'));
    const sink = new LakeSink({ log, store, topicsRegex: 'pinterest\\..*', flushSize, rotateIntervalMs: 0, topicScanIntervalMs: 1000, logger });
    t0 = performance.now();
    await sink.start();
    while (sink.recordsWritten < records) await new Promise((r) => setTimeout(r, 5));
    const sinkSec = (performance.now() - t0) / 1000;
    await sink.stop();
    await log.close();
    return { sink: records / sinkSec, baseline: records / baselineSec, objects: Math.ceil(records / flushSize) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const big = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const small = Number(process.env.BENCH_OBJECTS ?? 30_000);
const a = await scenario(big, 1000);
const b = await scenario(small, 1);
console.log('\nSink benchmark: log (SQLite) → local lake, objects fsynced; baseline writes the same objects from memory with plain fs calls.\n');
table(
  ['scenario', 'records', 'baseline (fs only)', 'pinpipe sink', 'sink / baseline'],
  [
    ['flushSize 1000 (records/s)', fmt(big), fmt(a.baseline), fmt(a.sink), `${((a.sink / a.baseline) * 100).toFixed(0)}%`],
    ['flushSize 1 (objects/s)', fmt(small), fmt(b.baseline), fmt(b.sink), `${((b.sink / b.baseline) * 100).toFixed(0)}%`],
  ],
);
