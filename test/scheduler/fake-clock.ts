import type { Clock } from '../../src/scheduler/index.js';

interface Sleeper {
  at: number;
  ms: number;
  resolve: () => void;
}

/** A clock the test moves: sleeps resolve only when `advance` passes their deadline. Records every sleep asked for. */
export class FakeClock implements Clock {
  private sleepers: Sleeper[] = [];
  /** Every sleep duration asked for, in order. */
  readonly asked: number[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    this.asked.push(ms);
    return new Promise((resolve) => {
      const s: Sleeper = { at: this.t + Math.max(0, ms), ms, resolve };
      this.sleepers.push(s);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((x) => x !== s);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Let pending callbacks and I/O run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
  }

  /** Move time forward by `ms`, waking each sleeper at its deadline in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await this.settle();
      const next = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.t = target;
    await this.settle();
  }

  /** Advance to each next deadline until `done()` holds (at most `limitMs` of clock time). */
  async until(done: () => boolean, limitMs = 7 * 24 * 3600_000): Promise<void> {
    const end = this.t + limitMs;
    await this.settle();
    while (!done()) {
      const next = Math.min(...this.sleepers.map((s) => s.at));
      if (!Number.isFinite(next) || next > end) throw new Error(`condition not reached by ${new Date(end).toISOString()}`);
      await this.advance(next - this.t);
    }
  }
}
