import { setTimeout as sleep } from 'node:timers/promises';
import { PinpipeError } from './errors.js';

export interface RetryOptions {
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
}

const defaultRetryable = (err: unknown): boolean => err instanceof PinpipeError && err.retryable;
const timerWait = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await sleep(ms, undefined, { signal });
};

/** Run `op`, retrying retryable failures. The one retry loop of the codebase. */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryable = opts.retryable ?? defaultRetryable;
  const wait = opts.wait ?? timerWait;
  let delay = opts.delayMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (attempt >= opts.retries || !retryable(err) || opts.signal?.aborted) throw err;
      await wait(Math.min(delay, opts.maxDelayMs ?? Infinity), opts.signal);
      delay *= opts.backoff ?? 1;
    }
  }
}
