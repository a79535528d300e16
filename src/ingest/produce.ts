import type { FastifyInstance } from 'fastify';
import { PinpipeError, isError } from '../core/errors.js';
import { counter } from '../core/metrics.js';
import { assertTopicName } from '../core/names.js';
import type { AppendRecord, AppendResult, OffsetLog } from '../log/log.js';
import type { ProduceParser } from './produce-parser.js';
import type { TopicResolver } from './topics.js';

const produced = counter('pinpipe_ingest_records_total', 'Records acknowledged by the produce API', ['topic']);
const recordErrors = counter('pinpipe_ingest_rejected_records_total', 'Records refused inside a produce request, by error code', ['code']);

interface OffsetEntry {
  partition: number | null;
  offset: number | null;
  error_code: number | null;
  error: string | null;
}

const failed = (e: PinpipeError): OffsetEntry => ({ partition: null, offset: null, error_code: e.spec.restCode, error: e.message });

/** Route config of the produce routes: their JSON bodies reach the handler as raw bytes (for ProduceParser). */
export const RAW_JSON_BODY = { rawJsonBody: true } as const;

const nullable = (type: string) => ({ type: [type, 'null'] });
/** The 200 answer's shape, so Fastify serialises it with a compiled serializer (fast-json-stringify) rather than JSON.stringify. */
const produceResponse = {
  200: {
    type: 'object',
    properties: {
      key_schema_id: nullable('integer'),
      value_schema_id: nullable('integer'),
      offsets: {
        type: 'array',
        items: {
          type: 'object',
          properties: { partition: nullable('integer'), offset: nullable('integer'), error_code: nullable('integer'), error: nullable('string') },
          required: ['partition', 'offset', 'error_code', 'error'],
        },
      },
    },
    required: ['key_schema_id', 'value_schema_id', 'offsets'],
  },
} as const;
const routeOptions = { config: RAW_JSON_BODY, schema: { response: produceResponse } };

/** Kafka REST Proxy v2 produce: POST /topics/{topic} and /topics/{topic}/partitions/{p}. */
export function registerProduceRoutes(app: FastifyInstance, log: OffsetLog, topics: TopicResolver, parser: ProduceParser): void {
  const resolve = async (topic: string, pathPartition: number | undefined): Promise<void> => {
    const info = await topics.forProduce(topic);
    if (pathPartition !== undefined && (pathPartition >= info.partitions || pathPartition < 0)) {
      throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${pathPartition} of topic ${topic} not found.`);
    }
  };
  const produce = async (topic: string, body: unknown, pathPartition: number | undefined) => {
    assertTopicName(topic, 'topic');
    const parsed = await parser.parse(Buffer.isBuffer(body) ? body : Buffer.alloc(0), pathPartition);
    await resolve(topic, pathPartition);
    const offsets: OffsetEntry[] = new Array(parsed.count);
    for (const e of parsed.errors) {
      const err = new PinpipeError(e.kind, e.message);
      offsets[e.slot] = failed(err);
      recordErrors.inc({ code: String(err.spec.restCode) });
    }
    const { bytes, starts, ends, keys, partitions, slots } = parsed;
    if (starts.length > 0) {
      const appends: AppendRecord[] = new Array(starts.length);
      for (let j = 0; j < starts.length; j++)
        appends[j] = { value: bytes.subarray(starts[j], ends[j]), key: keys?.[j] ?? null, partition: partitions?.[j] ?? undefined };
      let results: AppendResult[];
      try {
        results = await log.append(topic, appends);
      } catch (err) {
        // Deleted since the resolver saw it (through a stream API, or by another process): resolve again (auto-creating it) once.
        if (!isError(err, 'TOPIC_NOT_FOUND')) throw err;
        topics.forget(topic);
        await resolve(topic, pathPartition);
        results = await log.append(topic, appends);
      }
      let ok = 0;
      for (let j = 0; j < results.length; j++) {
        const r = results[j];
        const slot = slots ? slots[j] : j;
        if ('error' in r) {
          offsets[slot] = failed(r.error);
          recordErrors.inc({ code: String(r.error.spec.restCode) });
        } else {
          offsets[slot] = { partition: r.partition, offset: log.offsetOf(r.position), error_code: null, error: null };
          ok++;
        }
      }
      produced.inc({ topic }, ok);
    }
    return { key_schema_id: null, value_schema_id: null, offsets };
  };

  app.post<{ Params: { topic: string } }>('/topics/:topic', routeOptions, async (req) => produce(req.params.topic, req.body, undefined));
  app.post<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition', routeOptions, async (req) => {
    const p = req.params.partition;
    if (!/^\d{1,9}$/.test(p)) throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${JSON.stringify(p)} not found.`);
    return produce(req.params.topic, req.body, Number(p));
  });
}
