// npm run bench:ingest — produce throughput and latency of pinpipe's API against a bare node:http
// baseline, both measured here, now, with the same load generator (autocannon) on this machine.
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRow } from '../src/emulator/index.js';
import { fmt, processCpuMs, startServer, table } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

function bodies(): { single: string; batch: string } {
  const single = JSON.stringify({ records: [{ value: generateRow(1, 42).pin }] });
  const records = [];
  for (let i = 0; records.length < 500; i++) {
    const r = generateRow(i, 42);
    records.push({ value: r.pin }, { value: r.geo }, { value: r.user });
  }
  return { single, batch: JSON.stringify({ records: records.slice(0, 500) }) };
}

async function load(url: string, body: string, pid?: number): Promise<{ rps: number; p50: number; p99: number; errors: number; cpuUsPerRequest?: number }> {
  const cpu0 = processCpuMs(pid);
  const r = await autocannon({
    url: `${url}/topics/pinterest.pin`,
    method: 'POST',
    headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
    body,
    connections,
    duration: seconds,
  });
  const cpu1 = processCpuMs(pid);
  const cpuUsPerRequest = cpu0 !== undefined && cpu1 !== undefined && r.requests.total > 0 ? ((cpu1 - cpu0) * 1000) / r.requests.total : undefined;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUsPerRequest };
}

async function main(): Promise<void> {
  const { single, batch } = bodies();
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-bench-'));
  const results: Record<string, Record<string, Awaited<ReturnType<typeof load>>>> = { baseline: {}, pinpipe: {} };
  try {
    const baseline = await startServer(['bench/baseline-server.mjs']);
    results.baseline.single = await load(baseline.url, single, baseline.proc.pid);
    results.baseline.batch = await load(baseline.url, batch, baseline.proc.pid);
    await baseline.stop();
    const pinpipe = await startServer(['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, 'up', '--no-sink', '--no-stream', '--no-batch', '--port', '0'], { PINPIPE_LOG_FSYNC: 'full' });
    await load(pinpipe.url, single); // warm-up: topic creation, JIT
    results.pinpipe.single = await load(pinpipe.url, single, pinpipe.proc.pid);
    results.pinpipe.batch = await load(pinpipe.url, batch, pinpipe.proc.pid);
    await pinpipe.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nIngest benchmark: ${seconds}s per run, ${connections} connections, autocannon on the same machine; pinpipe durable (fsync on group commit).\n`);
  const row = (name: string, k: 'single' | 'batch', per: number) => {
    const b = results.baseline[k];
    const p = results.pinpipe[k];
    const cpu = (x: { cpuUsPerRequest?: number }) => (x.cpuUsPerRequest === undefined ? 'n/a' : fmt(x.cpuUsPerRequest));
    return [name, fmt(b.rps * per), fmt(p.rps * per), `${((p.rps / b.rps) * 100).toFixed(0)}%`, `${p.p50} / ${p.p99}`, `${b.p50} / ${b.p99}`, `${cpu(p)} / ${cpu(b)}`, p.errors];
  };
  table(
    ['scenario', 'baseline (bare node:http)', 'pinpipe', 'pinpipe / baseline', 'pinpipe p50 / p99 ms', 'baseline p50 / p99 ms', 'server CPU µs/request pinpipe / baseline', 'errors'],
    [row('1-record POSTs (requests/s)', 'single', 1), row('500-record POSTs (records/s)', 'batch', 500)],
  );
}

await main();
