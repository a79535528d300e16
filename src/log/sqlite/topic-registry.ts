import type { TopicInfo } from '../log.js';
import { logMetrics } from './log-metrics.js';
import type { Statements, TopicRow } from './statements.js';
import { Wakeup } from './wakeup.js';

/** One partition in memory: its next offset (so appends never query), readers' wake-up, end gauge. */
export interface PartState {
  readonly tp: number;
  readonly partition: number;
  /** Next offset to assign, as committed. */
  next: number;
  /** Next offset inside the batch being written; -1 when that batch has not touched this partition. */
  pending: number;
  /** The writer generation `next` was read in; a stale one is re-read (another process appended). */
  gen: number;
  readonly wakeup: Wakeup;
  readonly endGauge: { set(value: number): void };
}

/** One topic in memory. */
export interface TopicState {
  readonly id: number;
  readonly info: TopicInfo;
  readonly parts: PartState[];
  /** Partition of keyless records in the current group commit (sticky round-robin). */
  sticky: number;
  /** The batch being written sent keyless records to `sticky`. */
  stickyUsed: boolean;
  deleted: boolean;
  /** Records of this topic in the batch being written. */
  batchCount: number;
  readonly appendedCounter: { inc(value: number): void };
}

/** Topics and partitions: cached in memory, loaded from the database on a miss (another process may create them). */
export class TopicRegistry {
  private readonly byName = new Map<string, TopicState>();

  constructor(
    private readonly stmts: Statements,
    private readonly gen: () => number,
  ) {
    for (const row of stmts.selectTopics.all()) this.byName.set(row.name, this.load(row));
  }

  /** The topic, from memory or (first sight) from the database; undefined if there is none. */
  get(name: string): TopicState | undefined {
    const cached = this.byName.get(name);
    if (cached) return cached;
    const row = this.stmts.selectTopic.get(name);
    return row ? this.adopt(row) : undefined;
  }

  /** The topic as the database has it now, reconciling the cache (another process may have deleted or re-created it). */
  fresh(name: string): TopicState | undefined {
    const row = this.stmts.selectTopic.get(name);
    const cached = this.byName.get(name);
    if (cached && cached.id === row?.id) return cached;
    if (cached) this.forget(cached);
    return row ? this.adopt(row) : undefined;
  }

  /** Every topic in the database, by name. */
  list(): TopicState[] {
    const rows = this.stmts.selectTopics.all();
    const seen = new Set(rows.map((r) => r.name));
    for (const t of [...this.byName.values()]) if (!seen.has(t.info.name)) this.forget(t);
    return rows.map((r) => this.fresh(r.name)).filter((t): t is TopicState => t !== undefined);
  }

  /** All topics held in memory. */
  cached(): IterableIterator<TopicState> {
    return this.byName.values();
  }

  /** Take a topic the writer just created into the cache (replacing any stale entry of that name). */
  adopt(row: TopicRow): TopicState {
    const stale = this.byName.get(row.name);
    if (stale && stale.id === row.id) return stale;
    if (stale) this.forget(stale);
    const t = this.load(row);
    this.byName.set(row.name, t);
    return t;
  }

  /** Drop a deleted topic: readers of it wake up and end, its gauges go. */
  forget(t: TopicState): void {
    t.deleted = true;
    if (this.byName.get(t.info.name) === t) this.byName.delete(t.info.name);
    for (const part of t.parts) {
      logMetrics.endOffset.remove(t.info.name, String(part.partition));
      part.wakeup.notify();
    }
  }

  private load(row: TopicRow): TopicState {
    const gen = this.gen();
    const parts = this.stmts.selectPartitions.all(row.id).map(({ tp, partition, start_off }): PartState => {
      const next = Math.max(start_off, (this.stmts.lastOffset.get(tp) ?? -1) + 1);
      const endGauge = logMetrics.endOffset.labels(row.name, String(partition));
      endGauge.set(next);
      return { tp, partition, next, pending: -1, gen, wakeup: new Wakeup(), endGauge };
    });
    return {
      id: row.id,
      info: Object.freeze({ name: row.name, partitions: row.partitions, createdAt: row.created_at }),
      parts,
      sticky: Math.floor(Math.random() * row.partitions),
      stickyUsed: false,
      deleted: false,
      batchCount: 0,
      appendedCounter: logMetrics.appended.labels(row.name),
    };
  }
}
