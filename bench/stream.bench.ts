// npm run bench:stream [-- options] — the speed layer end to end: a load generator process PUTs
// batches to the API's stream endpoints (127.0.0.1 only) at a steady rate; `pinpipe up` ingests
// them and its stream job cleans them into the Delta tables. Reports end-to-end latency
// (log acknowledgement → committed Delta version), the highest rate sustained before lag grows,
// and the server's memory over time. Baseline, same run: the same load into `pinpipe up
// --no-stream` (ingest only), so what the job adds is visible.
//
// Options: --duration <s> (latency/memory phase, default 60), --rate <n> (records/s over the three
// streams, default 5000), --steps <n,n,…> (rates to try, default 5000,10000,15000,20000,25000,30000),
// --step-seconds <s> (default 20), --keys unique|dataset (default unique: every record a new row;
// dataset: the emulator's 11,000 keys with replacement), --batch <n> (records per request, 100),
// --no-baseline, --no-steps, --no-latency.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bucketsDelta, histogramQuantile, type Buckets } from '../src/core/histogram.js';
import { fmt, startServer, table } from './lib.js';
import { exactLatencies } from './stream/exact.js';
import type { LoadResult, LoadSpec } from './stream/load.js';
import { histogramOf, lagOf, processUsage, processedOf, scrape, slope } from './stream/probe.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const flag = (name: string): boolean => args.includes(`--${name}`);
const DURATION = Number(opt('duration', '60'));
const RATE = Number(opt('rate', '5000'));
const STEPS = opt('steps', '5000,10000,15000,20000,25000,30000').split(',').map(Number);
const STEP_SECONDS = Number(opt('step-seconds', '20'));
const KEYS = opt('keys', 'unique') as LoadSpec['keys'];
const BATCH = Number(opt('batch', '100'));
const PREFIX = 'bench';
const WARMUP_S = Math.min(10, DURATION / 5);
let keyStart = 1_000_000_000;

async function server(stream: boolean): Promise<{ url: string; pid: number; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-streambench-'));
  const s = await startServer([
    '--import',
    'tsx',
    'src/cli/main.ts',
    '--data-dir',
    dir,
    '--prefix',
    PREFIX,
    'up',
    '--port',
    '0',
    '--no-sink',
    ...(stream ? [] : ['--no-stream']),
  ]);
  return { url: s.url, pid: s.proc.pid!, dir, stop: s.stop };
}

/** Run the load generator process for `seconds` at `rate`. */
function load(url: string, rate: number, seconds: number): Promise<LoadResult> {
  const spec: LoadSpec = {
    url,
    prefix: PREFIX,
    rate,
    durationMs: seconds * 1000,
    maxRecords: Math.ceil(rate * seconds * 1.01),
    batch: BATCH,
    concurrency: 32,
    keys: KEYS,
    keyStart,
  };
  keyStart += spec.maxRecords + 1;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'bench/stream/load.ts', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** Sample the server every second while `until` is pending. */
async function watch(url: string, pid: number, until: Promise<unknown>): Promise<{ t: number; rss: number; cpu: number; lag: number }[]> {
  const samples: { t: number; rss: number; cpu: number; lag: number }[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const t0 = performance.now();
  while (!done) {
    const u = processUsage(pid);
    const lag = lagOf(await scrape(url).catch(() => []));
    samples.push({ t: (performance.now() - t0) / 1000, rss: u.rss, cpu: u.cpuSeconds, lag });
    await Promise.race([sleep(1000), until.catch(() => undefined)]);
  }
  return samples;
}

async function drain(url: string, sent: number, timeoutS = 120): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const s = await scrape(url);
    if (processedOf(s) >= sent && lagOf(s) === 0) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutS * 1000) return Infinity;
    await sleep(100);
  }
}

