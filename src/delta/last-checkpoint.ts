import type { ObjectStore } from '../lake/object-store.js';
import { lastCheckpointKey } from './log-files.js';

/** The `_last_checkpoint` hint: which checkpoint is newest. */
export interface LastCheckpoint {
  version: number;
  /** Number of actions in the checkpoint. */
  size: number;
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
}

/** Read `_last_checkpoint`; undefined when absent, empty or not valid (it is only a hint). */
export async function readLastCheckpoint(store: ObjectStore, table: string): Promise<LastCheckpoint | undefined> {
  let text: string;
  try {
    text = (await store.get(lastCheckpointKey(table))).toString('utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LastCheckpoint>;
    if (!v || typeof v !== 'object' || !Number.isSafeInteger(v.version) || (v.version as number) < 0) return undefined;
    if (v.parts !== undefined && v.parts !== null && !(Number.isSafeInteger(v.parts) && v.parts > 0)) return undefined;
    return v as LastCheckpoint;
  } catch {
    return undefined;
  }
}

/** Write `_last_checkpoint` (atomic replace). */
export async function writeLastCheckpoint(store: ObjectStore, table: string, value: LastCheckpoint): Promise<void> {
  await store.put(lastCheckpointKey(table), JSON.stringify(value));
}
