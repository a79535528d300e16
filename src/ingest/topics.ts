import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import { assertTopicName } from '../core/names.js';
import type { Log, OffsetLog, TopicInfo } from '../log/log.js';

/** Finds (and, when allowed, creates) topics for the API, caching what it has seen. */
export class TopicResolver {
  private readonly known = new Map<string, TopicInfo>();
  constructor(
    private readonly log: Log,
    private readonly opts: { autoCreate: boolean; defaultPartitions: number },
  ) {}

  /** The topic a produce goes to: auto-created if allowed, else TOPIC_NOT_FOUND. */
  async forProduce(topic: string): Promise<TopicInfo> {
    const hit = this.known.get(topic);
    if (hit) return hit;
    const info = this.opts.autoCreate ? await this.log.ensureTopic(topic, { partitions: this.opts.defaultPartitions }) : await this.log.describeTopic(topic);
    if (!info) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic} not found.`);
    this.known.set(topic, info);
    return info;
  }

  /** An existing topic or TOPIC_NOT_FOUND, as the log has it now (a stream API may have deleted it). */
  async existing(topic: string): Promise<TopicInfo> {
    const info = await this.log.describeTopic(topic);
    if (!info) {
      this.known.delete(topic);
      throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic} not found.`);
    }
    return info;
  }

  forget(topic: string): void {
    this.known.delete(topic);
  }
}

const partitionsOf = (t: TopicInfo) =>
  Array.from({ length: t.partitions }, (_, p) => ({ partition: p, leader: 0, replicas: [{ broker: 0, leader: true, in_sync: true }] }));

/** REST Proxy v2 metadata: GET /topics, /topics/{t}, /topics/{t}/partitions. */
export function registerTopicRoutes(app: FastifyInstance, log: OffsetLog, topics: TopicResolver): void {
  app.get('/topics', async () => (await log.listTopics()).map((t) => t.name).sort());
  app.get<{ Params: { topic: string } }>('/topics/:topic', async (req) => {
    const t = await topics.existing(assertTopicName(req.params.topic, 'topic'));
    return { name: t.name, configs: {}, partitions: partitionsOf(t) };
  });
  app.get<{ Params: { topic: string } }>('/topics/:topic/partitions', async (req) =>
    partitionsOf(await topics.existing(assertTopicName(req.params.topic, 'topic'))),
  );
  app.get<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition', async (req) => {
    const t = await topics.existing(assertTopicName(req.params.topic, 'topic'));
    return partitionsOf(t)[partitionOf(t, req.params.partition)];
  });
  // REST Proxy v2: the first offset still in the partition and the offset the next record will get.
  app.get<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition/offsets', async (req) => {
    const t = await topics.existing(assertTopicName(req.params.topic, 'topic'));
    const o = await log.offsets(t.name, partitionOf(t, req.params.partition));
    return { beginning_offset: o.start, end_offset: o.end };
  });
}

/** A partition id of the path that the topic has, else PARTITION_NOT_FOUND. */
function partitionOf(t: TopicInfo, raw: string): number {
  const p = /^\d{1,4}$/.test(raw) ? Number(raw) : -1;
  if (p < 0 || p >= t.partitions) throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${raw} not found: ${t.name} has partitions 0-${t.partitions - 1}.`);
  return p;
}
