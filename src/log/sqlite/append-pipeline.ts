import type { Logger } from '../../core/logger.js';
import { PinpipeError } from '../../core/errors.js';
import type { BatchBuilder, PendingAppend } from './batch-builder.js';
import { withRetry } from '../../core/retry.js';
import { GroupCommit } from './group-commit.js';
import { logMetrics } from './log-metrics.js';
import { storeError } from './store-error.js';
import { WriterError, type WriterClient } from './writer-client.js';

/**
 * The append path: callers' appends are queued, grouped, turned into rows on this thread and written
 * by the writer thread in one transaction (one fsync); then every caller gets its results, or
 * STORE_UNAVAILABLE for all of the batch if the write failed (nothing of it is kept).
 */
export class AppendPipeline {
  /** Counts of this pipeline (the Prometheus metrics are process-wide). */
  readonly stats = { groupCommits: 0, appendedRecords: 0 };
  private readonly commits: GroupCommit<PendingAppend>;

  constructor(
    private readonly builder: BatchBuilder,
    private readonly writer: WriterClient,
    groupCommitDelayMs: number,
    private readonly logger: Logger,
  ) {
    this.commits = new GroupCommit(groupCommitDelayMs, (batch) => this.flush(batch));
  }

  /** Queue one caller's append for the next group commit. */
  add(pending: PendingAppend): void {
    this.commits.add(pending);
  }

  /** Resolve once every queued append has been written (or failed). */
  drain(): Promise<void> {
    return this.commits.drain();
  }

  /** One group commit: every queued append written in one transaction by the writer thread, then every caller answered. */
  private async flush(batch: PendingAppend[]): Promise<void> {
    let written: number;
    try {
      written = await this.write(batch);
    } catch (err) {
      this.builder.abort();
      const error = storeError('append', err);
      logMetrics.errors.inc({ code: error.kind });
      this.logger.warn({ err, appends: batch.length }, 'group commit failed; every append of the batch is rejected');
      for (const p of batch) p.reject(error);
      return;
    }
    this.builder.commit();
    if (written > 0) {
      this.stats.groupCommits++;
      this.stats.appendedRecords += written;
      logMetrics.groupCommits.inc();
      logMetrics.groupCommitRecords.observe(written);
    }
    for (const p of batch) {
      const outcome = p.outcome;
      if (outcome instanceof PinpipeError) p.reject(outcome);
      else p.resolve(outcome ?? []);
    }
  }

  /** Build the rows and have the writer thread commit them; returns how many were written. */
  private async write(batch: PendingAppend[]): Promise<number> {
    const attempt = async (): Promise<number> => {
      const cols = this.builder.build(batch, Date.now());
      if (!cols) return 0; // no valid record: nothing to write
      return this.writer.call<number>({ op: 'append', cols }, [
        cols.tp.buffer,
        cols.off.buffer,
        cols.ts.buffer,
        cols.bytes.buffer,
        cols.byteStart.buffer,
        cols.byteEnd.buffer,
      ] as ArrayBuffer[]);
    };
    // Another process appended to a partition since we read its end: re-read the ends and go again, once.
    return withRetry(attempt, { retries: 1, delayMs: 0, retryable: isOffsetClash, onRetry: () => this.builder.abort() });
  }
}

/** The write clashed with rows another process added (a partition end read before its append). */
function isOffsetClash(err: unknown): boolean {
  return err instanceof WriterError && err.code.startsWith('SQLITE_CONSTRAINT');
}
