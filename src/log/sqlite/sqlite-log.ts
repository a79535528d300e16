import { rootLogger, type Logger } from '../../core/logger.js';
import { PinpipeError } from '../../core/errors.js';
import { assertName, assertTopicName } from '../../core/names.js';
import type {
  AppendRecord,
  AppendResult,
  CreateTopicOptions,
  LineChunk,
  LogFeatures,
  LogRecord,
  OffsetLog,
  PartitionLag,
  PartitionOffsets,
  ReadLinesOptions,
  ReadOptions,
  ReadStart,
  TopicInfo,
} from '../log.js';
import { AppendPipeline } from './append-pipeline.js';
import { BatchBuilder } from './batch-builder.js';
import { logMetrics } from './log-metrics.js';
import { compareOffsetPositions, parsePosition } from './positions.js';
import { readLineChunk, readPartition, startOffset, type ReaderContext } from './reader.js';
import { openDatabase, type Db, type FsyncMode } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';
import { storeError, storeOp } from './store-error.js';
import { TopicRegistry, type PartState, type TopicState } from './topic-registry.js';
import { WriterClient } from './writer-client.js';
import type { CreatedTopic, WriterRequest } from './writer-protocol.js';

/** The most partitions a topic may have. */
export const MAX_PARTITIONS = 4096;

export interface SqliteLogOptions {
  /** Database file; its parent directory is created. */
  path: string;
  /** `full` fsyncs every group commit, `normal` survives process crashes only, `off` is for tests (default `full`). */
  fsync?: FsyncMode;
  /** Wait this long for more appends to share a group commit (default 0: the next event-loop turn). */
  groupCommitDelayMs?: number;
  /** Partitions of a topic created without a count (default 1). */
  defaultPartitions?: number;
  /** The most topics the log holds; one more fails TOPIC_LIMIT_REACHED (default 1000). */
  maxTopics?: number;
  /** How often a reader at the end polls for appends made by other processes (default 75). */
  pollIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing STORE_UNAVAILABLE (default 5000). */
  busyTimeoutMs?: number;
  logger?: Logger;
}

/** Open (creating if needed) the embedded log in one SQLite file; resolves once its writer thread is ready. */
export function openSqliteLog(opts: SqliteLogOptions): Promise<SqliteLog> {
  return SqliteLog.open(opts);
}

/**
 * The embedded Log: topics in one SQLite file (WAL). Appends from every caller are grouped and
 * written by a writer thread in one transaction per group commit; this thread keeps the partition
 * ends in memory, and reads through its own connection.
 */
export class SqliteLog implements OffsetLog {
  readonly features: LogFeatures & { offsets: true } = { offsets: true, producerTimestamps: true, groupCommits: true };
  private readonly db: Db;
  private readonly stmts: Statements;
  private readonly topics: TopicRegistry;
  private readonly writer: WriterClient;
  private readonly appends: AppendPipeline;
  private readonly defaultPartitions: number;
  private readonly maxTopics: number;
  private readonly pollIntervalMs: number;
  private closed = false;
  private closing: Promise<void> | undefined;

  /** Open the log and wait for its writer thread (what openSqliteLog does). */
  static async open(opts: SqliteLogOptions): Promise<SqliteLog> {
    const log = new SqliteLog(opts);
    try {
      await log.writer.start();
    } catch (err) {
      await log.close().catch(() => undefined);
      throw storeError('open', err);
    }
    return log;
  }

  /** Prefer `openSqliteLog`: without it the writer thread starts on the first write. */
  constructor(opts: SqliteLogOptions) {
    this.defaultPartitions = opts.defaultPartitions ?? 1;
    this.maxTopics = opts.maxTopics ?? 1000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 75;
    const data = { path: opts.path, fsync: opts.fsync ?? 'full', busyTimeoutMs: opts.busyTimeoutMs ?? 5000 };
    this.db = storeOp(`open ${opts.path}`, () => openDatabase(data.path, data));
    try {
      this.stmts = prepareStatements(this.db);
      const builder = new BatchBuilder(this.stmts);
      this.topics = new TopicRegistry(this.stmts, () => builder.gen);
      this.writer = new WriterClient(data);
      const logger = opts.logger ?? rootLogger().child({ component: 'log' });
      this.appends = new AppendPipeline(builder, this.writer, opts.groupCommitDelayMs ?? 0, logger);
    } catch (err) {
      this.db.close();
      throw storeError('open', err);
    }
  }

  /** Counts of this instance (the Prometheus metrics are process-wide). */
  get stats(): { readonly groupCommits: number; readonly appendedRecords: number } {
    return this.appends.stats;
  }

