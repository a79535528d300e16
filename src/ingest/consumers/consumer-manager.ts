import { randomUUID } from 'node:crypto';
import { PinpipeError } from '../../core/errors.js';
import { assertName, assertTopicName } from '../../core/names.js';
import type { LogRecord, OffsetLog } from '../../log/log.js';
import { fetchedRecordJson } from './record-json.js';

export type ConsumerFormat = 'json' | 'binary';

export interface ConsumerInstance {
  group: string;
  id: string;
  format: ConsumerFormat;
  reset: 'earliest' | 'latest';
  autoCommit: boolean;
  topics: string[];
  /** Next offset to fetch, per `topic\0partition`. */
  next: Map<string, number>;
  /** Last fetched offset per partition not yet committed (auto-commit commits it on the next fetch). */
  pending: Map<string, number>;
  lastUsed: number;
}

/** What a fetch hands out: the records as the JSON array text of the answer, and how many. */
export interface Fetched {
  json: string;
  count: number;
}

const tpKey = (topic: string, partition: number): string => `${topic}\0${partition}`;
const splitTp = (k: string): { topic: string; partition: number } => {
  const i = k.lastIndexOf('\0');
  return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
};

/**
 * REST Proxy v2 consumer instances backed by the log's consumer groups. Offsets follow Kafka:
 * a committed offset is the next one to read; clients commit the last offset they consumed.
 */
