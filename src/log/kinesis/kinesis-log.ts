import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PinpipeError } from '../../core/errors.js';
import { assertName } from '../../core/names.js';
import type { AppendRecord, AppendResult, CreateTopicOptions, Log, LogFeatures, LogRecord, PartitionLag, ReadOptions, ReadStart, TopicInfo } from '../log.js';
import { keyPartition } from '../murmur2.js';
import { kinesisError } from './kinesis-errors.js';
import { iteratorInput, KEYLESS_PARTITION_KEY, readShard, shardIterator } from './shard-reader.js';
import { countAfter, newestPosition, type ShardRead } from './shard-ends.js';
import { PutQueue, type Entry } from './put-queue.js';
import { listShardSlots, type ShardSlot } from './shards.js';

export interface KinesisLogOptions {
  region: string;
  /** Shards of a stream created without a count. */
  defaultPartitions: number;
  /** Records asked for per GetRecords call (Kinesis allows up to 10,000). */
  maxRecordsPerRead: number;
  /** Attempts of a PutRecords for the entries Kinesis failed (throttling, internal errors). */
  putRetries?: number;
}

/** A Kinesis record (data + partition key) is at most 1 MiB. */
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_STREAM_NAME = 128;
/** A lag asked for again within this time is answered from the last count (reads are five a second per shard, shared with the readers). */
const LAG_MEMO_MS = 1000;

/** Open the Kinesis log; the endpoint and credentials come from the standard AWS chain (`AWS_ENDPOINT_URL` for moto or LocalStack). */
export async function openKinesisLog(opts: KinesisLogOptions): Promise<KinesisLog> {
  const log = new KinesisLog(opts);
  try {
    await log.client.send(new ListStreamsCommand({ Limit: 1 }));
  } catch (err) {
    await log.close();
    throw kinesisError(`connect (region ${opts.region})`, err);
  }
  return log;
}

/**
 * The Log on Kinesis Data Streams: topics are streams, partitions are the shards (in shard-id
 * order), positions are sequence numbers. Keys pick their shard with Kafka's murmur2 (sent as the
 * shard's starting hash key), so a key lands in the same partition as on the other logs. Kinesis
 * keeps no consumer positions: the stream job keeps its own in its Delta commits.
 */
export class KinesisLog implements Log {
  readonly features: LogFeatures = { offsets: false, producerTimestamps: false, groupCommits: false };
  readonly client: KinesisClient;
  private readonly shards = new Map<string, ShardSlot[]>();
  private readonly sticky = new Map<string, number>();
  private readonly queues = new Map<string, PutQueue>();
  /** Stream → `partition\0after` → a recent lag count. */
  private readonly lagMemo = new Map<string, Map<string, { at: number; lag: Promise<PartitionLag> }>>();
  private closed = false;

  constructor(private readonly o: KinesisLogOptions) {
    // HTTP/1.1: the SDK's default HTTP/2 handler does not talk to local endpoints (moto).
    this.client = new KinesisClient({ region: o.region, requestHandler: new NodeHttpHandler({ connectionTimeout: 5000 }), maxAttempts: 3 });
  }

