/**
 * Collects work from many callers and hands it to `flush` as one batch, one batch in flight at a
 * time: the first item waits for the next turn of the event loop (setImmediate) or `delayMs`;
 * whatever queues up while a batch is being written goes out as the next batch the moment it is done.
 */
export class GroupCommit<T> {
  private queue: T[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timeout: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly delayMs: number,
    /** Writes one batch; must answer its callers itself and never reject. */
    private readonly flush: (batch: T[]) => Promise<void>,
  ) {}

  /** Queue one item; a flush is scheduled if none is pending. */
  add(item: T): void {
    this.queue.push(item);
    if (this.inFlight || this.immediate || this.timeout) return;
    if (this.delayMs > 0) this.timeout = setTimeout(this.run, this.delayMs);
    else this.immediate = setImmediate(this.run);
  }

  /** Resolve once everything queued so far has been flushed (used on close). */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      if (!this.inFlight) this.run();
      await this.inFlight;
    }
  }

  private readonly run = (): void => {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timeout) clearTimeout(this.timeout);
    this.immediate = this.timeout = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = this.flush(batch)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
        this.run();
      });
  };
}
