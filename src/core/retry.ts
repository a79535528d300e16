import { setTimeout as sleep } from 'node:timers/promises';
import { PinpipeError } from './errors.js';

export interface RetryOptions {
  /** Attempts after the first (Infinity: until success, a failure not worth retrying, or `signal`). */
  retries: number;
  delayMs: number;
  /** Multiply the delay by this after each failed attempt (1 = constant). */
  backoff?: number;
  /** Never wait longer than this between attempts (default: no cap). */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Decide whether an error is worth another attempt; default: coded errors that say so. */
  retryable?: (err: unknown) => boolean;
  /** How to wait between attempts (default: a real timer); a scheduler passes its clock's sleep. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each wait with the failure and the pause ahead (log and count it here). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

const defaultRetryable = (err: unknown): boolean => err instanceof PinpipeError && err.retryable;
const timerWait = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await sleep(ms, undefined, { signal });
};

/**
 * Run `op`, retrying retryable failures. The one retry loop of the codebase. A long-running `op`
 * calls `progress()` when it has done useful work, so its next failure waits the first delay
 * again. When `signal` aborts during a wait, the failure that led to it is thrown.
 * Example: `await withRetry(() => commit(), { retries: 3, delayMs: 100, backoff: 2 })`.
 */
export async function withRetry<T>(op: (attempt: number, progress: () => void) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryable = opts.retryable ?? defaultRetryable;
  const wait = opts.wait ?? timerWait;
  let delay = opts.delayMs;
  const progress = (): void => {
    delay = opts.delayMs;
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await op(attempt, progress);
    } catch (err) {
      if (attempt >= opts.retries || !retryable(err) || opts.signal?.aborted) throw err;
      const pause = Math.min(delay, opts.maxDelayMs ?? Infinity);
      opts.onRetry?.(err, attempt, pause);
      try {
        await wait(pause, opts.signal);
      } catch {
        throw err; // aborted while waiting
      }
      delay *= opts.backoff ?? 1;
    }
  }
}
