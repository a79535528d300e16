import type { ObjectStore } from '../lake/object-store.js';
import { readCommit } from './log-files.js';
import { parseCommit } from './log-state.js';
import type { Snapshot } from './snapshot.js';

/** One version of a table as its commitInfo describes it (what Spark's DESCRIBE HISTORY and delta-rs' history() show). */
export interface HistoryEntry {
  readonly version: number;
  /** commitInfo.timestamp, epoch ms (undefined when the commit has no commitInfo). */
  readonly timestamp?: number;
  readonly operation?: string;
  readonly operationParameters: Record<string, string>;
  /** The writer, e.g. `pinpipe-delta` or `Apache-Spark/4.1.1 Delta-Lake/4.4.0`. */
  readonly engineInfo?: string;
}

/**
 * The table's versions from the snapshot's down to the oldest commit file still in the log, newest
 * first, each with its commitInfo (commits removed by log cleanup are not listed).
 * @example (await readHistory(store, await table.snapshot())).map((h) => h.operation)
 */
export async function readHistory(store: ObjectStore, snapshot: Snapshot): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for (let v = snapshot.version; v >= 0; v--) {
    const text = await readCommit(store, snapshot.table, v);
    if (text === undefined) break;
    const info = parseCommit(text, v).find((a) => a.commitInfo)?.commitInfo;
    out.push({
      version: v,
      timestamp: info?.timestamp,
      operation: info?.operation,
      operationParameters: info?.operationParameters ?? {},
      engineInfo: typeof info?.engineInfo === 'string' ? info.engineInfo : undefined,
    });
  }
  return out;
}
