/** Cumulative histogram buckets: for each upper bound `le`, how many observations were ≤ it (the last bound is +Infinity). */
export type Buckets = { le: number; count: number }[];

/** Quantiles of a histogram (undefined when it holds no observation), and how many observations it holds. */
export interface Quantiles {
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  count: number;
}

/**
 * The q-quantile of cumulative buckets, interpolating linearly inside the bucket as PromQL's
 * histogram_quantile does (the top finite bound when it falls in +Inf); undefined when empty.
 */
export function histogramQuantile(buckets: Buckets, q: number): number | undefined {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket <= 0 ? b.le : prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** Bucket counts of `after` minus those of `before` (the observations made in between). */
export function bucketsDelta(after: Buckets, before: Buckets): Buckets {
  const prior = new Map(before.map((b) => [b.le, b.count]));
  return after.map((b) => ({ le: b.le, count: b.count - (prior.get(b.le) ?? 0) }));
}

/** Bucket-wise sum of histograms with the same bounds (e.g. the three streams together). */
export function bucketsSum(all: readonly Buckets[]): Buckets {
  if (all.length === 0) return [];
  return all[0].map((b, i) => ({ le: b.le, count: all.reduce((n, h) => n + (h[i]?.count ?? 0), 0) }));
}

/** p50, p95 and p99 of cumulative buckets. */
export function quantilesOf(buckets: Buckets): Quantiles {
  return {
    p50: histogramQuantile(buckets, 0.5),
    p95: histogramQuantile(buckets, 0.95),
    p99: histogramQuantile(buckets, 0.99),
    count: buckets.at(-1)?.count ?? 0,
  };
}

/**
 * A histogram kept as data, for status pages: every observation since start, and the ones of the
 * last `windowMs` (to within one slot of `windowMs / slots`), so that "latency now" moves while
 * "latency since start" settles.
 * @example const h = new RollingHistogram([0.1, 0.5, 1]); h.observe(0.2); quantilesOf(h.recent()).p50
 */
export class RollingHistogram {
  private readonly counts: number[];
  /** Cumulative counts at the start of each past slot, oldest first, with the time each was taken. */
  private readonly marks: { at: number; counts: number[] }[] = [];

  constructor(
    private readonly bounds: readonly number[],
    private readonly windowMs = 60_000,
    private readonly slots = 12,
    private readonly now: () => number = Date.now,
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** Count one observation. */
  observe(value: number): void {
    this.roll();
    let i = this.bounds.findIndex((b) => value <= b);
    if (i < 0) i = this.bounds.length;
    this.counts[i]++;
  }

  /** Every observation so far, as cumulative buckets. */
  total(): Buckets {
    return this.cumulative(this.counts);
  }

  /** The observations of about the last `windowMs`, as cumulative buckets. */
  recent(): Buckets {
    this.roll();
    const from = this.marks[0]?.counts;
    return this.cumulative(from ? this.counts.map((c, i) => c - from[i]) : this.counts);
  }

  private roll(): void {
    const t = this.now();
    const slotMs = this.windowMs / this.slots;
    const last = this.marks.at(-1);
    if (!last || t - last.at >= slotMs) this.marks.push({ at: t, counts: [...this.counts] });
    while (this.marks.length > 1 && t - this.marks[0].at > this.windowMs) this.marks.shift();
  }

  private cumulative(counts: readonly number[]): Buckets {
    let n = 0;
    return counts.map((c, i) => ({ le: i < this.bounds.length ? this.bounds[i] : Infinity, count: (n += c) }));
  }
}
