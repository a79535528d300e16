import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinpipeError } from '../../core/errors.js';
import { assertTopicName } from '../../core/names.js';
import type { ConsumerManager } from './consumer-manager.js';
import { matchTopicPattern } from './topic-pattern.js';

type InstanceParams = { Params: { group: string; instance: string } };

interface TopicPartition {
  topic: string;
  partition: number;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new PinpipeError('INVALID_BODY', 'Request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function partitionList(body: unknown, field: 'partitions' | 'offsets'): (TopicPartition & { offset: number })[] {
  const list = objectBody(body)[field];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new PinpipeError('INVALID_BODY', `"${field}" must be an array.`);
  return list.map((e: unknown) => {
    const o = e as { topic?: unknown; partition?: unknown; offset?: unknown };
    if (typeof o?.topic !== 'string' || !Number.isInteger(o.partition) || (field === 'offsets' && !Number.isInteger(o.offset))) {
      throw new PinpipeError('INVALID_BODY', `Each entry of "${field}" needs "topic", "partition"${field === 'offsets' ? ' and "offset"' : ''}.`);
    }
    return { topic: assertTopicName(o.topic, 'topic'), partition: o.partition as number, offset: (o.offset as number) ?? 0 };
  });
}

/** REST Proxy v2 consumer API: instances, subscription, records, offsets, positions. */
export function registerConsumerRoutes(app: FastifyInstance, consumers: ConsumerManager, requestTimeoutMs = 1000): void {
  const base = '/consumers/:group/instances/:instance';
  const inst = (req: FastifyRequest<InstanceParams>) => consumers.get(req.params.group, req.params.instance);

  app.post<{ Params: { group: string } }>('/consumers/:group', async (req) => {
    const c = consumers.create(req.params.group, objectBody(req.body));
    const host = req.headers.host ?? `${req.hostname}`;
    return { instance_id: c.id, base_uri: `${req.protocol}://${host}/consumers/${c.group}/instances/${c.id}` };
  });
  app.delete<InstanceParams>(base, async (req, reply) => {
    await consumers.remove(req.params.group, req.params.instance);
    return reply.status(204).send();
  });

  app.post<InstanceParams>(`${base}/subscription`, async (req, reply) => {
    const body = objectBody(req.body);
    const c = inst(req);
    if (Array.isArray(body.topics) && body.topics.every((t) => typeof t === 'string')) {
      await consumers.subscribe(c, body.topics as string[]);
    } else if (typeof body.topic_pattern === 'string') {
      const names = await matchTopicPattern(
        body.topic_pattern,
        (await consumers.log.listTopics()).map((t) => t.name),
      );
      await consumers.subscribe(c, names);
    } else {
      throw new PinpipeError('INVALID_BODY', 'Subscription needs "topics" (array of names) or "topic_pattern".');
    }
    return reply.status(204).send();
  });
  app.get<InstanceParams>(`${base}/subscription`, async (req) => ({ topics: inst(req).topics }));
  app.delete<InstanceParams>(`${base}/subscription`, async (req, reply) => {
    await consumers.subscribe(inst(req), []);
    return reply.status(204).send();
  });
  app.get<InstanceParams>(`${base}/assignments`, async (req) => ({ partitions: await consumers.assignments(inst(req)) }));

  app.get<InstanceParams & { Querystring: { timeout?: string; max_bytes?: string } }>(`${base}/records`, async (req, reply) => {
    const c = inst(req);
    const timeout = req.query.timeout === undefined ? requestTimeoutMs : Math.min(Math.max(0, Number(req.query.timeout) || 0), 30_000);
    const maxBytes = req.query.max_bytes === undefined ? 64 * 1024 * 1024 : Math.max(1, Number(req.query.max_bytes) || 1);
    const fetched = await consumers.fetch(c, timeout, maxBytes);
    return reply.type(c.format === 'json' ? 'application/vnd.kafka.json.v2+json' : 'application/vnd.kafka.binary.v2+json').send(fetched.json);
  });

  app.post<InstanceParams>(`${base}/offsets`, async (req, reply) => {
    await consumers.commit(inst(req), partitionList(req.body, 'offsets'));
    return reply.status(200).send();
  });
  app.get<InstanceParams & { Querystring: { topic?: string; partition?: string } }>(`${base}/offsets`, async (req) => {
    const c = inst(req);
    let parts: TopicPartition[] = partitionList(req.body, 'partitions');
    if (parts.length === 0) parts = await consumers.assignments(c);
    return { offsets: await consumers.committed(c, parts) };
  });

  app.post<InstanceParams>(`${base}/positions`, async (req, reply) => {
    await consumers.seek(inst(req), partitionList(req.body, 'offsets'));
    return reply.status(204).send();
  });
  for (const where of ['beginning', 'end'] as const) {
    app.post<InstanceParams>(`${base}/positions/${where}`, async (req, reply) => {
      const c = inst(req);
      const parts = partitionList(req.body, 'partitions');
      const seekTo = [];
      for (const p of parts) seekTo.push({ ...p, offset: (await consumers.log.offsets(p.topic, p.partition))[where === 'beginning' ? 'start' : 'end'] });
      await consumers.seek(c, seekTo);
      return reply.status(204).send();
    });
  }
}
