/** Readers waiting at the end of a partition: woken by a commit, a poll timer or an abort. */
export class Wakeup {
  private readonly waiters = new Set<() => void>();

  /** Resolve at the next `notify()`, after `ms`, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Wake every waiter (new records were committed, or the log is closing). */
  notify(): void {
    if (this.waiters.size === 0) return;
    for (const done of [...this.waiters]) done();
  }
}
