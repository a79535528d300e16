// The stream benchmark's load generator, run as its own process so its CPU is not the server's:
// PUT /streams/streaming-<prefix>-<kind>/records batches at a steady rate, bounded in time and
// count, to 127.0.0.1 only. Prints one JSON line with what it sent and the ack latencies.
// Usage: node --import tsx bench/stream/load.ts '<LoadSpec JSON>'
import { generateRow } from '../../src/emulator/index.js';

export interface LoadSpec {
  url: string;
  prefix: string;
  /** Records per second over the three streams together. */
  rate: number;
  durationMs: number;
  /** Hard cap on records sent. */
  maxRecords: number;
  /** Records per request (one kind per request, kinds in turn). */
  batch: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** `unique`: every record a new key from `keyStart`; `dataset`: keys of an 11,000-row dataset, with replacement (as the emulator). */
  keys: 'unique' | 'dataset';
  keyStart: number;
}

export interface LoadResult {
  sent: number;
  acked: number;
  failed: number;
  seconds: number;
  /** Request → reply latency of the acknowledged requests, ms. */
  ack: { p50: number; p95: number; p99: number };
}

const KINDS = ['pin', 'geo', 'user'] as const;
const DATASET_ROWS = 11_000;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  const host = new URL(spec.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1, not ${host}`);
  if (!(spec.rate > 0 && spec.durationMs > 0 && spec.durationMs <= 3_600_000 && spec.maxRecords > 0))
    throw new Error('rate, durationMs (≤ 1 h) and maxRecords must be bounded and positive');
  // Record texts split after their key (`{"index":` / `{"ind":` comes first), so a key is a cheap concatenation.
  const rows = Array.from({ length: 500 }, (_, i) => generateRow(i * 17, 42));
  const tails = KINDS.map((k) =>
    rows.map((r) => {
      const t = JSON.stringify(r[k]);
      return t.slice(t.indexOf(','));
    }),
  );
  const heads = ['{"index":', '{"ind":', '{"ind":'];
  let nextKey = spec.keyStart;
  let seed = 0x9e3779b9;
  const random = (): number => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  const body = (kind: number, n: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = spec.keys === 'unique' ? nextKey++ : Math.floor(random() * DATASET_ROWS);
      parts.push(`{"data":${heads[kind]}${key}${tails[kind][key % tails[kind].length]},"partition-key":"${key}"}`);
    }
    return `{"records":[${parts.join(',')}]}`;
  };

  const latencies: number[] = [];
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let requests = 0;
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const worker = async (): Promise<void> => {
    for (;;) {
      const k = requests++;
      const due = started + ((k * spec.batch) / spec.rate) * 1000;
      if (due >= deadline || sent >= spec.maxRecords) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const kind = k % 3;
      const n = Math.min(spec.batch, spec.maxRecords - sent);
      sent += n;
      const t0 = performance.now();
      try {
        const res = await fetch(`${spec.url}/streams/streaming-${spec.prefix}-${KINDS[kind]}/records`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: body(kind, n),
        });
        const reply = (await res.json()) as { FailedRecordCount?: number };
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        const bad = reply.FailedRecordCount ?? 0;
        acked += n - bad;
        failed += bad;
        latencies.push(performance.now() - t0);
      } catch {
        failed += n;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return {
    sent,
    acked,
    failed,
    seconds: (performance.now() - started) / 1000,
    ack: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99) },
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
main(spec).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: unknown) => {
    process.stderr.write(`load generator: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
