// npm run bench:spark [-- --rows N] [--dataset-rows D] [--threads T]
// The exported Spark job (`pinpipe export spark`, local Spark on this machine) against `pinpipe
// batch run`, on the same N-event lake (Connect layout, flushSize 1000, sampled from a D-row
// dataset like the emulator): each a full first run (raw JSON → cleaned Delta tables → rejects →
// ten result tables) in a fresh process, then an incremental run after 10% more events. Spark on
// one machine is expected to be slower (JVM start, task scheduling); the point is what it costs.
// Needs the `spark` venv and cached Delta jars (node --import tsx scripts/peers/warm-spark.ts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SPARK_JOB_FILE, sparkJobSource } from '../src/export/spark/spark-job.js';
import { cachedDeltaJars, sparkEnv, sparkVenv } from '../test/helpers/peers/index.js';
import { writeLakeData } from './batch/lake-data.js';
import { fmt, table } from './lib.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'dataset-rows': { type: 'string', default: '11000' },
    threads: { type: 'string', default: '2' },
  },
});
const N = Number(args.rows);
const extra = Math.round(N / 10);

interface Run {
  wall: number;
  inside: number;
  rssMb?: number;
}

function pinpipeRun(lake: string, date: string): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', 'batch', 'run-job.ts'), lake, date, 'incremental', args.threads!, '1536'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pinpipe batch run failed:\n${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; maxRssMb: number };
  return { wall: (performance.now() - t0) / 1000, inside: m.seconds, rssMb: m.maxRssMb };
}

async function sparkRun(python: string, env: NodeJS.ProcessEnv, job: string, lake: string, date: string): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(python, [job, '--lake', lake, '--prefix', 'pinterest', '--date', date], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the Spark job failed (${code}):\n${err}`);
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number };
  return { wall: (performance.now() - t0) / 1000, inside: report.seconds };
}

const venv = await sparkVenv();
const jars = cachedDeltaJars();
if (!venv.ok || !jars) {
  console.error(
    `bench:spark needs the spark venv and the Delta jars: run node --import tsx scripts/peers/warm-spark.ts first${venv.ok ? '' : ` (${venv.error})`}`,
  );
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'pinpipe-sparkbench-'));
try {
  const forPinpipe = join(dir, 'pinpipe', 'lake');
  const forSpark = join(dir, 'spark', 'lake');
  const gen = { datasetRows: Number(args['dataset-rows']), unique: false, flushSize: 1000 };
  const bytes = writeLakeData({ ...gen, root: forPinpipe, events: N, startOffset: 0, seed: 1 });
  cpSync(forPinpipe, forSpark, { recursive: true });
  console.log(`lake: ${fmt(N)} events (${fmt(3 * N)} records, ${(bytes / 1e6).toFixed(0)} MB of JSON, ${fmt(3 * Math.ceil(N / 1000))} objects), twice`);

  const job = join(dir, SPARK_JOB_FILE);
  writeFileSync(job, sparkJobSource('bench'));
  const cores = Number(args.threads);
  const env = {
    ...sparkEnv(venv.venv),
    PYSPARK_SUBMIT_ARGS: `--master local[${cores}] --driver-memory 4g --jars ${jars.join(',')} --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false --conf spark.sql.shuffle.partitions=${2 * cores} pyspark-shell`,
  };

  const rows: string[][] = [];
  const add = (what: string, p: Run, s: Run): void => {
    rows.push([
      what,
      `${p.wall.toFixed(1)} s (in the job ${p.inside.toFixed(1)} s, peak ${p.rssMb?.toFixed(0)} MB)`,
      `${s.wall.toFixed(1)} s (in the job ${s.inside.toFixed(1)} s)`,
      `${(s.wall / p.wall).toFixed(1)}×`,
    ]);
  };
  add('full run', pinpipeRun(forPinpipe, '2024-05-01'), await sparkRun(venv.venv.python, env, job, forSpark, '2024-05-01'));
  writeLakeData({ ...gen, root: forPinpipe, events: extra, startOffset: N, seed: 2 });
  writeLakeData({ ...gen, root: forSpark, events: extra, startOffset: N, seed: 2 });
  add(`+10% (${fmt(extra)} events)`, pinpipeRun(forPinpipe, '2024-05-02'), await sparkRun(venv.venv.python, env, job, forSpark, '2024-05-02'));
  table(
    ['workload', 'pinpipe batch run (DuckDB, fresh process)', `exported Spark job (local[${cores}], python JOB.py, with JVM start)`, 'Spark / pinpipe'],
    rows,
  );
  console.log("'in the job': time inside the run (pinpipe: runBatch; Spark: the job's main, after the session started).");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
