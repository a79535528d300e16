import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../../src/core/logger.js';
import { parseRunDate, runBatch, type BatchReport } from '../../../src/jobs/batch/index.js';
import { LocalObjectStore } from '../../../src/lake/index.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { tempDir } from '../../helpers/temp.js';
import { assertMatchesReference } from './expect.js';
import { BAD_LINES, emulatorPayloads, writePartition, type RawLine } from './lake.js';
import { writeParquetPartition } from './parquet-lake.js';
import { ALL_TABLES, readChecked } from './tables.js';

const logger = createLogger('silent');
const dirs: (() => void)[] = [];
after(() => dirs.forEach((c) => c()));
function lake(): string {
  const t = tempDir('pinpipe-batch-layouts');
  dirs.push(t.cleanup);
  return join(t.dir, 'lake');
}
const topic = (kind: RecordKind) => `pinterest.${kind}`;
const run = (root: string, date: string): Promise<BatchReport> =>
  runBatch({ store: new LocalObjectStore(root), prefix: 'pinterest', date: parseRunDate(date), duckdb: { threads: 2 }, logger });
/** Hourly time paths: objects starting below offset 100 in hour 17, the rest in hour 18. */
const hourOf = (offset: number) => `year=2026/month=12/day=02/hour=${offset < 100 ? 17 : 18}`;

/** The same records per kind (good and bad), as two partitions' payloads. */
function records(n: number, sampleSeed: number): Record<RecordKind, [string[], string[]]> {
  const payloads = emulatorPayloads(n, { sampleSeed });
  const out = {} as Record<RecordKind, [string[], string[]]>;
  for (const kind of RECORD_KINDS) {
    const lines = [...payloads[kind].slice(0, n / 2), ...BAD_LINES[kind], ...payloads[kind].slice(n / 2)];
    const half = Math.ceil(lines.length / 2);
    out[kind] = [lines.slice(0, half), lines.slice(half)];
  }
  return out;
}

/** The rows of every table but the rejects' sources (which name objects), for comparing two lakes. */
async function tablesOf(root: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const key of ALL_TABLES) {
    const rows = (await readChecked(root, key)).map((r) =>
      JSON.stringify(key === 'tables/rejects' ? { ...r, source: undefined } : r, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
    out[key] = rows.sort();
  }
  return out;
}

describe('batch job over either lake layout and format', () => {
  it('gives the same tables from a JSON lake (partition=<p>) and a Parquet lake in hourly time paths', async () => {
    const recs = records(300, 1);
    const jsonRoot = lake();
    const parquetRoot = lake();
    const parquetLines = {} as Record<RecordKind, RawLine[]>;
    for (const kind of RECORD_KINDS) {
      parquetLines[kind] = [];
      for (const p of [0, 1]) {
        writePartition(jsonRoot, topic(kind), p, recs[kind][p], 40);
        parquetLines[kind].push(...(await writeParquetPartition(parquetRoot, topic(kind), p, recs[kind][p], 40, hourOf)));
      }
    }
    const [a, b] = [await run(jsonRoot, '2024-05-01'), await run(parquetRoot, '2024-05-01')];
    assert.deepEqual(b.read, a.read);
    assert.deepEqual(b.rejects, a.rejects);
    assert.deepEqual(await tablesOf(parquetRoot), await tablesOf(jsonRoot));
    // The rejects name the Parquet objects and their row numbers; every table is what the reference makes of the records.
    await assertMatchesReference(parquetRoot, parquetLines);
  });

  it('reads a partition whose objects change layout and format: the next run reads only the new objects', async () => {
    const root = lake();
    const first = records(200, 1);
    const second = records(200, 2);
    const lines = {} as Record<RecordKind, RawLine[]>;
    for (const kind of RECORD_KINDS) lines[kind] = writePartition(root, topic(kind), 0, first[kind][0], 40);
    const r1 = await run(root, '2024-05-01');
    // The sink restarted with the time partitioner and Parquet: the partition goes on at the next offset.
    for (const kind of RECORD_KINDS)
      lines[kind].push(...(await writeParquetPartition(root, topic(kind), 0, second[kind][0], 40, hourOf, first[kind][0].length)));
    const r2 = await run(root, '2024-05-02');
    assert.deepEqual(r2.read.pin, { objects: Math.ceil(second.pin[0].length / 40), records: second.pin[0].length }, 'only the Parquet objects are new');
    assert.equal(r1.read.pin.records + r2.read.pin.records, lines.pin.length);
    await assertMatchesReference(root, lines);
  });
});
