// What the stream benchmark watches on the server: its status API (GET /api/status) and its process (RSS, CPU).
import { readFileSync } from 'node:fs';
import { bucketsSum, type Buckets } from '../../src/core/histogram.js';
import type { PipelineStatus } from '../../src/dashboard/index.js';
import type { StreamKindStatus } from '../../src/jobs/stream/index.js';

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

/** The server's streams, from its status API. */
export async function scrape(url: string): Promise<StreamKindStatus[]> {
  const res = await fetch(`${url}/api/status`, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) throw new Error(`GET /api/status answered ${res.status}`);
  const s = (await res.json()) as PipelineStatus;
  return 'streams' in s.stream ? s.stream.streams : [];
}

/** Records of the three streams not processed yet. */
export function lagOf(streams: readonly StreamKindStatus[]): number {
  return streams.reduce((n, s) => n + s.lag, 0);
}

/** Records processed by the stream job so far (all outcomes, all streams). */
export function processedOf(streams: readonly StreamKindStatus[]): number {
  return streams.reduce((n, s) => n + s.records.processed, 0);
}

/** A histogram of the three streams added together: end-to-end latency, micro-batch duration (seconds) or size (records). */
export function histogramOf(streams: readonly StreamKindStatus[], which: 'latency' | 'batchSeconds' | 'batchRecords'): Buckets {
  return bucketsSum(streams.map((s) => s[which].buckets));
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
