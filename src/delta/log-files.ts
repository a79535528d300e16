import { isError } from '../core/errors.js';
import type { ObjectStore } from '../lake/object-store.js';

/** Where a table's log lives and how its files are named. */
export const LOG_DIR = '_delta_log';

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

/** A complete checkpoint found by listing: every part is present. */
export interface CheckpointFiles {
  version: number;
  parts: number;
  keys: string[];
}

export interface LogListing {
  /** Commit version → object key. */
  commits: Map<number, string>;
  /** Complete checkpoints, newest first. */
  checkpoints: CheckpointFiles[];
  /** Commit version → its object's modification time (epoch ms). */
  commitTimes: Map<number, number>;
  /** Every object of the log folder named after a version (commits, checkpoint parts, checksums), with its version. */
  versioned: { key: string; version: number }[];
}

/** `tables/pin` → `tables/pin/_delta_log/`. */
export function logPrefix(table: string): string {
  return `${table}/${LOG_DIR}/`;
}

/** Key of the commit file for `version`. */
export function commitKey(table: string, version: number): string {
  return `${logPrefix(table)}${String(version).padStart(20, '0')}.json`;
}

/** Key of the classic single-part checkpoint for `version`. */
/** The text of commit `version` of a table, or undefined when the commit file is not there. */
export async function readCommit(store: ObjectStore, table: string, version: number): Promise<string | undefined> {
  try {
    return (await store.get(commitKey(table, version))).toString('utf8');
  } catch (err) {
    if (isError(err, 'OBJECT_NOT_FOUND')) return undefined;
    throw err;
  }
}

export function checkpointKey(table: string, version: number): string {
  return `${logPrefix(table)}${String(version).padStart(20, '0')}.checkpoint.parquet`;
}

/** Key of `_last_checkpoint`. */
export function lastCheckpointKey(table: string): string {
  return `${logPrefix(table)}_last_checkpoint`;
}

/** List the log: commits and complete checkpoints. Other files (`.crc`, temp files, `_last_checkpoint`) are ignored. */
export async function listLog(store: ObjectStore, table: string): Promise<LogListing> {
  const prefix = logPrefix(table);
  const commits = new Map<number, string>();
  const commitTimes = new Map<number, number>();
  const versioned: { key: string; version: number }[] = [];
  const single = new Map<number, string>();
  const multi = new Map<string, { version: number; parts: number; keys: Map<number, string> }>();
  for (const obj of await store.list(prefix)) {
    const name = obj.key.slice(prefix.length);
    if (name.includes('/')) continue;
    if (/^\d{20}\./.test(name)) versioned.push({ key: obj.key, version: Number(name.slice(0, 20)) });
    let m = COMMIT.exec(name);
    if (m) {
      commits.set(Number(m[1]), obj.key);
      commitTimes.set(Number(m[1]), obj.modifiedAt);
      continue;
    }
    m = CHECKPOINT.exec(name);
    if (m) {
      single.set(Number(m[1]), obj.key);
      continue;
    }
    m = MULTIPART.exec(name);
    if (m) {
      const version = Number(m[1]);
      const part = Number(m[2]);
      const parts = Number(m[3]);
      if (part < 1 || part > parts) continue;
      const id = `${version}/${parts}`;
      const entry = multi.get(id) ?? { version, parts, keys: new Map<number, string>() };
      entry.keys.set(part, obj.key);
      multi.set(id, entry);
    }
  }
  const checkpoints: CheckpointFiles[] = [...single].map(([version, key]) => ({ version, parts: 1, keys: [key] }));
  for (const e of multi.values()) {
    if (e.keys.size !== e.parts) continue; // incomplete: a writer is still at it, or it failed
    checkpoints.push({ version: e.version, parts: e.parts, keys: [...e.keys.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => k) });
  }
  checkpoints.sort((a, b) => b.version - a.version || a.parts - b.parts);
  return { commits, checkpoints, commitTimes, versioned };
}
