import type { Sql } from '../core/duckdb.js';
import { isError, PinpipeError } from '../core/errors.js';
import type { ObjectStore } from '../lake/object-store.js';
import { readCheckpoint } from './checkpoint-reader.js';
import { readLastCheckpoint } from './last-checkpoint.js';
import { listLog, readCommit, type CheckpointFiles } from './log-files.js';
import { LogState, parseCommit } from './log-state.js';
import { assertReadable, Snapshot } from './snapshot.js';
import { tombstoneRetentionMs } from './table-config.js';

export interface LoadOptions {
  /** Time travel: the version to load; default the latest. */
  version?: number;
  /** A state already built (e.g. a cached snapshot) that replay may start from. */
  base?: LogState;
}

const READ_AHEAD = 32;

/**
 * Build a snapshot by log replay: list `_delta_log/`, start from the newest complete checkpoint
 * at or below the target version (falling back to older ones, then to version 0, when one cannot
 * be read), then apply the following commits, which must be contiguous.
 */
export async function loadSnapshot(store: ObjectStore, table: string, sql: () => Promise<Sql>, opts: LoadOptions = {}): Promise<Snapshot> {
  const listing = await listLog(store, table);
  const versions = [...listing.commits.keys(), ...listing.checkpoints.map((c) => c.version)];
  if (versions.length === 0) throw new PinpipeError('DELTA_TABLE_NOT_FOUND', `No Delta table at ${store.url}/${table}`);
  const latest = Math.max(...versions);
  const target = opts.version ?? latest;
  if (!Number.isSafeInteger(target) || target < 0 || target > latest) {
    throw new PinpipeError('DELTA_VERSION_NOT_FOUND', `Delta table ${table} has versions up to ${latest}; version ${target} does not exist`);
  }
  const commitsAfter = async (state: LogState): Promise<Snapshot> => {
    await replayCommits(store, table, state, target, listing.commits);
    assertReadable(state, table);
    return new Snapshot(table, state);
  };

  const candidates = await orderCheckpoints(
    store,
    table,
    listing.checkpoints.filter((c) => c.version <= target),
  );
  const base = opts.base;
  if (base && base.version <= target && base.version >= (candidates[0]?.version ?? -1)) return commitsAfter(new LogState(base));

  for (const cp of candidates) {
    let state: LogState;
    try {
      state = new LogState();
      for (const a of await readCheckpoint(await sql(), store, cp.keys)) state.apply(a);
      state.version = cp.version;
      state.checkpointVersion = cp.version;
    } catch (err) {
      if (isError(err, 'DELTA_LOG_INVALID')) continue; // unreadable checkpoint: try an older one
      throw err;
    }
    return commitsAfter(state);
  }
  if (!listing.commits.has(0)) {
    const first = Math.min(...listing.commits.keys());
    throw new PinpipeError('DELTA_LOG_GAP', `Delta table ${table}: no usable checkpoint and the log starts at version ${first}, not 0`);
  }
  return commitsAfter(new LogState());
}

/** Newest first; at equal versions the layout `_last_checkpoint` names comes first. */
async function orderCheckpoints(store: ObjectStore, table: string, cps: CheckpointFiles[]): Promise<CheckpointFiles[]> {
  if (cps.length === 0) return cps;
  const hint = await readLastCheckpoint(store, table);
  const rank = (c: CheckpointFiles): number => (hint && hint.version === c.version && (hint.parts ?? 1) === c.parts ? 0 : 1);
  return [...cps].sort((a, b) => b.version - a.version || rank(a) - rank(b));
}

/** Apply commits state.version+1 .. target, reading ahead in parallel. */
async function replayCommits(store: ObjectStore, table: string, state: LogState, target: number, commits: Map<number, string>): Promise<void> {
  for (let start = state.version + 1; start <= target; start += READ_AHEAD) {
    const batch: number[] = [];
    for (let v = start; v <= Math.min(target, start + READ_AHEAD - 1); v++) {
      if (!commits.has(v)) throw new PinpipeError('DELTA_LOG_GAP', `Delta table ${table}: commit ${v} is missing (log is not contiguous up to ${target})`);
      batch.push(v);
    }
    const texts = await Promise.all(batch.map((v) => store.get(commits.get(v)!)));
    batch.forEach((v, i) => state.applyCommit(v, parseCommit(texts[i].toString('utf8'), v)));
  }
}

/**
 * Bring `base` up to date by reading commits base.version+1, +2, … until one is absent: no
 * listing, so a refresh costs one read per new commit plus one probe.
 */
export async function refreshSnapshot(store: ObjectStore, base: Snapshot): Promise<Snapshot> {
  let state: LogState | undefined;
  for (let v = base.version + 1; ; v++) {
    const text = await readCommit(store, base.table, v);
    if (text === undefined) break;
    state ??= new LogState(base.state);
    state.applyCommit(v, parseCommit(text, v));
  }
  if (!state) return base;
  state.expireTombstones(Date.now() - tombstoneRetentionMs(state.metadata?.configuration ?? {}));
  assertReadable(state, base.table);
  return new Snapshot(base.table, state);
}