  async createTopic(name: string, opts: CreateTopicOptions = {}): Promise<TopicInfo> {
    this.assertOpen();
    assertStreamName(name);
    const partitions = opts.partitions ?? this.o.defaultPartitions;
    try {
      await this.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: partitions }));
    } catch (err) {
      throw kinesisError(`create stream ${name}`, err);
    }
    for (let i = 0; i < 600; i++) {
      const info = await this.describe(name);
      if (info?.active) return info.topic;
      await sleep(100);
    }
    throw new PinpipeError('LOG_UNAVAILABLE', `Kinesis stream ${name} did not become ACTIVE.`);
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
    return (await this.describe(name))?.topic;
  }

  async listTopics(): Promise<TopicInfo[]> {
    this.assertOpen();
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const res = await this.client.send(new ListStreamsCommand(token ? { NextToken: token } : {}));
        names.push(...(res.StreamNames ?? []));
        token = res.HasMoreStreams ? res.NextToken : undefined;
      } while (token);
    } catch (err) {
      throw kinesisError('list streams', err);
    }
    const infos = await Promise.all(names.sort().map((n) => this.describeTopic(n)));
    return infos.filter((t): t is TopicInfo => t !== undefined);
  }

  async deleteTopic(name: string): Promise<void> {
    this.assertOpen();
    try {
      await this.client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    } catch (err) {
      throw kinesisError(`delete stream ${name}`, err);
    }
    for (let i = 0; i < 600 && (await this.describe(name)); i++) await sleep(100);
    this.shards.delete(name);
    this.sticky.delete(name);
    this.lagMemo.delete(name);
  }

  async append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]> {
    this.assertOpen();
    const slots = await this.slots(topic);
    const results: AppendResult[] = new Array(records.length);
    const entries: Entry[] = [];
    const sticky = this.sticky.get(topic) ?? Math.floor(Math.random() * slots.length);
    let usedSticky = false;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let partition: number;
      if (r.partition !== undefined) {
        if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= slots.length) {
          results[i] = {
            error: new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(r.partition)} of stream ${topic} not found (it has ${slots.length} shards).`),
          };
          continue;
        }
        partition = r.partition;
      } else if (r.key !== null && r.key !== undefined) partition = keyPartition(r.key, slots.length);
      else {
        partition = sticky % slots.length;
        usedSticky = true;
      }
      const data = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
      const key = partitionKey(r.key);
      const bytes = data.length + Buffer.byteLength(key);
      if (bytes > MAX_RECORD_BYTES) {
        results[i] = { error: new PinpipeError('RECORD_TOO_LARGE', `Record of ${bytes} bytes is larger than Kinesis takes (1 MiB).`) };
        continue;
      }
      // The partition key still names the record; the explicit hash key puts it on the shard pinpipe chose.
      entries.push({ slot: i, partition, bytes, entry: { Data: data, PartitionKey: key, ExplicitHashKey: slots[partition].startingHashKey } });
    }
    if (usedSticky) this.sticky.set(topic, (sticky + 1) % slots.length);
    if (entries.length === 0) return results;
    let queue = this.queues.get(topic);
    if (!queue) this.queues.set(topic, (queue = new PutQueue(this.client, topic, this.o.putRetries ?? 5)));
    return queue.add(entries, results, slots).finally(() => this.lagMemo.delete(topic)); // counts taken before these records landed are stale
  }

  read(topic: string, partition: number, start: ReadStart, opts: ReadOptions = {}): AsyncIterable<LogRecord[]> {
    // The iterator is taken now, not at the first pull: `latest` means "after this call".
    const first = (async () => {
      this.assertOpen();
      const slot = await this.slot(topic, partition);
      return { slot, iterator: await shardIterator(this.client, iteratorInput(topic, slot.shardId, start)) };
    })();
    first.catch(() => undefined); // observed by the iteration
    const ctx = { client: this.client, maxRecordsPerCall: this.o.maxRecordsPerRead, isClosed: () => this.closed };
    return (async function* () {
      const { slot, iterator } = await first;
      yield* readShard(ctx, topic, slot.shardId, partition, start, iterator, opts);
    })();
  }

  /** Kinesis tells no shard end: the newest record is found by reading back from recent arrival times (see `newestPosition`). */
  async lastPosition(topic: string, partition: number): Promise<string | undefined> {
    this.assertOpen();
    await this.slot(topic, partition);
    return newestPosition(this.shardRead(topic, partition));
  }

  /**
   * Kinesis keeps no counts: the records after `after` are counted by reading them, at most
   * LAG_COUNT_LIMIT (then `capped`). Reads are five a second per shard, shared with the readers, so
   * a lag asked for again within LAG_MEMO_MS is answered from the last count (until this log appends to the stream).
   */
  lag(topic: string, partition: number, after: string | undefined): Promise<PartitionLag> {
    const memo = this.lagMemo.get(topic) ?? new Map<string, { at: number; lag: Promise<PartitionLag> }>();
    this.lagMemo.set(topic, memo);
    const key = `${partition}\0${after ?? ''}`;
    const now = Date.now();
    const hit = memo.get(key);
    if (hit && now - hit.at < LAG_MEMO_MS) return hit.lag;
    for (const [k, v] of memo) if (now - v.at >= LAG_MEMO_MS) memo.delete(k);
    const lag = (async () => {
      this.assertOpen();
      await this.slot(topic, partition);
      return countAfter(this.shardRead(topic, partition), after);
    })();
    memo.set(key, { at: now, lag });
    lag.catch(() => memo.delete(key));
    return lag;
  }

  async commitPositions(): Promise<void> {
    throw new PinpipeError('LOG_UNSUPPORTED', 'Kinesis keeps no consumer-group positions; pinpipe keeps stream positions in its Delta commits.');
  }

  async fetchPositions(): Promise<Map<number, string>> {
    throw new PinpipeError('LOG_UNSUPPORTED', 'Kinesis keeps no consumer-group positions; pinpipe keeps stream positions in its Delta commits.');
  }

  comparePositions(a: string, b: string): number {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }

  private shardRead(topic: string, partition: number): ShardRead {
    return (start, maxRecords) => this.read(topic, partition, start, { follow: false, maxRecords });
  }

  private async describe(name: string): Promise<{ topic: TopicInfo; active: boolean } | undefined> {
    let s;
    try {
      s = (await this.client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
    } catch (err) {
      const e = kinesisError(`describe stream ${name}`, err);
      if (e.kind === 'TOPIC_NOT_FOUND') return undefined;
      throw e;
    }
    if (!s) return undefined;
    const active = s.StreamStatus === 'ACTIVE' || s.StreamStatus === 'UPDATING';
    if (active) this.shards.set(name, await listShardSlots(this.client, name));
    const partitions = this.shards.get(name)?.length ?? s.OpenShardCount ?? 0;
    return { topic: { name, partitions, createdAt: s.StreamCreationTimestamp?.getTime() ?? 0 }, active };
  }

  private async slots(topic: string): Promise<ShardSlot[]> {
    const cached = this.shards.get(topic);
    if (cached) return cached;
    if (!(await this.describe(topic))) throw new PinpipeError('TOPIC_NOT_FOUND', `Stream ${topic} not found.`);
    return this.shards.get(topic)!;
  }

  private async slot(topic: string, partition: number): Promise<ShardSlot> {
    const slots = await this.slots(topic);
    const slot = Number.isInteger(partition) ? slots[partition] : undefined;
    if (!slot) throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${String(partition)} of stream ${topic} not found (it has ${slots.length} shards).`);
    return slot;
  }

  private assertOpen(): void {
    if (this.closed) throw new PinpipeError('CLOSED', 'The log is closed.');
  }
}

function assertStreamName(name: string): void {
  assertName(name, 'stream name');
  if (name.length > MAX_STREAM_NAME) throw new PinpipeError('INVALID_NAME', `Kinesis stream names are at most ${MAX_STREAM_NAME} characters: ${name}.`);
}

/** The partition key sent: the record key (hashed when longer than Kinesis's 256 characters), or a fixed one for keyless records. */
function partitionKey(key: string | null | undefined): string {
  if (key === null || key === undefined || key === '') return KEYLESS_PARTITION_KEY;
  return key.length <= 256 ? key : createHash('sha256').update(key).digest('hex');
}
