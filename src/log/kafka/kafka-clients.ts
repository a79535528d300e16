import { Admin, Consumer, Producer, type KafkaRecord, type RecordsBatch, type SASLOptions } from '@platformatic/kafka';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { PinpipeError } from '../../core/errors.js';
import { kafkaError, kafkaErrorId } from './kafka-errors.js';

/** How to reach the cluster: bootstrap servers and, for MSK and other secured clusters, TLS and SASL. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers (MSK: port 9094 TLS, 9096 SCRAM, 9098 IAM); `true` for the system CAs. */
  tls?: boolean | TlsOptions;
  /** SASL: PLAIN, SCRAM-SHA-256/512 with username/password, or OAUTHBEARER with a token provider (MSK IAM). */
  sasl?: SASLOptions;
  /** Per-request timeout (ms). */
  requestTimeoutMs: number;
}

/** What one partition holds: the first offset still there and the next one to be written. */
export interface PartitionEnds {
  start: bigint;
  end: bigint;
}

/** A fetched record, decoded from its batch. */
export interface FetchedRecord {
  offset: bigint;
  timestamp: number;
  /** When pinpipe appended it, for records sent with a timestamp of their own; else their timestamp. */
  appendedAt: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** Special timestamps of Kafka's ListOffsets: the earliest offset and the end of the log. */
const EARLIEST = -2n;
const LATEST = -1n;
const CONTROL_BATCH = 0x20;

/**
 * The one door to @platformatic/kafka: an admin, an idempotent producer (acks=all, compressed)
 * and a consumer used only for raw fetches from partition leaders (no group membership: pinpipe
 * decides what each reader reads, and commits positions to the group coordinator itself).
 */
export class KafkaClients {
  readonly admin: Admin;
  readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;

  constructor(c: KafkaConnection, compression: 'none' | 'gzip' | 'snappy' | 'lz4') {
    const base = {
      clientId: c.clientId,
      bootstrapBrokers: c.brokers,
      timeout: c.requestTimeoutMs,
      requestTimeout: c.requestTimeoutMs,
      connectTimeout: Math.min(c.requestTimeoutMs, 10_000),
      // The client's own retries ride over leader moves and metadata refreshes within one call;
      // an outage beyond them surfaces as LOG_UNAVAILABLE and pinpipe's callers retry (withRetry).
      retries: 3,
      retryDelay: 250,
      ...(c.tls ? { tls: c.tls === true ? {} : c.tls } : {}),
      ...(c.sasl ? { sasl: c.sasl } : {}),
    };
    this.admin = new Admin(base);
    this.producer = new Producer({ ...base, idempotent: true, acks: -1, compression });
    this.consumer = new Consumer({ ...base, groupId: `${c.clientId}-fetch`, maxWaitTime: 500 });
  }

  /** Topic id, partition count and leaders; undefined when the topic does not exist. */
  async topic(name: string, fresh = false): Promise<{ id: string; partitions: number; leaders: number[] } | undefined> {
    try {
      const md = await this.admin.metadata({ topics: [name], forceUpdate: fresh });
      const t = md.topics.get(name);
      return t ? { id: t.id, partitions: t.partitionsCount, leaders: t.partitions.map((p) => p.leader) } : undefined;
    } catch (err) {
      const id = kafkaErrorId(err);
      // The client reports a topic missing from a metadata answer as a UserError "Unknown topic …".
      if (id === 'UNKNOWN_TOPIC_OR_PARTITION' || id === 'UNKNOWN_TOPIC_ID' || /^Unknown topic /.test((err as Error).message)) return undefined;
      throw kafkaError(`metadata of ${name}`, err);
    }
  }

  /** The offset of the first record at or after `timestampMs`, or the end of the partition when there is none. */
  async offsetForTime(topic: string, partition: number, timestampMs: number): Promise<bigint> {
    const [at] = await this.listOffsets(topic, [partition], BigInt(timestampMs));
    return at < 0n ? (await this.ends(topic, partition)).end : at;
  }

  /** The first and next offsets of a partition. */
  async ends(topic: string, partition: number): Promise<PartitionEnds> {
    const [[start], [end]] = await Promise.all([this.listOffsets(topic, [partition], EARLIEST), this.listOffsets(topic, [partition], LATEST)]);
    return { start, end };
  }

  private async listOffsets(topic: string, partitions: number[], timestamp: bigint): Promise<bigint[]> {
    try {
      const res = await this.admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }] });
      const byIndex = new Map(res.flatMap((t) => t.partitions).map((p) => [p.partitionIndex, p.offset]));
      return partitions.map((p) => byIndex.get(p) ?? -1n);
    } catch (err) {
      throw kafkaError(`list offsets of ${topic}`, err);
    }
  }

  /**
   * Records of one partition from `offset` (at most `maxBytes`, waiting up to `maxWaitMs` for the
   * first), control records left out; `end` is the partition's high watermark.
   */
  async fetch(topic: string, partition: number, offset: bigint, maxWaitMs: number, maxBytes: number): Promise<{ records: FetchedRecord[]; end: bigint }> {
    const t = await this.topic(topic);
    if (!t) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic} not found.`);
    if (partition < 0 || partition >= t.partitions)
      throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${partition} of topic ${topic} not found (it has ${t.partitions}).`);
    let res;
    try {
      res = await this.consumer.fetch({
        node: t.leaders[partition],
        maxWaitTime: maxWaitMs,
        maxBytes,
        topics: [
          { topicId: t.id, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, partitionMaxBytes: maxBytes }] },
        ],
      });
    } catch (err) {
      if (kafkaErrorId(err) === 'OFFSET_OUT_OF_RANGE') return { records: [], end: (await this.ends(topic, partition)).end };
      throw kafkaError(`fetch from ${topic}/${partition}`, err);
    }
    const part = res.responses[0]?.partitions[0];
    if (!part) return { records: [], end: offset };
    const records: FetchedRecord[] = [];
    for (const batch of part.records ?? []) {
      if (batch.attributes & CONTROL_BATCH) continue;
      for (const r of batch.records) {
        const at = batch.firstOffset + BigInt(r.offsetDelta);
        if (at >= offset) records.push(decode(batch, r, at));
      }
    }
    return { records, end: part.highWatermark };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer.close(true), this.consumer.close(true), this.admin.close()]);
  }
}

/** The header pinpipe adds to a record sent with its own timestamp: when it was appended (epoch ms, decimal). */
export const APPENDED_AT_HEADER = 'pinpipe-appended-at';

function decode(batch: RecordsBatch, r: KafkaRecord, offset: bigint): FetchedRecord {
  const timestamp = Number(batch.firstTimestamp + r.timestampDelta);
  let appendedAt = timestamp;
  for (const [k, v] of r.headers) if (v && k?.toString() === APPENDED_AT_HEADER) appendedAt = Number(v.toString()) || timestamp;
  return { offset, timestamp, appendedAt, key: r.key, value: r.value };
}