export class ConsumerManager {
  private readonly instances = new Map<string, ConsumerInstance>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly log: OffsetLog,
    private readonly idleTimeoutMs: number,
  ) {
    this.timer = setInterval(() => this.expire(), Math.min(idleTimeoutMs, 30_000));
    this.timer.unref();
  }

  create(group: string, body: Record<string, unknown>): ConsumerInstance {
    assertName(group, 'consumer group');
    const id = body.name === undefined ? `rest-consumer-${randomUUID()}` : assertName(String(body.name), 'consumer name');
    const key = `${group}/${id}`;
    if (this.instances.has(key)) throw new PinpipeError('CONSUMER_EXISTS');
    const format = (body.format ?? 'json') as string;
    if (format !== 'json' && format !== 'binary')
      throw new PinpipeError('INVALID_BODY', `Unsupported consumer format ${JSON.stringify(format)}: use "json" or "binary".`);
    const resetRaw = String(body['auto.offset.reset'] ?? 'latest');
    const reset = resetRaw === 'earliest' || resetRaw === 'smallest' ? 'earliest' : resetRaw === 'latest' || resetRaw === 'largest' ? 'latest' : undefined;
    if (!reset) throw new PinpipeError('INVALID_BODY', `Invalid auto.offset.reset ${JSON.stringify(resetRaw)}.`);
    const inst: ConsumerInstance = {
      group,
      id,
      format,
      reset,
      autoCommit: String(body['auto.commit.enable'] ?? 'true') !== 'false',
      topics: [],
      next: new Map(),
      pending: new Map(),
      lastUsed: Date.now(),
    };
    this.instances.set(key, inst);
    return inst;
  }

  get(group: string, id: string): ConsumerInstance {
    const inst = this.instances.get(`${group}/${id}`);
    if (!inst) throw new PinpipeError('CONSUMER_NOT_FOUND');
    inst.lastUsed = Date.now();
    return inst;
  }

  async remove(group: string, id: string): Promise<void> {
    const inst = this.get(group, id);
    if (inst.autoCommit) await this.commitPending(inst);
    this.instances.delete(`${group}/${id}`);
  }

  async subscribe(inst: ConsumerInstance, topics: string[]): Promise<void> {
    for (const t of topics) {
      assertTopicName(t, 'topic');
      if (!(await this.log.describeTopic(t))) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${t} not found.`);
    }
    inst.topics = [...new Set(topics)];
    inst.next.clear();
    inst.pending.clear();
  }

  /** Partitions the instance reads, with their next offsets resolved from commits or the reset policy. */
  async assignments(inst: ConsumerInstance): Promise<{ topic: string; partition: number }[]> {
    const out: { topic: string; partition: number }[] = [];
    for (const topic of inst.topics) {
      const info = await this.log.describeTopic(topic);
      if (!info) continue;
      const committed = await this.log.fetchPositions(inst.group, topic);
      for (let p = 0; p < info.partitions; p++) {
        const k = tpKey(topic, p);
        if (!inst.next.has(k)) {
          const c = committed.get(p);
          inst.next.set(k, c !== undefined ? this.log.offsetOf(c) + 1 : (await this.log.offsets(topic, p))[inst.reset === 'earliest' ? 'start' : 'end']);
        }
        out.push({ topic, partition: p });
      }
    }
    return out;
  }

  /**
   * Fetch what is available (waiting up to `timeoutMs` for the first record), at most `maxBytes`,
   * as the answer's JSON text. The instance's positions move past the records in it only once that
   * text is complete, so what was not handed out is fetched again.
   */
  async fetch(inst: ConsumerInstance, timeoutMs: number, maxBytes: number): Promise<Fetched> {
    if (inst.topics.length === 0) throw new PinpipeError('CONSUMER_STATE');
    if (inst.autoCommit) await this.commitPending(inst);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await this.fetchOnce(inst, maxBytes);
      if (out.count > 0 || Date.now() >= deadline) return out;
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
  }

  private async fetchOnce(inst: ConsumerInstance, maxBytes: number): Promise<Fetched> {
    const parts: string[] = [];
    const moved = new Map<string, number>();
    let bytes = 0;
    fetching: for (const { topic, partition } of await this.assignments(inst)) {
      const k = tpKey(topic, partition);
      const from = inst.next.get(k) ?? 0;
      let batch: LogRecord[] = [];
      for await (const b of this.log.read(topic, partition, { kind: 'at', position: this.log.positionAt(from) }, { follow: false, maxRecords: 500 })) {
        batch = b;
        break;
      }
      for (const r of batch) {
        if (bytes > 0 && bytes + r.value.length > maxBytes) break fetching;
        bytes += r.value.length;
        const offset = this.log.offsetOf(r.position);
        parts.push(fetchedRecordJson(topic, partition, offset, r.key, r.value, inst.format));
        moved.set(k, offset);
      }
    }
    for (const [k, offset] of moved) {
      inst.next.set(k, offset + 1);
      inst.pending.set(k, offset);
    }
    return { json: `[${parts.join(',')}]`, count: parts.length };
  }

  /** Commit explicit offsets (the last consumed ones), or everything fetched so far. */
  async commit(inst: ConsumerInstance, offsets?: { topic: string; partition: number; offset: number }[]): Promise<void> {
    if (!offsets || offsets.length === 0) return this.commitPending(inst);
    await this.log.commitPositions(
      inst.group,
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, position: this.log.positionAt(o.offset) })),
    );
  }

  private async commitPending(inst: ConsumerInstance): Promise<void> {
    if (inst.pending.size === 0) return;
    const positions = [...inst.pending].map(([k, offset]) => ({ ...splitTp(k), position: this.log.positionAt(offset) }));
    inst.pending.clear();
    await this.log.commitPositions(inst.group, positions);
  }

  /** Committed offsets (next to read) of the given partitions. */
  async committed(
    inst: ConsumerInstance,
    partitions: { topic: string; partition: number }[],
  ): Promise<{ topic: string; partition: number; offset: number; metadata: string }[]> {
    const out = [];
    for (const { topic, partition } of partitions) {
      const c = (await this.log.fetchPositions(inst.group, topic)).get(partition);
      out.push({ topic, partition, offset: c === undefined ? -1 : this.log.offsetOf(c) + 1, metadata: '' });
    }
    return out;
  }

  /** Move the fetch position of partitions (seek); a negative offset, or a topic or partition that does not exist, is refused before anything moves. */
  async seek(inst: ConsumerInstance, positions: { topic: string; partition: number; offset: number }[]): Promise<void> {
    for (const p of positions) {
      if (!Number.isSafeInteger(p.offset) || p.offset < 0) throw new PinpipeError('INVALID_POSITION', `Offset ${p.offset} is not valid: offsets start at 0.`);
      const info = await this.log.describeTopic(p.topic);
      if (!info) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${p.topic} not found.`);
      if (!Number.isInteger(p.partition) || p.partition < 0 || p.partition >= info.partitions)
        throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${p.partition} of topic ${p.topic} not found (it has ${info.partitions}).`);
    }
    for (const p of positions) inst.next.set(tpKey(p.topic, p.partition), p.offset);
  }

  private expire(): void {
    const cutoff = Date.now() - this.idleTimeoutMs;
    for (const [k, inst] of this.instances) if (inst.lastUsed < cutoff) this.instances.delete(k);
  }

  close(): void {
    clearInterval(this.timer);
    this.instances.clear();
  }
}
