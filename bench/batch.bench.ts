// npm run bench:batch [-- --rows N] [--dataset-rows D] [--unique] [--repeat R] [--threads T] [--memory-mb M]
// The batch job on N events (N records each of pin, geo, user) written straight into the lake in
// the Connect layout at flushSize 1000, sampled with replacement from a D-row dataset like the
// emulator (or, with --unique, every event with its own key). Times, each in a fresh child
// process with its peak memory: the full run (raw JSON → cleaned Delta tables → ten result
// tables), an incremental run after 10% more events arrive, and in the same run the baselines:
// plain DuckDB doing the same SQL straight on the files with no Delta bookkeeping (and a naive
// plan that classifies every record instead of every distinct payload).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDuckDB, sqlString } from '../src/core/duckdb.js';
import { writeLakeData } from './batch/lake-data.js';
import { fmt, table } from './lib.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    'dataset-rows': { type: 'string', default: '11000' },
    unique: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    'memory-mb': { type: 'string', default: '1536' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.rows);
const extra = Math.round(N / 10);
const threads = args.threads!;
const memoryMb = args['memory-mb']!;
interface Measured {
  seconds: number;
  maxRssMb: number;
  records: number;
}

function child(script: string, argv: string[]): Measured {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', 'batch', script), ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measured;
}

