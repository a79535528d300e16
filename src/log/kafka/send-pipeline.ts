import type { Producer } from '@platformatic/kafka';
import { PinpipeError } from '../../core/errors.js';
import type { AppendResult } from '../log.js';
import { kafkaError } from './kafka-errors.js';

/** One record ready to send: its partition is already chosen. */
export interface OutRecord {
  partition: number;
  key: Buffer | undefined;
  value: Buffer;
  timestamp: bigint | undefined;
  headers: Map<Buffer, Buffer> | undefined;
}

interface Pending {
  topic: string;
  records: OutRecord[];
  /** Results so far (errors filled in by the caller), in request order; `slots[i]` is where records[i]'s result goes. */
  results: AppendResult[];
  slots: number[];
  resolve(results: AppendResult[]): void;
  reject(err: unknown): void;
}

/**
 * Sends appends to Kafka with one produce request in flight per producer, each carrying every
 * append that arrived meanwhile (up to `maxSendBytes`): the group commit of the Kafka log.
 * One request at a time is also what keeps @platformatic/kafka 1.x's idempotent producer exact:
 * it advances a partition's sequence number only when a response arrives, so two concurrent
 * sends to one partition would carry the same sequence and the broker would drop the second as a
 * duplicate while acknowledging it (measured: 7 of the first 8 concurrent 500-record sends lost).
 * Within one request a partition's records form one batch, so its base offset plus the record's
 * place in the batch is the record's offset.
 */
export class SendPipeline {
  private queue: Pending[] = [];
  private sending: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>,
    private readonly maxSendBytes: number,
  ) {}

  /** Queue records of one append; resolves with every record's result once the broker has acknowledged them (acks=all). */
  add(topic: string, records: OutRecord[], results: AppendResult[], slots: number[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, records, results, slots, resolve, reject });
      this.sending ??= this.drain();
    });
  }

  /** Resolves once everything queued so far has been sent (or failed). */
  async idle(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.sendSome();
    } finally {
      this.sending = undefined;
    }
  }

  /** Take appends from the queue up to the byte budget (at least one) and send them as one request. */
  private async sendSome(): Promise<void> {
    const group: Pending[] = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      const size = next.records.reduce((n, r) => n + r.value.length + (r.key?.length ?? 0) + 32, 0);
      if (group.length > 0 && bytes + size > this.maxSendBytes) break;
      group.push(this.queue.shift()!);
      bytes += size;
    }
    const messages = group.flatMap((p) =>
      p.records.map((r) => ({ topic: p.topic, partition: r.partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })),
    );
    let offsets: { topic: string; partition: number; offset: bigint }[];
    try {
      offsets = (await this.producer.send({ messages })).offsets ?? [];
    } catch (err) {
      const error = kafkaError('produce', err);
      for (const p of group) p.reject(error);
      return;
    }
    const next = new Map(offsets.map((o) => [`${o.topic}\0${o.partition}`, o.offset]));
    for (const p of group) {
      for (let i = 0; i < p.records.length; i++) {
        const k = `${p.topic}\0${p.records[i].partition}`;
        const offset = next.get(k);
        if (offset === undefined) {
          p.results[p.slots[i]] = { error: new PinpipeError('LOG_UNAVAILABLE', `Kafka gave no offset for partition ${p.records[i].partition} of ${p.topic}.`) };
          continue;
        }
        next.set(k, offset + 1n);
        p.results[p.slots[i]] = { partition: p.records[i].partition, position: offset.toString() };
      }
      p.resolve(p.results);
    }
  }
}
