import type { FsyncMode } from './schema.js';

/** The rows of one group commit, column by column (cheap to post to the writer thread). */
export interface AppendColumns {
  count: number;
  tp: Float64Array;
  off: Float64Array;
  ts: Float64Array;
  key: (string | null)[];
  /** Values given as text; null where the value is UTF-8 bytes in `bytes`. */
  value: (string | null)[];
  /**
   * Values given as bytes, packed into one buffer per group commit (a view handed to another
   * thread copies its whole backing buffer, often an 8 KiB pool); row i's are
   * `bytes[byteStart[i], byteEnd[i])`, stored as text by the insert's CAST.
   */
  bytes: Uint8Array;
  byteStart: Float64Array;
  byteEnd: Float64Array;
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
  | { op: 'createTopic'; name: string; partitions: number; createdAt: number; maxTopics: number }
  | { op: 'deleteTopic'; topicId: number }
  | { op: 'commitPositions'; rows: readonly PositionRow[] }
  | { op: 'close' };

export interface WriterData {
  path: string;
  fsync: FsyncMode;
  busyTimeoutMs: number;
}
