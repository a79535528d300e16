import type { ObjectStore } from '../lake/object-store.js';
import { decodePath } from './actions.js';
import type { Snapshot } from './snapshot.js';

export interface VacuumOptions {
  /** Keep unreferenced files younger than this (default 7 days, Delta's default). */
  retentionMs?: number;
  /** List what would be deleted without deleting. */
  dryRun?: boolean;
  /** Current time, for tests. */
  now?: number;
}

export interface VacuumResult {
  /** Keys deleted (or that would be, in a dry run). */
  deleted: string[];
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** True for paths vacuum never touches: `_delta_log`, hidden files and `_` directories that are not partitions. */
function isHidden(relPath: string): boolean {
  const parts = relPath.split('/');
  return parts.some((p, i) => p.startsWith('.') || (p.startsWith('_') && (i === parts.length - 1 || !p.includes('='))));
}

/**
 * Delete files in the table directory that `snapshot` does not reference and that are older
 * than the retention: removed files, and orphans of writes that never committed.
 */
export async function vacuum(store: ObjectStore, snapshot: Snapshot, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const horizon = (opts.now ?? Date.now()) - (opts.retentionMs ?? WEEK_MS);
  const live = new Set(snapshot.files.map((f) => decodePath(f.path)));
  const prefix = `${snapshot.table}/`;
  const deleted: string[] = [];
  for (const obj of await store.list(prefix)) {
    const rel = obj.key.slice(prefix.length);
    if (isHidden(rel) || live.has(rel) || obj.modifiedAt >= horizon) continue;
    deleted.push(obj.key);
  }
  if (!opts.dryRun) for (const key of deleted) await store.delete(key);
  return { deleted };
}
