import { setTimeout as sleep } from 'node:timers/promises';
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
import { keyPartition } from '../murmur2.js';
import { APPENDED_AT_HEADER, KafkaClients, type KafkaConnection } from './kafka-clients.js';
import { kafkaError, kafkaErrorId } from './kafka-errors.js';
import { readKafkaLines, readKafkaPartition } from './partition-reader.js';
import { SendPipeline, type OutRecord } from './send-pipeline.js';

export interface KafkaLogOptions extends KafkaConnection {
  /** Partitions of a topic created without a count. */
  defaultPartitions: number;
  /** Replicas of topics pinpipe creates (1 for a single broker; 3 on MSK). */
  replicationFactor: number;
  /** Compression of produced batches (lz4: cheap and effective on JSON). */
  compression: 'none' | 'gzip' | 'snappy' | 'lz4';
  /** Most bytes one produce request carries; appends beyond it wait for the next request. */
  maxSendBytes: number;
}

/** The largest record (key + value) Kafka's default `max.message.bytes` (1 MiB) takes in a batch of its own. */
const MAX_RECORD_BYTES = 1_000_000;
const utf8 = (v: string | Uint8Array): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.buffer, v.byteOffset, v.byteLength));

/** Open the Kafka log and check a broker answers (LOG_UNAVAILABLE when none does). */
export async function openKafkaLog(opts: KafkaLogOptions): Promise<KafkaLog> {
  const log = new KafkaLog(opts);
  try {
    await log.clients.admin.metadata({ topics: [] });
  } catch (err) {
    await log.close();
    throw kafkaError(`connect to ${opts.brokers.join(',')}`, err);
  }
  return log;
}

/**
 * The Log on Apache Kafka (or MSK): topics are Kafka topics, positions are Kafka offsets (as
 * decimal strings), consumer positions are the group's committed offsets in Kafka's group
 * coordinator (stored as the next offset, Kafka's convention), keys are partitioned with Kafka's
 * own murmur2 so a key lands where the Java client would put it.
 */
export class KafkaLog implements OffsetLog {
  readonly features: LogFeatures & { offsets: true } = { offsets: true, producerTimestamps: true, groupCommits: true };
  readonly clients: KafkaClients;
  private readonly sender: SendPipeline;
  /** Keyless records of one append go to one partition, the next append to the next (per topic). */
  private readonly sticky = new Map<string, number>();
  private readonly partitionCounts = new Map<string, number>();
  private closed = false;

  constructor(private readonly o: KafkaLogOptions) {
    this.clients = new KafkaClients(o, o.compression);
    this.sender = new SendPipeline(this.clients.producer, o.maxSendBytes);
  }

