/**
 * The Log seam: durable, partitioned, ordered topics (Kafka topics, Kinesis streams).
 * Implementations: `sqlite` (embedded default), `kafka` and `kinesis`.
 *
 * Positions are opaque per-partition strings of decimal digits (sqlite and Kafka: the offset;
 * Kinesis: the sequence number). Callers never do arithmetic on them: they order them with
 * `comparePositions` of the same log, ask the log how far a position is behind (`lag`) and where a
 * partition ends (`lastPosition`). Numeric offsets are a capability of their own (`OffsetLog`),
 * needed only by what speaks Kafka's offsets: the REST Proxy API and the lake sink's object names.
 */
import { PinpipeError } from '../core/errors.js';

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
  /** Opaque; order with `comparePositions`. */
  position: string;
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

/** How far a reader is behind the end of a partition. */
export interface PartitionLag {
  /** Records after the reader's position up to the end now (a lower bound when `capped`). */
  records: number;
  /** The log stopped counting early (Kinesis counts by reading, and reads at most a few thousand records for it). */
  capped: boolean;
}

export interface CreateTopicOptions {
  partitions?: number;
}

/** What a log offers beyond the common core; callers and the contract suite check these. */
export interface LogFeatures {
  /** Positions are dense numeric offsets and the log is an `OffsetLog`: sqlite and Kafka, not Kinesis. */
  offsets: boolean;
  /** A timestamp given at append is kept (Kinesis keeps only its own arrival time). */
  producerTimestamps: boolean;
  /** Consumer-group positions are stored by the log (`commitPositions`); Kinesis has no such store. */
  groupCommits: boolean;
}

export interface Log {
  /** What this log offers beyond the common core. */
  readonly features: LogFeatures;
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
  /** The position of the newest record of a partition now (undefined when it holds none): what a reader has to reach to be caught up. */
  lastPosition(topic: string, partition: number): Promise<string | undefined>;
  /** Records of a partition after `after` (undefined: every record it holds) up to its end now. */
  lag(topic: string, partition: number, after: string | undefined): Promise<PartitionLag>;
  /** Store consumer-group positions (where `features.groupCommits`): each position is the last record the group has processed. */
  commitPositions(group: string, positions: readonly { topic: string; partition: number; position: string }[]): Promise<void>;
  /** Fetch committed positions of a group for a topic: partition → last processed position. */
  fetchPositions(group: string, topic: string): Promise<Map<number, string>>;
  /** Order of two positions of the same partition: negative, zero or positive. */
  comparePositions(a: string, b: string): number;
  close(): Promise<void>;
}

/** The first offset a partition still holds and the offset its next record will get (Kafka's log start and end offsets). */
export interface PartitionOffsets {
  start: number;
  end: number;
}

/** Consecutive records of one partition as UTF-8 lines: each value followed by "\n", in one buffer. */
export interface LineChunk {
  count: number;
  /** Offsets of the first and last record. */
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

/**
 * A log whose records have Kafka's offsets: dense numbers per partition (sqlite and Kafka). What
 * speaks offsets needs one: the REST Proxy API (produce answers, consumers, partition offsets)
 * and the lake sink (Connect object names carry the first offset). The topics' log (`--log`) is one.
 */
export interface OffsetLog extends Log {
  readonly features: LogFeatures & { offsets: true };
  /** The offset a position of this log names (INVALID_POSITION when it names none). */
  offsetOf(position: string): number;
  /** The position of the record at `offset`. */
  positionAt(offset: number): string;
  /** The first offset held and the next offset of a partition. */
  offsets(topic: string, partition: number): Promise<PartitionOffsets>;
  /**
   * Bulk copies (the lake sink): up to `maxRecords` records from `fromOffset` as one LineChunk,
   * with no JS object or string per record; undefined when there is none (after waiting up to `waitMs`).
   */
  readLines(topic: string, partition: number, fromOffset: number, opts: ReadLinesOptions): Promise<LineChunk | undefined>;
}

/** Whether `log` has offsets (an `OffsetLog`). */
export function hasOffsets(log: Log): log is OffsetLog {
  return log.features.offsets;
}

/** `log` as an OffsetLog, or LOG_UNSUPPORTED naming what needed offsets. */
export function requireOffsets(log: Log, what: string): OffsetLog {
  if (hasOffsets(log)) return log;
  throw new PinpipeError('LOG_UNSUPPORTED', `${what} needs a log with offsets (sqlite: or kafka://); Kinesis has sequence numbers only.`);
}
