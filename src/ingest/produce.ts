import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import { counter } from '../core/metrics.js';
import { assertName } from '../core/names.js';
import type { AppendRecord, Log } from '../log/log.js';
import type { TopicResolver } from './topics.js';

export interface ProduceLimits {
  maxRecordsPerRequest: number;
  maxRecordBytes: number;
}

const produced = counter('pinpipe_ingest_records_total', 'Records acknowledged by the produce API', ['topic']);
const recordErrors = counter('pinpipe_ingest_rejected_records_total', 'Records refused inside a produce request, by error code', ['code']);

interface OffsetEntry {
  partition: number | null;
  offset: number | null;
  error_code: number | null;
  error: string | null;
}

const failed = (e: PinpipeError): OffsetEntry => ({ partition: null, offset: null, error_code: e.spec.restCode, error: e.message });

/**
 * Turn one request record into what the log stores, or the per-record error that replaces it.
 * JSON values and keys are stored as their JSON text.
 */
function toAppend(r: unknown, pathPartition: number | undefined, limits: ProduceLimits): AppendRecord | PinpipeError {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return new PinpipeError('INVALID_RECORD', 'Each record must be a JSON object with a "value".');
  const rec = r as { key?: unknown; value?: unknown; partition?: unknown };
  if (!('value' in rec)) return new PinpipeError('INVALID_RECORD', 'Record has no "value".');
  const value = JSON.stringify(rec.value);
  const key = rec.key === undefined || rec.key === null ? null : JSON.stringify(rec.key);
  const bytes = (value.length + (key?.length ?? 0)) * 3 > limits.maxRecordBytes ? Buffer.byteLength(value) + (key ? Buffer.byteLength(key) : 0) : 0;
  if (bytes > limits.maxRecordBytes) return new PinpipeError('RECORD_TOO_LARGE', `Record is ${bytes} bytes; the limit is ${limits.maxRecordBytes}.`);
  let partition = pathPartition;
  if (rec.partition !== undefined && rec.partition !== null) {
    if (!Number.isInteger(rec.partition) || (rec.partition as number) < 0) return new PinpipeError('INVALID_RECORD', 'Record "partition" must be a non-negative integer.');
    partition ??= rec.partition as number;
  }
  return { key, value, partition };
}

/** Parse the body's `records` array or throw the request-level 42201. */
function recordsOf(body: unknown, limits: ProduceLimits): unknown[] {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { records?: unknown }).records)) {
    throw new PinpipeError('INVALID_BODY', 'Request body must be a JSON object with a "records" array.');
  }
  const records = (body as { records: unknown[] }).records;
  if (records.length === 0) throw new PinpipeError('INVALID_BODY', 'Request body "records" is empty.');
  if (records.length > limits.maxRecordsPerRequest) throw new PinpipeError('TOO_MANY_RECORDS', `Request has ${records.length} records; the limit is ${limits.maxRecordsPerRequest}.`);
  return records;
}

/** Kafka REST Proxy v2 produce: POST /topics/{topic} and /topics/{topic}/partitions/{p}. */
export function registerProduceRoutes(app: FastifyInstance, log: Log, topics: TopicResolver, limits: ProduceLimits): void {
  const produce = async (topic: string, body: unknown, pathPartition: number | undefined) => {
    assertName(topic, 'topic');
    const records = recordsOf(body, limits);
    const info = await topics.forProduce(topic);
    if (pathPartition !== undefined && (pathPartition >= info.partitions || pathPartition < 0)) {
      throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${pathPartition} of topic ${topic} not found.`);
    }
    const offsets: OffsetEntry[] = new Array(records.length);
    const appends: AppendRecord[] = [];
    const slots: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const a = toAppend(records[i], pathPartition, limits);
      if (a instanceof PinpipeError) {
        offsets[i] = failed(a);
        recordErrors.inc({ code: String(a.spec.restCode) });
      } else {
        appends.push(a);
        slots.push(i);
      }
    }
    if (appends.length > 0) {
      const results = await log.append(topic, appends);
      let ok = 0;
      for (let j = 0; j < results.length; j++) {
        const r = results[j];
        if ('error' in r) {
          offsets[slots[j]] = failed(r.error);
          recordErrors.inc({ code: String(r.error.spec.restCode) });
        } else {
          offsets[slots[j]] = { partition: r.partition, offset: Number(r.position), error_code: null, error: null };
          ok++;
        }
      }
      produced.inc({ topic }, ok);
    }
    return { key_schema_id: null, value_schema_id: null, offsets };
  };

  app.post<{ Params: { topic: string } }>('/topics/:topic', async (req) => produce(req.params.topic, req.body, undefined));
  app.post<{ Params: { topic: string; partition: string } }>('/topics/:topic/partitions/:partition', async (req) => {
    const p = req.params.partition;
    if (!/^\d{1,9}$/.test(p)) throw new PinpipeError('PARTITION_NOT_FOUND', `Partition ${JSON.stringify(p)} not found.`);
    return produce(req.params.topic, req.body, Number(p));
  });
}