  async createTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    this.assertOpen();
    assertTopicName(name, 'topic name');
    const partitions = opts.partitions ?? this.o.defaultPartitions;
    try {
      const [created] = await this.clients.admin.createTopics({ topics: [name], partitions, replicas: this.o.replicationFactor });
      this.partitionCounts.set(name, created.partitions);
      return { name, partitions: created.partitions, createdAt: 0 };
    } catch (err) {
      throw kafkaError(`create topic ${name}`, err);
    }
  }

  async ensureTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    const existing = await this.describeTopic(name);
    if (existing) return existing;
    try {
      return await this.createTopic(name, opts);
    } catch (err) {
      const raced = err instanceof PinpipeError && err.kind === 'TOPIC_EXISTS' ? await this.describeTopic(name) : undefined;
      if (raced) return raced;
      throw err;
    }
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    this.assertOpen();
    const t = await this.clients.topic(name, true);
    if (!t) return undefined;
    this.partitionCounts.set(name, t.partitions);
    return { name, partitions: t.partitions, createdAt: 0 };
  }

  async listTopics(): Promise<TopicInfo[]> {
    this.assertOpen();
    let names: string[];
    try {
      names = await this.clients.admin.listTopics();
    } catch (err) {
      throw kafkaError('list topics', err);
    }
    const infos = await Promise.all(names.sort().map((n) => this.describeTopic(n)));
    return infos.filter((t): t is TopicInfo => t !== undefined);
  }

  async deleteTopic(name: string): Promise<void> {
    this.assertOpen();
    try {
      await this.clients.admin.deleteTopics({ topics: [name] });
    } catch (err) {
      throw kafkaError(`delete topic ${name}`, err);
    }
    // Kafka deletes asynchronously: wait until the metadata no longer shows the topic.
    const deadline = Date.now() + this.o.requestTimeoutMs;
    while ((await this.clients.topic(name, true)) && Date.now() < deadline) await sleep(100);
    this.partitionCounts.delete(name);
    this.sticky.delete(name);
  }

  async append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]> {
    this.assertOpen();
    const partitions = this.partitionCounts.get(topic) ?? (await this.describeTopic(topic))?.partitions;
    if (partitions === undefined) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic} not found.`);
    if (records.length === 0) return [];
    const results: AppendResult[] = new Array(records.length);
    const out: OutRecord[] = [];
    const slots: number[] = [];
    const sticky = this.sticky.get(topic) ?? Math.floor(Math.random() * partitions);
    let usedSticky = false;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const key = r.key === null || r.key === undefined ? undefined : Buffer.from(r.key, 'utf8');
      let partition: number;
      if (r.partition !== undefined) {
        if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= partitions) {
          results[i] = {
            error: new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(r.partition)} of topic ${topic} not found (it has ${partitions}).`),
          };
          continue;
        }
        partition = r.partition;
      } else if (r.key !== null && r.key !== undefined) partition = keyPartition(r.key, partitions);
      else {
        partition = sticky % partitions;
        usedSticky = true;
      }
      const value = utf8(r.value);
      if (value.length + (key?.length ?? 0) > MAX_RECORD_BYTES) {
        results[i] = { error: new PinpipeError('RECORD_TOO_LARGE', `Record of ${value.length} bytes is larger than Kafka takes (${MAX_RECORD_BYTES}).`) };
        continue;
      }
      // Kafka keeps one timestamp per record: a record with a timestamp of its own carries its append time in a header.
      const own = r.timestamp !== undefined;
      out.push({ partition, key, value, timestamp: own ? BigInt(r.timestamp!) : undefined, headers: own ? appendedAtHeader() : undefined });
      slots.push(i);
    }
    if (usedSticky) this.sticky.set(topic, (sticky + 1) % partitions);
    if (out.length === 0) return results;
    return this.sender.add(topic, out, results, slots);
  }

  read(topic: string, partition: number, start: ReadStart, opts: ReadOptions = {}): AsyncIterable<LogRecord[]> {
    // The start is resolved now, not at the first pull: `latest` means "after this call".
    const from = this.startOffset(topic, partition, start);
    from.catch(() => undefined); // observed by the iteration
    const clients = this.clients;
    const isClosed = () => this.closed;
    return (async function* () {
      yield* readKafkaPartition(clients, topic, partition, await from, opts, isClosed);
    })();
  }

  async readLines(topic: string, partition: number, fromOffset: number, opts: ReadLinesOptions): Promise<LineChunk | undefined> {
    this.assertOpen();
    return readKafkaLines(this.clients, topic, partition, fromOffset, opts);
  }

  async lastPosition(topic: string, partition: number): Promise<string | undefined> {
    const { start, end } = await this.partitionEnds(topic, partition);
    return end > start ? (end - 1n).toString() : undefined;
  }

  async lag(topic: string, partition: number, after: string | undefined): Promise<PartitionLag> {
    const { start, end } = await this.partitionEnds(topic, partition);
    const next = after === undefined ? start : parseOffset(after) + 1n;
    const from = next > start ? next : start; // records before the log start are gone (retention)
    return { records: end > from ? Number(end - from) : 0, capped: false };
  }

  async offsets(topic: string, partition: number): Promise<PartitionOffsets> {
    const { start, end } = await this.partitionEnds(topic, partition);
    return { start: Number(start), end: Number(end) };
  }

  offsetOf(position: string): number {
    return Number(parseOffset(position));
  }

  positionAt(offset: number): string {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new PinpipeError('INVALID_POSITION', `Invalid Kafka offset ${offset}.`);
    return String(offset);
  }

  async commitPositions(group: string, positions: readonly { topic: string; partition: number; position: string }[]): Promise<void> {
    this.assertOpen();
    assertName(group, 'consumer group');
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const p of positions) {
      await this.requirePartition(p.topic, p.partition);
      const list = byTopic.get(p.topic) ?? [];
      list.push({ partition: p.partition, offset: parseOffset(p.position) + 1n });
      byTopic.set(p.topic, list);
    }
    if (byTopic.size === 0) return;
    try {
      await this.clients.admin.alterConsumerGroupOffsets({
        groupId: group,
        topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
      });
    } catch (err) {
      throw kafkaError(`commit offsets of group ${group}`, err);
    }
  }

  async fetchPositions(group: string, topic: string): Promise<Map<number, string>> {
    this.assertOpen();
    const t = await this.describeTopic(topic);
    if (!t) return new Map();
    let res;
    try {
      res = await this.clients.admin.listConsumerGroupOffsets({
        groups: [{ groupId: group, topics: [{ name: topic, partitionIndexes: [...Array(t.partitions).keys()] }] }],
      });
    } catch (err) {
      if (kafkaErrorId(err) === 'GROUP_ID_NOT_FOUND') return new Map();
      throw kafkaError(`fetch offsets of group ${group}`, err);
    }
    const out = new Map<number, string>();
    for (const g of res)
      for (const tp of g.topics) for (const p of tp.partitions) if (p.committedOffset > 0n) out.set(p.partitionIndex, (p.committedOffset - 1n).toString());
    return out;
  }

  comparePositions(a: string, b: string): number {
    const x = parseOffset(a);
    const y = parseOffset(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Wait for appends in flight, then close every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sender.idle().catch(() => undefined);
    await this.clients.close();
  }

  private async startOffset(topic: string, partition: number, start: ReadStart): Promise<bigint> {
    this.assertOpen();
    await this.requirePartition(topic, partition);
    switch (start.kind) {
      case 'earliest':
        return (await this.clients.ends(topic, partition)).start;
      case 'latest':
        return (await this.clients.ends(topic, partition)).end;
      case 'at':
        return parseOffset(start.position);
      case 'after':
        return parseOffset(start.position) + 1n;
      case 'timestamp':
        return this.clients.offsetForTime(topic, partition, start.timestampMs);
    }
  }

  private async partitionEnds(topic: string, partition: number): Promise<{ start: bigint; end: bigint }> {
    this.assertOpen();
    await this.requirePartition(topic, partition);
    return this.clients.ends(topic, partition);
  }

  private async requirePartition(topic: string, partition: number): Promise<void> {
    const partitions = (await this.describeTopic(topic))?.partitions;
    if (partitions === undefined) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic} not found.`);
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions)
      throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(partition)} of topic ${topic} not found (it has ${partitions}).`);
  }

  private assertOpen(): void {
    if (this.closed) throw new PinpipeError('CLOSED', 'The log is closed.');
  }
}

const appendedAtHeader = (): Map<Buffer, Buffer> => new Map([[Buffer.from(APPENDED_AT_HEADER), Buffer.from(String(Date.now()))]]);

/** A Kafka position: a decimal offset. */
function parseOffset(position: string): bigint {
  if (!/^\d{1,19}$/.test(position))
    throw new PinpipeError('INVALID_POSITION', `Invalid Kafka position ${JSON.stringify(position)}: expected a decimal offset.`);
  return BigInt(position);
}
