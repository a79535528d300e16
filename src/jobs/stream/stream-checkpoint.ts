import { PinpipeError } from '../../core/errors.js';
import { parseCommit, readCommit, type DeltaTable } from '../../delta/index.js';
import type { Log, LogRecord } from '../../log/log.js';

/** The last record of a shard a micro-batch covered: its opaque log position. */
export interface Cursor {
  position: string;
}

/** Shard (partition) → the last record processed there. */
export type Cursors = Map<number, Cursor>;

/** The key under which a micro-batch's commitInfo holds what it covers. */
export const COMMIT_INFO_KEY = 'pinpipeStream';

/** What a stream job's commit records in its commitInfo (next to its `txn`). */
export interface BatchInfo {
  stream: string;
  /** The micro-batch id: the commit's `txn.version`. */
  batch: number;
  /** Shard → position of the last record covered (every shard read so far, not only this batch's). */
  positions: Record<string, string>;
  /** Records in this micro-batch, rows it added, rejects it added. */
  records: number;
  rows: number;
  rejects: number;
}

/** A table's checkpoint for one appId: the last micro-batch committed and the positions it covered. */
export interface StreamCheckpoint {
  batch: number;
  cursors: Cursors;
  /** The Delta version holding it and its commit time (epoch ms). */
  version: number;
  timestamp: number;
  info: BatchInfo;
}

/** Encode cursors for commitInfo. */
export function batchInfo(stream: string, batch: number, cursors: Cursors, counts: { records: number; rows: number; rejects: number }): BatchInfo {
  const positions: Record<string, string> = {};
  for (const [p, c] of [...cursors].sort((a, b) => a[0] - b[0])) positions[p] = c.position;
  return { stream, batch, positions, ...counts };
}

function cursorsOf(info: BatchInfo): Cursors {
  const out: Cursors = new Map();
  for (const [p, position] of Object.entries(info.positions ?? {})) out.set(Number(p), { position });
  return out;
}

const READ_BACK = 8;

/**
 * The checkpoint of `appId` in `table`: the snapshot's `txn` version names the last micro-batch;
 * its positions are in the commitInfo of the commit holding that txn, found by reading commits
 * back from the latest (usually the latest or one of the few before it: only compactions and
 * other streams' writes come in between). Undefined when the app never committed.
 */
export async function readCheckpoint(table: DeltaTable, appId: string): Promise<StreamCheckpoint | undefined> {
  const snap = await table.snapshot();
  const batch = snap.txnVersion(appId);
  if (batch === undefined) return undefined;
  for (let top = snap.version; top >= 0; top -= READ_BACK) {
    const versions = Array.from({ length: Math.min(READ_BACK, top + 1) }, (_, i) => top - i);
    const texts = await Promise.all(versions.map((v) => readCommit(table.store, table.table, v)));
    for (let i = 0; i < versions.length; i++) {
      const text = texts[i];
      if (!text) throw missing(table, appId, batch, `commit ${versions[i]} is gone (log cleaned up?)`);
      const actions = parseCommit(text, versions[i]);
      const txn = actions.find((a) => a.txn?.appId === appId)?.txn;
      if (!txn) continue;
      const commitInfo = actions.find((a) => a.commitInfo)?.commitInfo;
      const info = commitInfo?.[COMMIT_INFO_KEY] as BatchInfo | undefined;
      if (Number(txn.version) !== batch || !info || typeof info.positions !== 'object')
        throw missing(table, appId, batch, `commit ${versions[i]} has no ${COMMIT_INFO_KEY} positions for it`);
      return { batch, cursors: cursorsOf(info), version: versions[i], timestamp: Number(commitInfo?.timestamp ?? 0), info };
    }
  }
  throw missing(table, appId, batch, 'no commit holds its txn');
}

function missing(table: DeltaTable, appId: string, batch: number, why: string): PinpipeError {
  return new PinpipeError('STREAM_CHECKPOINT_MISSING', `Delta table ${table.table} records micro-batch ${batch} of ${appId}, but ${why}.`);
}

/**
 * The rejects of a batch (by source) that the rejects table already holds: only possible after a
 * crash between a batch's rejects commit and its rows commit, when the replay covers records up to
 * the rejects table's positions `rejectsUpTo` (beyond what was `processed`).
 */
export function alreadyCommitted(
  log: Log,
  rejectsUpTo: Cursors,
  processed: Cursors,
  records: readonly LogRecord[],
  sources: readonly string[],
  rejectSources: readonly string[],
): string[] {
  if (rejectSources.length === 0) return [];
  const ahead = [...rejectsUpTo].some(([p, c]) => {
    const done = processed.get(p);
    return !done || log.comparePositions(c.position, done.position) > 0;
  });
  if (!ahead) return [];
  const bySource = new Map(sources.map((s, i) => [s, records[i]]));
  return rejectSources.filter((s) => {
    const r = bySource.get(s)!;
    const upTo = rejectsUpTo.get(r.partition);
    return upTo !== undefined && log.comparePositions(r.position, upTo.position) <= 0;
  });
}
