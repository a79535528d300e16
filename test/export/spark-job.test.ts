// The exported Spark job (`pinpipe export spark`) on local pyspark against `pinpipe batch run`:
// the same raw lake gives the same tables, rejects and result sets, and each engine continues
// incrementally on the tables the other wrote.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { createLogger } from '../../src/core/logger.js';
import { ANALYTICS } from '../../src/analytics/index.js';
import { DeltaTable } from '../../src/delta/index.js';
import { batchJobName, parseRunDate, readResult, runBatch } from '../../src/jobs/batch/index.js';
import { readWatermarks } from '../../src/jobs/batch/batch-state.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { peerMissing, SparkPeer, sparkEnv, sparkVenv } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';
import { BAD_LINES, emulatorPayloads, writePartition } from '../jobs/batch/lake.js';

const venv = await sparkVenv();
const PREFIX = 'exp';
const JOB = batchJobName(PREFIX);
const TABLES = ['tables/pin', 'tables/geo', 'tables/user', 'tables/rejects'];
const silent = createLogger('silent');

let peer: SparkPeer;
let sql: Sql;
let dir: string;
let cleanup: () => void;
let jobFile: string;

const plainValue = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map(plainValue) : v;
const sorted = (rows: Record<string, unknown>[]): string[] => rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, plainValue(v)]))).sort();

/** Everything the batch job leaves in a lake, as pinpipe reads it: table rows, txn versions and watermarks, result rows. */
async function lakeContents(lake: string): Promise<Record<string, unknown>> {
  const store = new LocalObjectStore(lake, { fsync: false });
  const out: Record<string, unknown> = {};
  for (const key of TABLES) {
    const t = await DeltaTable.open(store, key, { sql });
    const snap = await t.snapshot();
    out[key] = { rows: sorted(await t.readRows(snap)), txn: snap.txnVersion(JOB), marks: await readWatermarks(store, snap, JOB) };
  }
  for (const a of ANALYTICS) out[a.id] = (await readResult(store, sql, a.id)).rows;
  return out;
}

/** Same raw records in both lakes: `n` more emulator events per kind (and the bad lines) after what each partition holds. */
const offsets: Record<string, number> = {};
function addRaw(lakes: string[], n: number, seed: number): void {
  const p = emulatorPayloads(n, { datasetRows: 3 * n, sampleSeed: seed });
  for (const kind of ['pin', 'geo', 'user'] as const) {
    const lines = [...p[kind], ...BAD_LINES[kind]];
    for (const lake of lakes) writePartition(lake, `${PREFIX}.${kind}`, 0, lines, 25, offsets[kind] ?? 0);
    offsets[kind] = (offsets[kind] ?? 0) + lines.length;
  }
}

/** Run the exported job as `python JOB.py …` (its own Spark, the cached Delta jars), returning its JSON report. */
async function runJobProcess(args: string[]): Promise<Record<string, unknown>> {
  const jars = await peer.run<string[]>('result = delta_jars()');
  if (!venv.ok) throw new Error(venv.error);
  const env = { ...sparkEnv(venv.venv), PYSPARK_SUBMIT_ARGS: `--jars ${jars.join(',')} --driver-memory 1g --conf spark.ui.enabled=false pyspark-shell` };
  const child = spawn(venv.venv.python, [jobFile, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-5000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `the job failed: ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Run the exported job inside the peer's Spark session (no second JVM start). */
function runJobInPeer(args: string[]): Promise<Record<string, unknown>> {
  return peer.run(
    `import importlib.util
spec = importlib.util.spec_from_file_location("pinpipe_batch_job", args["file"])
job = importlib.util.module_from_spec(spec)
spec.loader.exec_module(job)
result = job.main(args["argv"], spark())`,
    { file: jobFile, argv: args },
  );
}

describe(
  'the exported Spark job against pinpipe batch run',
  { skip: venv.ok ? false : peerMissing('pyspark with delta-spark', venv.ok ? '' : venv.error) },
  () => {
    before(async () => {
      if (!venv.ok) return;
      ({ dir, cleanup } = tempDir('pinpipe-export'));
      sql = await openDuckDB({ threads: 2 });
      peer = SparkPeer.start(venv.venv);
      const exported = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', 'spark', '--out', join(dir, 'job')], { encoding: 'utf8' });
      assert.equal(exported.status, 0, exported.stderr);
      jobFile = exported.stdout.trim();
      await peer.run('spark(); result = 1');
    });
    after(async () => {
      await peer?.stop();
      sql?.close();
      cleanup?.();
    });

    it('gives the tables, rejects, watermarks and result sets pinpipe gives, then each continues on the tables the other wrote', async () => {
      const byPinpipe = join(dir, 'a', 'lake');
      const bySpark = join(dir, 'b', 'lake');
      addRaw([byPinpipe, bySpark], 120, 1);
      addRaw([byPinpipe, bySpark], 60, 2);

      await runBatch({ store: new LocalObjectStore(byPinpipe, { fsync: false }), prefix: PREFIX, date: parseRunDate('2024-06-01'), sql, logger: silent });
      const report = await runJobProcess(['--lake', bySpark, '--prefix', PREFIX, '--date', '2024-06-01']);
      assert.equal((report.tables as Record<string, { status: string }>).pin.status, 'committed');
      const first = await lakeContents(byPinpipe);
      assert.deepEqual(await lakeContents(bySpark), first, 'the first run: Spark wrote what pinpipe wrote');
      assert.ok((first['tables/rejects'] as { rows: string[] }).rows.length >= 3 * 2, 'rejects compared');

      // The same date again does nothing, on either engine.
      const again = await runJobInPeer(['--lake', bySpark, '--prefix', PREFIX, '--date', '2024-06-01']);
      assert.equal((again.tables as Record<string, { status: string }>).pin.status, 'skipped');

      // Swap engines: pinpipe continues on Spark's tables, Spark on pinpipe's.
      addRaw([byPinpipe, bySpark], 90, 3);
      await runBatch({ store: new LocalObjectStore(bySpark, { fsync: false }), prefix: PREFIX, date: parseRunDate('2024-06-02'), sql, logger: silent });
      await runJobInPeer(['--lake', byPinpipe, '--prefix', PREFIX, '--date', '2024-06-02']);
      const second = await lakeContents(byPinpipe);
      assert.deepEqual(await lakeContents(bySpark), second, 'after swapping engines');
      assert.notDeepEqual(second['tables/pin'], first['tables/pin'], 'the second run added rows');

      // And back, with a rerun of the date (what a run without --date does).
      addRaw([byPinpipe, bySpark], 30, 4);
      await runJobInPeer(['--lake', bySpark, '--prefix', PREFIX, '--date', '2024-06-02', '--rerun']);
      await runBatch({
        store: new LocalObjectStore(byPinpipe, { fsync: false }),
        prefix: PREFIX,
        date: parseRunDate('2024-06-02'),
        mode: 'rerun',
        sql,
        logger: silent,
      });
      assert.deepEqual(await lakeContents(bySpark), await lakeContents(byPinpipe), 'after a rerun on each engine');
    });
  },
);