const dir = mkdtempSync(join(tmpdir(), 'pinpipe-batchbench-'));
try {
  const lake = join(dir, 'lake');
  const gen = { root: lake, datasetRows: Number(args['dataset-rows']), unique: args.unique!, flushSize: 1000 };
  let t0 = performance.now();
  const bytes = writeLakeData({ ...gen, events: N, startOffset: 0, seed: 1 });
  console.log(
    `lake: ${fmt(N)} events (${fmt(3 * N)} records, ${(bytes / 1e6).toFixed(0)} MB of JSON, ${fmt(3 * Math.ceil(N / 1000))} objects) written in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${args.unique ? 'every event a distinct key' : `sampled from a ${fmt(gen.datasetRows)}-row dataset`}`,
  );

  // Alternatives for reading the raw lines (pin objects only), measured here so the choice stays checked.
  const sql = await openDuckDB({ threads: Number(threads) });
  const glob = sqlString(join(lake, 'topics', 'pinterest.pin', 'partition=0', '*.json'));
  const time = async (q: string) => ((t0 = performance.now()), await sql.all(q), (performance.now() - t0) / 1000);
  const readText = await time(
    `SELECT count(*), sum(strlen(payload)), max(line) FROM (SELECT unnest(l) AS payload, generate_subscripts(l, 1) AS line FROM (SELECT string_split(content, chr(10)) AS l FROM read_text(${glob})))`,
  );
  const readCsv = await time(
    `SELECT count(*), sum(strlen(payload)) FROM read_csv(${glob}, delim='\x1f', quote='', escape='', header=false, columns={'payload':'VARCHAR'}, filename=true, auto_detect=false)`,
  );
  sql.close();

  // The +10% objects are written once to a side folder and moved into the lake for each incremental run.
  const side = join(dir, 'side');
  writeLakeData({ ...gen, root: side, events: extra, startOffset: N, seed: 2 });
  const move = (from: string, to: string) => {
    for (const kind of ['pin', 'geo', 'user']) {
      const sub = join('topics', `pinterest.${kind}`, 'partition=0');
      mkdirSync(join(to, sub), { recursive: true });
      for (const f of readdirSync(join(from, sub)).filter((x) => Number(x.split('+')[2].slice(0, 10)) >= N)) renameSync(join(from, sub, f), join(to, sub, f));
    }
  };
  // Each repeat starts from the raw objects alone; job and baseline alternate who goes first.
  const runs: Record<'full' | 'inc' | 'baseFull' | 'baseInc', Measured[]> = { full: [], inc: [], baseFull: [], baseInc: [] };
  for (let r = 0; r < Number(args.repeat); r++) {
    for (const d of ['tables', 'results', '../tmp', '../base-same']) rmSync(join(lake, d), { recursive: true, force: true });
    const job = () => runs.full.push(child('run-job.ts', [lake, '2024-05-01', 'incremental', threads, memoryMb]));
    const base = () => runs.baseFull.push(child('baseline.ts', [lake, join(dir, 'base-same'), 'full', '0', 'same', threads, memoryMb]));
    for (const run of r % 2 === 0 ? [job, base] : [base, job]) run();
    move(side, lake);
    const jobInc = () => runs.inc.push(child('run-job.ts', [lake, '2024-05-02', 'incremental', threads, memoryMb]));
    const baseInc = () => runs.baseInc.push(child('baseline.ts', [lake, join(dir, 'base-same'), 'incremental', String(N), 'same', threads, memoryMb]));
    for (const run of r % 2 === 0 ? [jobInc, baseInc] : [baseInc, jobInc]) run();
    move(lake, side);
  }
  const median = (ms: Measured[]): Measured => [...ms].sort((a, b) => a.seconds - b.seconds)[Math.floor((ms.length - 1) / 2)];
  const [full, inc, baseSame, baseInc] = [median(runs.full), median(runs.inc), median(runs.baseFull), median(runs.baseInc)];
  const peak = (ms: Measured[]) => Math.max(...ms.map((m) => m.maxRssMb));
  const baseNaive = child('baseline.ts', [lake, join(dir, 'base-naive'), 'full', '0', 'naive', threads, memoryMb]);

  let polars = 'not available (python3 cannot import polars; it is not installable here)';
  try {
    execFileSync('python3', ['-c', 'import polars'], { stdio: 'ignore' });
    polars = 'available, but no polars script is part of this benchmark yet';
  } catch {
    /* keep the message */
  }

  const ratio = (a: Measured, b: Measured) => `${(a.seconds / b.seconds).toFixed(2)}×`;
  const rate = (m: Measured) => `${fmt(m.records / m.seconds)}/s`;
  console.log(
    `\nBatch benchmark: ${threads} DuckDB threads, memory limit ${memoryMb} MB. Each run is a fresh process timed inside itself; seconds = median of ${args.repeat} (all: ${['full', 'baseFull', 'inc', 'baseInc'].map((k) => `${k} ${runs[k as keyof typeof runs].map((m) => m.seconds.toFixed(2)).join('/')}`).join(', ')}); peak = highest maxRSS.\n`,
  );
  table(
    ['run', 'records', 'seconds', 'records/s', 'peak MB', 'vs plain DuckDB (same SQL)', 'target'],
    [
      [
        'pinpipe full: raw JSON → tables → results',
        fmt(full.records),
        full.seconds.toFixed(2),
        rate(full),
        fmt(peak(runs.full)),
        ratio(full, baseSame),
        '≤ 15 s (1M events), ≤ 1.3×, ≤ 2048 MB',
      ],
      ['pinpipe incremental: +10% events', fmt(inc.records), inc.seconds.toFixed(2), rate(inc), fmt(peak(runs.inc)), ratio(inc, baseInc), '≤ 3 s (1M events)'],
      ['baseline: plain DuckDB, same SQL (full)', fmt(baseSame.records), baseSame.seconds.toFixed(2), rate(baseSame), fmt(peak(runs.baseFull)), '1.00×', ''],
      ['baseline: plain DuckDB, same SQL (+10%)', fmt(baseInc.records), baseInc.seconds.toFixed(2), rate(baseInc), fmt(peak(runs.baseInc)), '1.00×', ''],
      [
        'baseline: plain DuckDB, naive plan (every record classified)',
        fmt(baseNaive.records),
        baseNaive.seconds.toFixed(2),
        rate(baseNaive),
        fmt(baseNaive.maxRssMb),
        ratio(baseNaive, baseSame),
        '',
      ],
    ],
  );
  console.log(
    `\nreading the raw pin lines (${fmt(N)} records): read_text + string_split ${readText.toFixed(2)} s, read_csv with a \\x1f delimiter ${readCsv.toFixed(2)} s (read_csv cannot number lines and cuts a line at a raw \\x1f)`,
  );
  console.log(`polars: ${polars}`);
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
