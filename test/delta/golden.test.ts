// Reads every Spark-written golden table in test/fixtures/delta-golden and checks it against its EXPECTED.json.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { isError, type ErrorKind } from '../../src/core/errors.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { DeltaTable, parseStats, scanQuery, type Snapshot } from '../../src/delta/index.js';
import { fixtureDir } from '../helpers/fixtures.js';
import { encodedRows, multiset, summarize } from './golden-encode.js';

const GOLDEN = fixtureDir('delta-golden');
const ERROR_KINDS: Record<string, ErrorKind> = {
  'non-contiguous-versions': 'DELTA_LOG_GAP',
  'unsupported-reader-version': 'DELTA_PROTOCOL_UNSUPPORTED',
  'missing-protocol': 'DELTA_LOG_INVALID',
};

interface Expected {
  table: string;
  expect: 'success' | 'error';
  readMode?: 'full' | 'log-only';
  error?: { kind: string };
  version?: number;
  protocol?: Record<string, unknown>;
  schema?: { name: string; type: unknown; nullable: boolean }[] | null;
  partitionColumns?: string[];
  numFiles?: number;
  activeFiles?: string[];
  tableSizeBytes?: number;
  numRows?: number | null;
  statsNumRecords?: number;
  txns?: Record<string, number>;
  checkpoint?: { version: number; parts: number } | null;
  rows?: Record<string, unknown>[];
  rowsSummary?: Record<string, { min: number; max: number; distinct: number; sum: number }>;
  corruptionTest?: unknown;
  atVersion1?: Expected;
  /** What a reader implementing reader version 3 (table features) sees, where that differs from a reader-1 refusal. */
  ifReaderFeaturesSupported?: Expected;
}

const tables = readdirSync(GOLDEN)
  .filter((d) => existsSync(join(GOLDEN, d, 'EXPECTED.json')))
  .sort();

let sql: Sql;
before(async () => {
  sql = await openDuckDB();
});
after(() => sql.close());

async function checkSnapshot(store: LocalObjectStore, snap: Snapshot, exp: Expected, readMode: string | undefined): Promise<void> {
  assert.equal(snap.version, exp.version);
  const { minReaderVersion, minWriterVersion, readerFeatures, writerFeatures } = snap.protocol;
  assert.deepEqual(
    { minReaderVersion, minWriterVersion, ...(readerFeatures ? { readerFeatures } : {}), ...(writerFeatures ? { writerFeatures } : {}) },
    exp.protocol,
  );
  assert.deepEqual(snap.schema?.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })) ?? null, exp.schema);
  assert.deepEqual(snap.partitionColumns, exp.partitionColumns);
  assert.equal(snap.files.length, exp.numFiles);
  assert.deepEqual(snap.files.map((f) => f.path).sort(), exp.activeFiles);
  assert.equal(snap.sizeBytes, exp.tableSizeBytes);
  assert.deepEqual(snap.txns, exp.txns);
  if (exp.statsNumRecords !== undefined) {
    assert.equal(
      snap.files.reduce((n, f) => n + (parseStats(f)?.numRecords ?? NaN), 0),
      exp.statsNumRecords,
    );
    assert.equal(snap.numRecords, exp.statsNumRecords);
  }
  if (readMode !== 'full') return;
  const rows = await encodedRows(sql, await scanQuery(sql, store, snap), snap.schema!);
  assert.equal(rows.length, exp.numRows);
  if (exp.rows) assert.deepEqual(multiset(rows), multiset(exp.rows));
  for (const [col, s] of Object.entries(exp.rowsSummary ?? {})) {
    assert.deepEqual(summarize(rows, col), { min: s.min, max: s.max, distinct: s.distinct, sum: s.sum });
  }
}

describe('Delta golden tables (Spark-written)', () => {
  it('has every golden table', () => assert.equal(tables.length, 18));
  for (const name of tables) {
    const exp = JSON.parse(readFileSync(join(GOLDEN, name, 'EXPECTED.json'), 'utf8')) as Expected;
    it(`${name}: ${exp.expect}`, async () => {
      const store = new LocalObjectStore(GOLDEN, { fsync: false });
      const opts = { sql };
      if (exp.expect === 'error' && exp.ifReaderFeaturesSupported) {
        // pinpipe reads reader-3 tables whose reader features it supports (src/delta/features.ts): the latest protocol, read.
        const snap = await (await DeltaTable.open(store, name, opts)).snapshot();
        await checkSnapshot(store, snap, exp.ifReaderFeaturesSupported, 'full');
        if (exp.atVersion1) await checkSnapshot(store, await DeltaTable.handle(store, name, opts).snapshot(1), { ...exp.atVersion1, version: 1 }, 'full');
        return;
      }
      if (exp.expect === 'error') {
        const kind = ERROR_KINDS[exp.error!.kind];
        await assert.rejects(DeltaTable.open(store, name, opts), (err: unknown) => isError(err, kind));
        if (exp.error!.kind === 'missing-protocol') await assert.rejects(DeltaTable.open(store, name, opts), /protocol/);
        if (exp.atVersion1) {
          const snap = await DeltaTable.handle(store, name, opts).snapshot(1);
          await checkSnapshot(store, snap, { ...exp.atVersion1, version: 1 }, 'full');
        }
        return;
      }
      const table = await DeltaTable.open(store, name, opts);
      const snap = await table.snapshot();
      await checkSnapshot(store, snap, exp, exp.readMode);
      if (exp.checkpoint) assert.equal(snap.state.checkpointVersion, exp.checkpoint.version, 'replay starts from the expected checkpoint');
      if (exp.corruptionTest) {
        for (const bad of ['', '{"version":1', 'not json at all', '{"version":99,"size":3}']) {
          const dir = await fs.mkdtemp(join(tmpdir(), 'golden-corrupt-'));
          try {
            await fs.cp(join(GOLDEN, name), join(dir, name), { recursive: true });
            await fs.writeFile(join(dir, name, '_delta_log', '_last_checkpoint'), bad);
            const copy = new LocalObjectStore(dir, { fsync: false });
            const s2 = await (await DeltaTable.open(copy, name, opts)).snapshot();
            await checkSnapshot(copy, s2, exp, exp.readMode);
          } finally {
            await fs.rm(dir, { recursive: true, force: true });
          }
        }
      }
    });
  }
});
