import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { PinpipeError } from '../../core/errors.js';
import { withRetry } from '../../core/retry.js';
import type { AppendResult } from '../log.js';
import { kinesisError } from './kinesis-errors.js';
import type { ShardSlot } from './shards.js';

const MAX_PUT_ENTRIES = 500;
const MAX_PUT_BYTES = 5 * 1024 * 1024;

/** One record ready for PutRecords, and where its result goes in its append's results. */
export interface Entry {
  slot: number;
  partition: number;
  entry: PutRecordsRequestEntry;
  bytes: number;
}

interface WaitingAppend {
  entries: Entry[];
  /** Entries before this one are sent (or failed). */
  next: number;
  results: AppendResult[];
  failed: boolean;
  resolve(results: AppendResult[]): void;
  reject(err: unknown): void;
}

/**
 * The appends of one stream on their way to Kinesis: one PutRecords in flight, each carrying the
 * entries of every append waiting (up to 500 entries, 5 MiB). Records of one stream reach Kinesis
 * in append order, and moto — whose shards number records with an unlocked counter — never sees
 * two puts to one shard at once.
 */
export class PutQueue {
  private readonly waiting: WaitingAppend[] = [];
  private draining = false;

  constructor(
    private readonly client: KinesisClient,
    private readonly stream: string,
    private readonly retries: number,
  ) {}

  /** Send `entries` (results go to their `slot` of `results`); resolves with `results` once all are settled. */
  add(entries: Entry[], results: AppendResult[], slots: ShardSlot[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entries, next: 0, results, resolve, reject, failed: false });
      if (!this.draining) void this.drain(slots);
    });
  }

  private async drain(slots: ShardSlot[]): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const chunk: (Entry & { owner: WaitingAppend })[] = [];
        let bytes = 0;
        for (const w of this.waiting) {
          while (w.next < w.entries.length && chunk.length < MAX_PUT_ENTRIES) {
            const e = w.entries[w.next];
            if (chunk.length > 0 && bytes + e.bytes > MAX_PUT_BYTES) break;
            chunk.push({ ...e, owner: w });
            bytes += e.bytes;
            w.next++;
          }
          if (w.next < w.entries.length) break;
        }
        const owners = new Set(chunk.map((e) => e.owner));
        try {
          await this.put(chunk, slots, (e, result) => (e.owner.results[e.slot] = result));
        } catch (err) {
          for (const w of owners) {
            w.failed = true;
            w.next = w.entries.length;
            w.reject(err);
          }
        }
        while (this.waiting.length > 0 && this.waiting[0].next >= this.waiting[0].entries.length) {
          const done = this.waiting.shift()!;
          if (!done.failed) done.resolve(done.results);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** PutRecords of one chunk, retrying (through withRetry) only the entries Kinesis failed; what still fails gets a per-record error. */
  private async put<E extends Entry>(chunk: E[], slots: ShardSlot[], settle: (entry: E, result: AppendResult) => void): Promise<void> {
    let pending = chunk;
    let lastError = '';
    try {
      await withRetry(
        async () => {
          let res;
          try {
            res = await this.client.send(new PutRecordsCommand({ StreamName: this.stream, Records: pending.map((p) => p.entry) }));
          } catch (err) {
            throw kinesisError(`put records to ${this.stream}`, err);
          }
          const failed: typeof pending = [];
          (res.Records ?? []).forEach((r, i) => {
            const p = pending[i];
            if (r.ErrorCode || !r.SequenceNumber) {
              failed.push(p);
              lastError = `${r.ErrorCode}: ${r.ErrorMessage}`;
            } else settle(p, { partition: shardPartition(slots, r.ShardId, p.partition), position: r.SequenceNumber });
          });
          pending = failed;
          if (failed.length > 0)
            throw new PinpipeError('LOG_UNAVAILABLE', `Kinesis failed ${failed.length} records of a PutRecords to ${this.stream} (${lastError}).`);
        },
        { retries: this.retries, delayMs: 100, backoff: 2, maxDelayMs: 2000 },
      );
    } catch (err) {
      if (!(err instanceof PinpipeError) || !err.retryable) throw err;
      for (const p of pending) settle(p, { error: err });
    }
  }
}

function shardPartition(slots: ShardSlot[], shardId: string | undefined, fallback: number): number {
  const i = slots.findIndex((s) => s.shardId === shardId);
  return i < 0 ? fallback : i;
}
