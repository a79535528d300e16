import type { ObjectStore } from '../lake/object-store.js';
import { listLog } from './log-files.js';

export interface CleanupLogOptions {
  /** Log files younger than this stay (the time-travel horizon). */
  retentionMs: number;
  /** Never delete versions at or above this one (e.g. a commit an application still reads). */
  keepFrom?: number;
  /** Current time, for tests. */
  now?: number;
}

/**
 * Delta's metadata cleanup (PROTOCOL.md "Metadata Cleanup"): find the newest commit older than
 * the retention, then the newest complete checkpoint at or below it (and below `keepFrom`), and
 * delete the log files of every earlier version. Readers start from the newest checkpoint, so
 * they never need them; only time travel to those versions ends. Returns the keys deleted.
 */
export async function cleanupLog(store: ObjectStore, table: string, opts: CleanupLogOptions): Promise<string[]> {
  const horizon = (opts.now ?? Date.now()) - opts.retentionMs;
  const listing = await listLog(store, table);
  let cutoff = -1;
  for (const [v, t] of listing.commitTimes) if (t <= horizon && v > cutoff) cutoff = v;
  const limit = Math.min(cutoff, opts.keepFrom ?? Infinity);
  const keep = listing.checkpoints.find((c) => c.version <= limit)?.version; // newest first
  if (keep === undefined) return [];
  const doomed = listing.versioned.filter((o) => o.version < keep).map((o) => o.key);
  for (const key of doomed) await store.delete(key);
  return doomed;
}
