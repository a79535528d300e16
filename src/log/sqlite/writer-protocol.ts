import type { FsyncMode } from './schema.js';

/** The rows of one group commit, column by column (cheap to post to the writer thread). */
export interface AppendColumns {
  count: number;
  tp: Float64Array;
  off: Float64Array;
  ts: Float64Array;
  key: (string | null)[];
  /** Text, or UTF-8 bytes (stored as text by the insert's CAST). */
  value: (string | Uint8Array)[];
  /** appended_at of every row. */
  now: number;
}

/** A topic row as the writer created it. */
export interface CreatedTopic {
  id: number;
  name: string;
  partitions: number;
  created_at: number;
}

/** Consumer position rows: group, topic id, partition, offset. */
export type PositionRow = readonly [string, number, number, number];

export type WriterRequest =
  | { op: 'append'; cols: AppendColumns }
  | { op: 'createTopic'; name: string; partitions: number; createdAt: number }
  | { op: 'deleteTopic'; topicId: number }
  | { op: 'commitPositions'; rows: readonly PositionRow[] }
  | { op: 'close' };

export interface WriterData {
  path: string;
  fsync: FsyncMode;
  busyTimeoutMs: number;
}
