import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinpipeError } from '../../src/core/errors.js';
import { withRetry } from '../../src/core/retry.js';

/** A wait that records the pauses and returns at once (or fails when the signal is aborted). */
function recorder(): { pauses: number[]; wait: (ms: number, signal?: AbortSignal) => Promise<void> } {
  const pauses: number[] = [];
  return {
    pauses,
    wait: async (ms, signal) => {
      pauses.push(ms);
      if (signal?.aborted) throw new Error('aborted');
    },
  };
}

describe('withRetry', () => {
  it('retries retryable coded errors with a growing, capped pause, then gives up with the last error', async () => {
    const r = recorder();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new PinpipeError('STORE_UNAVAILABLE', `try ${calls}`);
        },
        { retries: 4, delayMs: 10, backoff: 3, maxDelayMs: 100, wait: r.wait },
      ),
      /try 5/,
    );
    assert.deepEqual(r.pauses, [10, 30, 90, 100]);
  });

  it('does not retry an error that is not retryable', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new PinpipeError('INVALID_BODY');
        },
        { retries: 5, delayMs: 1 },
      ),
    );
    assert.equal(calls, 1);
  });

  it('starts again from the first pause after the operation reports progress, and tells onRetry each pause', async () => {
    const r = recorder();
    const seen: [string, number][] = [];
    let calls = 0;
    const out = await withRetry(
      async (attempt, progress) => {
        calls++;
        if (calls === 3) progress();
        if (calls < 5) throw new Error(`fail ${attempt}`);
        return 'done';
      },
      { retries: Infinity, delayMs: 5, backoff: 2, retryable: () => true, wait: r.wait, onRetry: (err, _n, ms) => seen.push([(err as Error).message, ms]) },
    );
    assert.equal(out, 'done');
    assert.deepEqual(r.pauses, [5, 10, 5, 10]);
    assert.deepEqual(
      seen.map(([m]) => m),
      ['fail 0', 'fail 1', 'fail 2', 'fail 3'],
    );
  });

  it('throws the failure, not an abort error, when the signal aborts during a pause', async () => {
    const abort = new AbortController();
    const p = withRetry(
      async () => {
        throw new Error('the real failure');
      },
      { retries: Infinity, delayMs: 60_000, retryable: () => true, signal: abort.signal },
    );
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(p, /the real failure/);
  });
});
