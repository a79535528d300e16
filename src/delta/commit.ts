import { isError, PinpipeError } from '../core/errors.js';
import type { ObjectStore } from '../lake/object-store.js';
import { compact, decodePath, type Action, type AddFile, type CommitInfo, type RemoveFile } from './actions.js';
import { assertWritableProtocol } from './features.js';
import { commitKey, readCommit } from './log-files.js';
import { LogState, parseCommit } from './log-state.js';
import type { DeltaType } from './schema.js';
import { Snapshot } from './snapshot.js';
import { tombstoneRetentionMs } from './table-config.js';

/** What one commit wants to do; re-planned against each newer snapshot when it loses a race. */
export interface CommitPlan {
  operation: string;
  operationParameters?: Record<string, string>;
  /** Files to add. */
  adds: AddFile[];
  /** Files to remove; they must still be live, and a concurrent remove of one is a conflict. */
  removes?: AddFile[];
  /** Overwrite: remove every file live at commit time (re-computed on retry), never a conflict. */
  removeAllLive?: boolean;
  /** Other actions (protocol, metaData). A concurrent metaData/protocol change is a conflict. */
  actions?: Action[];
  /** Idempotent writers: skip the commit when the table already has `version` (or later) for `appId`. */
  txn?: { appId: string; version: number };
  isBlindAppend?: boolean;
  /** False when the commit only rearranges data (optimize); applies to its removes. Default true. */
  dataChange?: boolean;
  /** Extra commitInfo fields (e.g. the stream positions a micro-batch covers); the standard fields win a name clash. */
  commitInfo?: Record<string, unknown>;
}

export interface CommitResult {
  /** The version that holds the data: the new commit, or the current one when `committed` is false. */
  version: number;
  /** False when the txn version was already committed (nothing written to the log). */
  committed: boolean;
  snapshot: Snapshot;
  /** Put attempts made (1 when the first try won; more after lost races). */
  attempts: number;
}

/** The remove action for a live file. */
export function removeOf(file: AddFile, dataChange: boolean, now: number): RemoveFile {
  return { path: file.path, deletionTimestamp: now, dataChange, extendedFileMetadata: true, partitionValues: file.partitionValues, size: file.size };
}

function hasInvariants(type: DeltaType): boolean {
  if (typeof type === 'string') return false;
  if (type.type === 'array') return hasInvariants(type.elementType);
  if (type.type === 'map') return hasInvariants(type.keyType) || hasInvariants(type.valueType);
  return type.fields.some((f) => 'delta.invariants' in (f.metadata ?? {}) || hasInvariants(f.type));
}

/** Throw unless this writer (protocol 2) may write the table; column invariants (writer 2) are not enforced, so such tables are refused. */
export function assertWritable(snapshot: Snapshot): void {
  assertWritableProtocol(snapshot.table, snapshot.protocol);
  if (snapshot.schema && hasInvariants(snapshot.schema))
    throw new PinpipeError('DELTA_PROTOCOL_UNSUPPORTED', `Delta table ${snapshot.table} has column invariants, which this writer does not enforce`);
}

function conflicts(plan: CommitPlan, winners: Action[][], version: number): void {
  const mine = new Set((plan.removes ?? []).map((f) => decodePath(f.path)));
  for (const actions of winners) {
    for (const a of actions) {
      if (a.metaData || a.protocol)
        throw new PinpipeError('DELTA_CONFLICT', `A concurrent commit changed the table's ${a.metaData ? 'metadata' : 'protocol'} before version ${version}`);
      if (a.remove && mine.has(decodePath(a.remove.path)))
        throw new PinpipeError('DELTA_CONFLICT', `A concurrent commit removed ${a.remove.path}, which this commit also removes`);
    }
  }
}

/**
 * Commit a plan at the next version with put-if-absent; when another writer got there first,
 * read its commits, check for logical conflicts, and retry at the following version.
 */
export async function commit(store: ObjectStore, base: Snapshot, plan: CommitPlan, maxRetries: number): Promise<CommitResult> {
  let snap = base;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    if (plan.txn && (snap.txnVersion(plan.txn.appId) ?? -1) >= plan.txn.version)
      return { version: snap.version, committed: false, snapshot: snap, attempts: attempt };
    assertWritable(snap);
    const version = snap.version + 1;
    const now = Date.now();
    const removes = (plan.removeAllLive ? snap.files : (plan.removes ?? [])).map((f) => removeOf(f, plan.dataChange ?? true, now));
    for (const r of plan.removeAllLive ? [] : removes) {
      if (!snap.state.files.has(decodePath(r.path))) throw new PinpipeError('DELTA_CONFLICT', `File ${r.path} is no longer part of the table`);
    }
    const info: CommitInfo = {
      timestamp: now,
      operation: plan.operation,
      operationParameters: plan.operationParameters ?? {},
      readVersion: base.version >= 0 ? base.version : undefined,
      isBlindAppend: plan.isBlindAppend ?? false,
      engineInfo: 'pinpipe-delta',
    };
    for (const [k, v] of Object.entries(plan.commitInfo ?? {})) if (!(k in info)) info[k] = v;
    const actions: Action[] = [
      { commitInfo: info },
      ...(plan.actions ?? []),
      ...(plan.txn ? [{ txn: { appId: plan.txn.appId, version: plan.txn.version, lastUpdated: now } }] : []),
      ...removes.map((r) => ({ remove: compact(r) })),
      ...plan.adds.map((a) => ({ add: compact(a) })),
    ];
    const text = `${actions.map((a) => JSON.stringify(a)).join('\n')}\n`;
    try {
      await store.put(commitKey(base.table, version), text, { ifAbsent: true });
    } catch (err) {
      if (!isError(err, 'OBJECT_EXISTS')) throw err;
      const { snapshot, winners } = await readNewCommits(store, snap);
      conflicts(plan, winners, version);
      snap = snapshot;
      continue;
    }
    const state = new LogState(snap.state);
    state.applyCommit(version, actions);
    state.expireTombstones(now - tombstoneRetentionMs(state.metadata?.configuration ?? {}));
    return { version, committed: true, snapshot: new Snapshot(base.table, state), attempts: attempt + 1 };
  }
  throw new PinpipeError('DELTA_COMMIT_RETRIES', `Gave up committing to ${base.table} after ${maxRetries + 1} attempts`);
}

/** Read the commits after `snap` (there is at least one) and the snapshot they lead to. */
async function readNewCommits(store: ObjectStore, snap: Snapshot): Promise<{ snapshot: Snapshot; winners: Action[][] }> {
  const state = new LogState(snap.state);
  const winners: Action[][] = [];
  for (let v = snap.version + 1; ; v++) {
    const text = await readCommit(store, snap.table, v);
    if (text === undefined) {
      if (v > snap.version + 1) break;
      throw new PinpipeError('OBJECT_NOT_FOUND', `Object ${commitKey(snap.table, v)} not found`);
    }
    const actions = parseCommit(text, v);
    state.applyCommit(v, actions);
    winners.push(actions);
  }
  return { snapshot: new Snapshot(snap.table, state), winners };
}