const q = (b: Buckets, p: number): string => {
  const v = histogramQuantile(b, p);
  return v === undefined ? '-' : `${Math.round(v * 1000)} ms`;
};
const pq = (sorted: number[], p: number): string =>
  sorted.length ? `${Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))])} ms` : '-';
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
const cpuPct = (s: { t: number; cpu: number }[]): string =>
  s.length > 1 ? `${Math.round(((s.at(-1)!.cpu - s[0].cpu) / (s.at(-1)!.t - s[0].t)) * 100)}%` : '-';

console.log(
  `Stream benchmark: ${KEYS} keys, ${BATCH} records per PUT …/records, rates are records/s over the three streams; 2-core machine, load generator in its own process.\n`,
);

if (!flag('no-baseline')) {
  const s = await server(false);
  const seconds = Math.min(DURATION, 30);
  const running = load(s.url, RATE, seconds);
  const samples = await watch(s.url, s.pid, running);
  const r = await running;
  await s.stop();
  rmSync(s.dir, { recursive: true, force: true });
  console.log(`Baseline — ingest only (pinpipe up --no-stream), ${fmt(RATE)} records/s for ${seconds} s:`);
  table(
    ['acked', 'rate achieved', 'ack p50', 'ack p95', 'ack p99', 'server CPU', 'server RSS (end)'],
    [
      [
        fmt(r.acked),
        fmt(r.acked / r.seconds),
        `${r.ack.p50.toFixed(1)} ms`,
        `${r.ack.p95.toFixed(1)} ms`,
        `${r.ack.p99.toFixed(1)} ms`,
        cpuPct(samples),
        mb(samples.at(-1)?.rss ?? 0),
      ],
    ],
  );
  console.log('');
}

if (!flag('no-latency')) {
  const s = await server(true);
  const started = Date.now();
  const running = load(s.url, RATE, DURATION);
  await sleep(WARMUP_S * 1000);
  const before = histogramOf(await scrape(s.url), 'latency');
  const from = Date.now();
  const samples = await watch(s.url, s.pid, running);
  const r = await running;
  const to = Date.now();
  const drained = await drain(s.url, r.acked);
  const after = await scrape(s.url);
  const lat = bucketsDelta(histogramOf(after, 'latency'), before);
  const batchDur = histogramOf(after, 'batchSeconds');
  const batchSize = histogramOf(after, 'batchRecords');
  await s.stop();
  const exact = KEYS === 'unique' ? await exactLatencies(s.dir, PREFIX, from, to) : [];
  rmSync(s.dir, { recursive: true, force: true });
  console.log(`Stream job on (pinpipe up), ${fmt(RATE)} records/s for ${DURATION} s (latency after a ${WARMUP_S} s warm-up):`);
  table(
    ['measure', 'p50', 'p95', 'p99', 'n'],
    [
      ['end-to-end, histogram (ack → commit)', q(lat, 0.5), q(lat, 0.95), q(lat, 0.99), fmt(lat.at(-1)?.count ?? 0)],
      ...(exact.length ? [['end-to-end, exact from the log and the Delta commits', pq(exact, 0.5), pq(exact, 0.95), pq(exact, 0.99), fmt(exact.length)]] : []),
      ['API ack (request → reply), load generator', `${r.ack.p50.toFixed(1)} ms`, `${r.ack.p95.toFixed(1)} ms`, `${r.ack.p99.toFixed(1)} ms`, fmt(r.acked)],
      ['micro-batch duration', q(batchDur, 0.5), q(batchDur, 0.95), q(batchDur, 0.99), fmt(batchDur.at(-1)?.count ?? 0)],
      [
        'micro-batch size (records)',
        String(Math.round(histogramQuantile(batchSize, 0.5) ?? 0)),
        String(Math.round(histogramQuantile(batchSize, 0.95) ?? 0)),
        String(Math.round(histogramQuantile(batchSize, 0.99) ?? 0)),
        '',
      ],
    ],
  );
  const steady = samples.filter((x) => x.t >= Math.min(30, DURATION / 4));
  const rssSlope = slope(steady.map((x) => ({ x: x.t / 60, y: x.rss / 2 ** 20 })));
  const marks = [0, 0.25, 0.5, 0.75, 1].map((f) => samples[Math.min(samples.length - 1, Math.round(f * (samples.length - 1)))]).filter(Boolean);
  console.log(
    `\nServer over time (rate achieved ${fmt(r.acked / r.seconds)}/s, ${fmt(r.failed)} failed, drained ${drained.toFixed(1)} s after the load stopped, server CPU ${cpuPct(samples)} of one core):`,
  );
  table(
    ['t', ...marks.map((x) => `${Math.round(x.t + WARMUP_S)} s`)],
    [
      ['RSS', ...marks.map((x) => mb(x.rss))],
      ['lag (records)', ...marks.map((x) => fmt(x.lag))],
    ],
  );
  console.log(
    `RSS: max ${mb(Math.max(...samples.map((x) => x.rss)))}, trend after the first ${Math.min(30, DURATION / 4)} s: ${rssSlope >= 0 ? '+' : ''}${rssSlope.toFixed(1)} MB/min; started ${new Date(started).toISOString()}\n`,
  );
}

