import { setTimeout as sleep } from 'node:timers/promises';

/** Where the scheduler reads the time and waits: the system clock, or a test's clock it moves by hand. */
export interface Clock {
  /** Now, in epoch milliseconds. */
  now(): number;
  /** Resolve after `ms` (or at once when `signal` aborts; never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: Date.now and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    await sleep(Math.max(0, ms), undefined, { signal }).catch(() => undefined);
  },
};
