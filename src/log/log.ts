/**
 * The Log seam: durable, partitioned, ordered topics (Kafka topics, Kinesis streams).
 * Implementations: `sqlite` (embedded default), later `kafka` and `kinesis`.
 *
 * Positions are opaque per-partition strings, ordered within a partition (for sqlite and Kafka
 * the decimal offset, for Kinesis the sequence number). Compare them only with `comparePositions`
 * of the same log.
 */
import type { PinpipeError } from '../core/errors.js';

export interface TopicInfo {
  name: string;
  partitions: number;
  /** Creation time, epoch ms. */
  createdAt: number;
}

export interface AppendRecord {
  /** Record key as UTF-8 text (JSON text for REST proxy JSON keys); null for none. */
  key?: string | null;
  /**
   * Record value: UTF-8 text (JSON text for JSON records), as a string or as its UTF-8 bytes (the
   * produce API hands over bytes so its parse threads' output never becomes strings on the event
   * loop). Readers always get a string.
   */
  value: string | Uint8Array;
  /** Explicit partition; else key hash; else sticky round-robin. */
  partition?: number;
  /** Producer timestamp (epoch ms); default: append time. */
  timestamp?: number;
}

/** Per-record outcome of an append, in request order: where it landed, or why it did not. */
export type AppendResult = { partition: number; position: string } | { error: PinpipeError };

export interface LogRecord {
  topic: string;
  partition: number;
  position: string;
  /** Numeric offset within the partition (0-based, contiguous for sqlite/Kafka). */
  offset: number;
  key: string | null;
  value: string;
  /** Record timestamp, epoch ms. */
  timestamp: number;
  /** When the log accepted the record (epoch ms); used for end-to-end latency. */
  appendedAt: number;
}

/** Where a read starts. `after` is what a committed consumer position means. */
export type ReadStart =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'at'; position: string }
  | { kind: 'after'; position: string }
  | { kind: 'timestamp'; timestampMs: number };

export interface ReadOptions {
  /** Largest batch yielded at once. */
  maxRecords?: number;
  /** Keep waiting for new records at the end (default true); false: stop at the current end. */
  follow?: boolean;
  /** Stop the iteration (it then returns normally). */
  signal?: AbortSignal;
}

/** Consecutive records of one partition as UTF-8 lines: each value followed by "\n", in one buffer. */
export interface LineChunk {
  count: number;
  /** Offsets of the first and last record (positions are these offsets as decimal strings). */
  firstOffset: number;
  lastOffset: number;
  /** Timestamp of the first record, and the largest of the chunk (epoch ms). */
  firstTimestamp: number;
  maxTimestamp: number;
  lines: Buffer;
}

export interface ReadLinesOptions {
  maxRecords: number;
  /** When no record is there yet, wait up to this long for one (default 0: answer at once). */
  waitMs?: number;
  /** Ends a wait early. */
  signal?: AbortSignal;
}

export interface CreateTopicOptions {
  partitions?: number;
}

/** What a log offers beyond the common core (absent: everything); callers and the contract suite check these. */
export interface LogFeatures {
  /** Records carry dense numeric offsets (`LogRecord.offset`, `bounds().nextOffset`): sqlite and Kafka, not Kinesis. */
  offsets: boolean;
  /** A timestamp given at append is kept (Kinesis keeps only its own arrival time). */
  producerTimestamps: boolean;
  /** Consumer-group positions are stored by the log (`commitPositions`); Kinesis has no such store: pinpipe keeps positions itself. */
  groupCommits: boolean;
}

/** The features of `log` (every feature when it declares none). */
export function logFeatures(log: Log): LogFeatures {
  return log.features ?? { offsets: true, producerTimestamps: true, groupCommits: true };
}

export interface Log {
  /** What this log offers beyond the common core; absent means everything. */
  readonly features?: LogFeatures;
  /** Create a topic; TOPIC_EXISTS if it is there already. */
  createTopic(name: string, opts?: CreateTopicOptions): Promise<TopicInfo>;
  /** Create the topic if missing and return it (auto-creation). */
  ensureTopic(name: string, opts?: CreateTopicOptions): Promise<TopicInfo>;
  describeTopic(name: string): Promise<TopicInfo | undefined>;
  listTopics(): Promise<TopicInfo[]>;
  deleteTopic(name: string): Promise<void>;
  /**
   * Append records and resolve once they are durable (group commit: concurrent calls share one
   * fsync). Results are per record, in order; a bad record never fails its siblings.
   * Rejects with TOPIC_NOT_FOUND or STORE_UNAVAILABLE for the whole call.
   */
  append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]>;
  /**
   * Read one partition from `start` as batches, oldest first. Back-pressure: the next batch is
   * fetched only when the consumer asks for it. With `follow` (default) waits for new records.
   */
  read(topic: string, partition: number, start: ReadStart, opts?: ReadOptions): AsyncIterable<LogRecord[]>;
  /**
   * Optional fast path for bulk copies (the lake sink), offered by logs whose positions are their
   * offsets: up to `maxRecords` records from `fromOffset` as one LineChunk, with no JS object or
   * string per record; undefined when there is none (after waiting up to `waitMs`).
   */
  readLines?(topic: string, partition: number, fromOffset: number, opts: ReadLinesOptions): Promise<LineChunk | undefined>;
  /** The position of the first and last record of a partition, and the count (undefined when empty). */
  bounds(topic: string, partition: number): Promise<{ first?: string; last?: string; count: number; nextOffset: number }>;
  /** Store consumer-group positions: each position is the last record the group has processed. */
  commitPositions(group: string, positions: readonly { topic: string; partition: number; position: string }[]): Promise<void>;
  /** Fetch committed positions of a group for a topic: partition → last processed position. */
  fetchPositions(group: string, topic: string): Promise<Map<number, string>>;
  /** Order of two positions of the same partition: negative, zero or positive. */
  comparePositions(a: string, b: string): number;
  close(): Promise<void>;
}