if (!flag('no-steps')) {
  // Baseline first: what the API alone takes at each rate (ingest only, shorter steps).
  const base = new Map<number, LoadResult>();
  if (!flag('no-baseline')) {
    const b = await server(false);
    for (const rate of STEPS) base.set(rate, await load(b.url, rate, Math.min(10, STEP_SECONDS)));
    await b.stop();
    rmSync(b.dir, { recursive: true, force: true });
  }
  const s = await server(true);
  const rows: (string | number)[][] = [];
  let best = 0;
  for (const rate of STEPS) {
    const running = load(s.url, rate, STEP_SECONDS);
    const samples = await watch(s.url, s.pid, running);
    const r = await running;
    const third = samples.filter((x) => x.t >= STEP_SECONDS / 3);
    const lagSlope = slope(third.map((x) => ({ x: x.t, y: x.lag })));
    const achieved = r.acked / r.seconds;
    const maxLag = Math.max(0, ...third.map((x) => x.lag));
    const ok = achieved >= 0.95 * rate && lagSlope < rate * 0.02 && maxLag <= Math.max(2000, rate);
    if (ok) best = Math.max(best, rate);
    const b = base.get(rate);
    rows.push([
      fmt(rate),
      b ? `${fmt(b.acked / b.seconds)} (p99 ${Math.round(b.ack.p99)} ms)` : '-',
      `${fmt(achieved)} (p99 ${Math.round(r.ack.p99)} ms)`,
      fmt(maxLag),
      `${lagSlope >= 0 ? '+' : ''}${fmt(lagSlope)}/s`,
      cpuPct(samples),
      ok ? 'yes' : 'no',
    ]);
    const wait = await drainLag(s.url, 60);
    if (!ok && wait === Infinity) break;
  }
  await s.stop();
  rmSync(s.dir, { recursive: true, force: true });
  console.log(
    `Rate steps (${STEP_SECONDS} s each; sustained = the API took ≥95% of the offered rate and the stream job's lag stayed ≤ max(2000, 1 s of records) without growing):`,
  );
  table(['offered/s', 'baseline: ingest only, acked/s', 'stream job on: acked/s', 'max lag', 'lag trend', 'server CPU', 'sustained'], rows);
  console.log(`\nMax sustained rate: ${fmt(best)} records/s\n`);
}

async function drainLag(url: string, timeoutS: number): Promise<number> {
  const t0 = performance.now();
  while (lagOf(await scrape(url)) > 0) {
    if (performance.now() - t0 > timeoutS * 1000) return Infinity;
    await sleep(250);
  }
  return (performance.now() - t0) / 1000;
}
