import { PinpipeError } from '../core/errors.js';
import { decodePath, type Action, type AddFile, type Metadata, type Protocol, type RemoveFile, type Txn } from './actions.js';

/**
 * The table state that log replay builds (PROTOCOL.md "Action Reconciliation"): the latest
 * protocol and metaData, live files keyed by decoded path, tombstones, and the latest `txn`
 * version per appId. Later actions win.
 */
export class LogState {
  version = -1;
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
  readonly files: Map<string, AddFile>;
  readonly tombstones: Map<string, RemoveFile>;
  readonly txns: Map<string, Txn>;
  /** Timestamp of the newest commitInfo seen (ms), for history and vacuum. */
  lastCommitTimestamp: number | undefined;
  /** The checkpoint replay started from, if any (diagnostics). */
  checkpointVersion: number | undefined;

  constructor(from?: LogState) {
    this.files = new Map(from?.files);
    this.tombstones = new Map(from?.tombstones);
    this.txns = new Map(from?.txns);
    if (from) {
      this.version = from.version;
      this.protocol = from.protocol;
      this.metadata = from.metadata;
      this.lastCommitTimestamp = from.lastCommitTimestamp;
      this.checkpointVersion = from.checkpointVersion;
    }
  }

  /** Apply one action (from a commit or a checkpoint). */
  apply(action: Action): void {
    if (action.add) {
      const key = decodePath(action.add.path);
      this.files.set(key, action.add);
      this.tombstones.delete(key);
    } else if (action.remove) {
      const key = decodePath(action.remove.path);
      this.files.delete(key);
      this.tombstones.set(key, action.remove);
    } else if (action.metaData) {
      this.metadata = action.metaData;
    } else if (action.protocol) {
      this.protocol = action.protocol;
    } else if (action.txn) {
      this.txns.set(action.txn.appId, action.txn);
    } else if (action.commitInfo && typeof action.commitInfo.timestamp === 'number') {
      this.lastCommitTimestamp = action.commitInfo.timestamp;
    }
  }

  /** Forget tombstones deleted at or before `horizonMs` (what a checkpoint leaves out), so a long-lived state stays bounded. */
  expireTombstones(horizonMs: number): void {
    for (const [key, r] of this.tombstones) if ((r.deletionTimestamp ?? 0) <= horizonMs) this.tombstones.delete(key);
  }

  /** Apply every action of commit `version`; it must directly follow the current version. */
  applyCommit(version: number, actions: readonly Action[]): void {
    if (version !== this.version + 1) {
      throw new PinpipeError('DELTA_LOG_GAP', `Delta log is not contiguous: version ${version} follows ${this.version}`);
    }
    for (const a of actions) this.apply(a);
    this.version = version;
  }
}

/** Parse a commit file (newline-delimited JSON actions). */
export function parseCommit(text: string, version: number): Action[] {
  const actions: Action[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    try {
      const a = JSON.parse(trimmed) as Action;
      if (a && typeof a === 'object') actions.push(a);
    } catch (err) {
      throw new PinpipeError('DELTA_LOG_INVALID', `Commit ${version} has a line that is not JSON: ${(err as Error).message}`);
    }
  }
  return actions;
}
