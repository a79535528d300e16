import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketsDelta, bucketsSum, histogramQuantile, quantilesOf, RollingHistogram } from '../../src/core/histogram.js';

describe('histograms as data', () => {
  it('computes quantiles like PromQL histogram_quantile', () => {
    const buckets = [
      { le: 0.1, count: 10 },
      { le: 0.5, count: 90 },
      { le: 1, count: 100 },
      { le: Infinity, count: 100 },
    ];
    assert.equal(histogramQuantile(buckets, 0.05), 0.05);
    assert.equal(histogramQuantile(buckets, 0.5), 0.1 + 0.4 * (40 / 80));
    assert.equal(histogramQuantile(buckets, 0.99), 0.5 + 0.5 * 0.9);
    assert.equal(histogramQuantile(bucketsDelta(buckets, buckets), 0.5), undefined);
    assert.equal(
      histogramQuantile(
        [
          { le: 1, count: 0 },
          { le: Infinity, count: 4 },
        ],
        0.5,
      ),
      1,
      'in +Inf: the top finite bound',
    );
    assert.deepEqual(bucketsSum([buckets, buckets]).at(-1), { le: Infinity, count: 200 });
  });

  it('keeps every observation and those of the last window apart', () => {
    let now = 1_000_000;
    const h = new RollingHistogram([0.1, 1], 60_000, 6, () => now);
    for (let i = 0; i < 10; i++) h.observe(0.05);
    now += 30_000;
    for (let i = 0; i < 10; i++) h.observe(5);
    assert.deepEqual(
      h.total().map((b) => b.count),
      [10, 10, 20],
    );
    assert.equal(quantilesOf(h.recent()).count, 20, 'both within the minute');
    now += 45_000; // the fast ones are 75 s old, the slow ones 45 s
    assert.equal(quantilesOf(h.recent()).count, 10);
    assert.equal(quantilesOf(h.recent()).p50, 1, 'only the slow ones, all above the top bound');
    now += 120_000;
    assert.deepEqual(quantilesOf(h.recent()), { p50: undefined, p95: undefined, p99: undefined, count: 0 });
    assert.equal(quantilesOf(h.total()).count, 20);
  });
});
