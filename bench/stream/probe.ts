// What the stream benchmark watches on the server: its /metrics and its process (RSS, CPU).
import { readFileSync } from 'node:fs';
import { bucketsOf, parsePrometheus, type Buckets, type Sample } from '../../src/jobs/stream/index.js';

export const KINDS = ['pin', 'geo', 'user'] as const;

/** RSS (bytes) and CPU time (seconds, user + system) of a process, from /proc. */
export function processUsage(pid: number): { rss: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return { rss: rssKb * 1024, cpuSeconds: ticks / 100 };
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
  return parsePrometheus(await res.text());
}

/** Sum of the lag gauges of the three streams. */
export function lagOf(samples: readonly Sample[], prefix: string): number {
  return KINDS.reduce(
    (n, k) => n + (samples.find((s) => s.name === 'pinpipe_stream_lag_records' && s.labels.stream === `streaming-${prefix}-${k}`)?.value ?? 0),
    0,
  );
}

/** Records processed by the stream job so far (all outcomes, all streams). */
export function processedOf(samples: readonly Sample[]): number {
  return samples.filter((s) => s.name === 'pinpipe_stream_records_total').reduce((n, s) => n + s.value, 0);
}

/** A histogram of the three streams added together. */
export function histogramOf(samples: readonly Sample[], name: string, prefix: string): Buckets {
  const per = KINDS.map((k) => bucketsOf(samples, name, { stream: `streaming-${prefix}-${k}` }));
  return per[0].map((b, i) => ({ le: b.le, count: per.reduce((n, p) => n + (p[i]?.count ?? 0), 0) }));
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
