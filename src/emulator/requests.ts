import { batchTopics, streamNames } from '../core/config.js';
import { assertTopicName } from '../core/names.js';
import type { RecordKind } from './records.js';

/** `batch`: Kafka REST Proxy topics (docs/wire-formats.md §6.1); `stream`: API-Gateway Kinesis streams (docs/wire-formats.md §6.2). */
export type EmulatorMode = 'batch' | 'stream';

/** One record to send and the partition key it goes with (stream mode). */
export interface OutgoingRecord {
  key: string;
  value: unknown;
}

export interface EmulatorRequest {
  method: 'POST' | 'PUT';
  path: string;
  contentType: string;
  body: string;
  /** Number of records in the body. */
  records: number;
  /** True for the per-record reply shapes (`offsets`, PutRecords `Records`). */
  multi: boolean;
}

export const KAFKA_JSON = 'application/vnd.kafka.json.v2+json';

/**
 * The request that sends `records` of one kind: `POST /topics/<prefix>.<kind>` in batch mode;
 * `PUT /streams/streaming-<prefix>-<kind>/record` (one record) or `/records` (`multi`) in stream mode.
 */
export function buildRequest(
  mode: EmulatorMode,
  prefix: string,
  kind: RecordKind,
  records: readonly OutgoingRecord[],
  multi: boolean,
  stringify: (v: unknown) => string,
): EmulatorRequest {
  if (mode === 'batch') {
    const topic = assertTopicName(batchTopics(prefix)[kind], 'topic');
    const body = stringify({ records: records.map((r) => ({ value: r.value })) });
    return { method: 'POST', path: `/topics/${topic}`, contentType: KAFKA_JSON, body, records: records.length, multi: true };
  }
  const stream = assertTopicName(streamNames(prefix)[kind], 'stream');
  if (!multi) {
    if (records.length !== 1) throw new RangeError('a single-record stream request carries exactly one record');
    const body = stringify({ StreamName: stream, Data: records[0].value, PartitionKey: records[0].key });
    return { method: 'PUT', path: `/streams/${stream}/record`, contentType: 'application/json', body, records: 1, multi };
  }
  const body = stringify({ records: records.map((r) => ({ data: r.value, 'partition-key': r.key })) });
  return { method: 'PUT', path: `/streams/${stream}/records`, contentType: 'application/json', body, records: records.length, multi };
}

/** Per-record outcome of a reply: `null` = acknowledged, otherwise the error key it is counted under. */
export type RecordOutcome = string | null;

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Which records of a request the server acknowledged. A record is acked only by a 200 whose entry
 * for it (`offsets[i]` with `error_code` null; a `SequenceNumber` without `ErrorCode`) says so.
 * Failures are keyed by HTTP status (`"500"`) or `record:<code>` for a per-record error.
 */
export function readAcks(mode: EmulatorMode, req: EmulatorRequest, status: number, text: string): RecordOutcome[] {
  const n = req.records;
  if (status !== 200) return Array<RecordOutcome>(n).fill(String(status));
  const body = parse(text);
  if (!body) return Array<RecordOutcome>(n).fill('bad-reply');
  if (mode === 'stream' && !req.multi) {
    const ok = typeof body.SequenceNumber === 'string' && body.ErrorCode == null;
    return [ok ? null : `record:${String(body.ErrorCode ?? 'missing')}`];
  }
  const entries = mode === 'batch' ? body.offsets : body.Records;
  const out: RecordOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const e: unknown = Array.isArray(entries) ? entries[i] : undefined;
    if (!isObject(e)) out.push('record:missing');
    else if (mode === 'batch') out.push(e.error_code == null ? null : `record:${String(e.error_code)}`);
    else out.push(typeof e.SequenceNumber === 'string' && e.ErrorCode == null ? null : `record:${String(e.ErrorCode ?? 'missing')}`);
  }
  return out;
}