  async createTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    this.assertOpen();
    assertTopicName(name, 'topic name');
    const partitions = opts.partitions ?? this.defaultPartitions;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new PinpipeError('INVALID_BODY', `Partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${String(partitions)}.`);
    }
    const row = await this.write<CreatedTopic>('createTopic', { op: 'createTopic', name, partitions, createdAt: Date.now(), maxTopics: this.maxTopics });
    return this.topics.adopt(row).info;
  }

  async ensureTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    this.assertOpen();
    const t = storeOp('ensureTopic', () => this.topics.get(name));
    if (t) return t.info;
    try {
      return await this.createTopic(name, opts);
    } catch (err) {
      const raced = err instanceof PinpipeError && err.kind === 'TOPIC_EXISTS' ? this.topics.fresh(name) : undefined;
      if (raced) return raced.info;
      throw err;
    }
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    this.assertOpen();
    return storeOp('describeTopic', () => this.topics.fresh(name))?.info;
  }

  async listTopics(): Promise<TopicInfo[]> {
    this.assertOpen();
    return storeOp('listTopics', () => this.topics.list()).map((t) => t.info);
  }

  async deleteTopic(name: string): Promise<void> {
    this.assertOpen();
    const t = this.requireTopic(name, true);
    t.deleted = true; // appends not yet handed to the writer now fail; those already handed over land before the delete
    try {
      await this.write('deleteTopic', { op: 'deleteTopic', topicId: t.id });
    } catch (err) {
      t.deleted = false;
      throw err;
    }
    this.topics.forget(t);
  }

  append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new PinpipeError('CLOSED', 'The log is closed.'));
    let t: TopicState;
    try {
      t = this.requireTopic(topic, false);
    } catch (err) {
      return Promise.reject(err);
    }
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => this.appends.add({ topic: t, records, resolve, reject }));
  }

  read(topic: string, partition: number, start: ReadStart, opts: ReadOptions = {}): AsyncIterable<LogRecord[]> {
    try {
      // Resolved now, not at the first pull: `latest` means "after this call".
      this.assertOpen();
      const t = this.requireTopic(topic, false);
      const part = this.requirePartition(t, partition);
      const from = storeOp('read', () => startOffset(this.stmts, part, start));
      return readPartition(this.readerContext(), t, part, from, opts);
    } catch (err) {
      // eslint-disable-next-line require-yield -- an iterable whose first step fails with err
      return (async function* failed(): AsyncGenerator<LogRecord[]> {
        throw err;
      })();
    }
  }

  async readLines(topic: string, partition: number, fromOffset: number, opts: ReadLinesOptions): Promise<LineChunk | undefined> {
    this.assertOpen();
    const t = this.requireTopic(topic, false);
    return readLineChunk(this.readerContext(), t, this.requirePartition(t, partition), fromOffset, opts);
  }

  async lastPosition(topic: string, partition: number): Promise<string | undefined> {
    this.assertOpen();
    const part = this.requirePartition(this.requireTopic(topic, false), partition);
    const last = storeOp('lastPosition', () => this.stmts.lastOffset.get(part.tp));
    return last === undefined ? undefined : String(last);
  }

  async lag(topic: string, partition: number, after: string | undefined): Promise<PartitionLag> {
    const { start, end } = await this.offsets(topic, partition);
    const from = after === undefined ? start : Math.max(start, parsePosition(after) + 1);
    return { records: Math.max(0, end - from), capped: false };
  }

  async offsets(topic: string, partition: number): Promise<PartitionOffsets> {
    this.assertOpen();
    const part = this.requirePartition(this.requireTopic(topic, false), partition);
    const [first, last] = storeOp('offsets', () => [this.stmts.firstOffset.get(part.tp), this.stmts.lastOffset.get(part.tp)]);
    const end = Math.max(part.next, (last ?? -1) + 1);
    return { start: first ?? end, end };
  }

  offsetOf(position: string): number {
    return parsePosition(position);
  }

  positionAt(offset: number): string {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new PinpipeError('INVALID_POSITION', `Invalid offset ${offset}.`);
    return String(offset);
  }

  async commitPositions(group: string, positions: readonly { topic: string; partition: number; position: string }[]): Promise<void> {
    this.assertOpen();
    assertName(group, 'consumer group');
    const rows = positions.map((p) => {
      const t = this.requireTopic(p.topic, false);
      this.requirePartition(t, p.partition);
      return [group, t.id, p.partition, parsePosition(p.position)] as const;
    });
    if (rows.length > 0) await this.write('commitPositions', { op: 'commitPositions', rows });
  }

  async fetchPositions(group: string, topic: string): Promise<Map<number, string>> {
    this.assertOpen();
    const t = storeOp('fetchPositions', () => this.topics.get(topic));
    if (!t) return new Map();
    const rows = storeOp('fetchPositions', () => this.stmts.selectPositions.all(group, t.id));
    return new Map(rows.map((r) => [r.partition, String(r.off)]));
  }

  private readerContext(): ReaderContext {
    return { stmts: this.stmts, pollIntervalMs: this.pollIntervalMs, isClosed: () => this.closed };
  }

  comparePositions(a: string, b: string): number {
    return compareOffsetPositions(a, b);
  }

  /** Flush the appends still queued, end every reader, close the file. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      for (const t of this.topics.cached()) for (const part of t.parts) part.wakeup.notify();
      await this.appends.drain();
      await this.writer.close();
      this.db.close();
    })();
    return this.closing;
  }

  /** Run one write in the writer thread; its failures become coded errors (counted). */
  private async write<T>(what: string, req: WriterRequest): Promise<T> {
    try {
      return await this.writer.call<T>(req);
    } catch (err) {
      const error = storeError(what, err);
      logMetrics.errors.inc({ code: error.kind });
      throw error;
    }
  }

  private requireTopic(name: string, fresh: boolean): TopicState {
    const t = storeOp('lookup', () => (fresh ? this.topics.fresh(name) : this.topics.get(name)));
    if (!t) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${name} not found.`);
    return t;
  }

  private requirePartition(t: TopicState, partition: number): PartState {
    const part = Number.isInteger(partition) ? t.parts[partition] : undefined;
    if (!part) throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(partition)} of topic ${t.info.name} not found (it has ${t.info.partitions}).`);
    return part;
  }

  private assertOpen(): void {
    if (this.closed) throw new PinpipeError('CLOSED', 'The log is closed.');
  }
}
