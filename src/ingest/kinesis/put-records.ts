import { isUtf8 } from 'node:buffer';
import { PinpipeError } from '../../core/errors.js';
import type { AppendRecord, Log, TopicInfo } from '../../log/log.js';
import { parseExplicitHashKey, partitionKeyHash, shardForHashKey } from './hash-keys.js';
import { kinesisTypeOf } from './kinesis-errors.js';
import { kinesisMetrics } from './kinesis-metrics.js';
import { toSequenceNumber } from './sequence-numbers.js';
import { shardId } from './shard-ids.js';

/** One record to put, as its API decoded it. */
export interface PutEntry {
  partitionKey: unknown;
  /** The record's bytes: JSON text of `Data` (gateway) or the base64-decoded `Data` (Kinesis API). */
  data: string | Buffer;
  explicitHashKey?: unknown;
}

/** Kinesis' limits, lowered further when the API's configured limits are lower. */
export interface PutLimits {
  /** Records per PutRecords (Kinesis: 500). */
  maxRecords: number;
  /** Bytes of one record's data (Kinesis: 1 MiB). */
  maxRecordBytes: number;
  /** Bytes of data and partition keys in one request (Kinesis: 5 MiB). */
  maxRequestBytes: number;
}

export type PutOutcome = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

const NOT_UTF8 = 'Record data is not valid UTF-8: pinpipe stores record values as text, so Data must decode (base64) to UTF-8 bytes.';

/** The length of a string or buffer in bytes. */
const byteLength = (d: string | Buffer): number => (typeof d === 'string' ? Buffer.byteLength(d) : d.length);

/** KINESIS_VALIDATION unless a request holds 1 to `maxRecords` records. */
export function assertRecordCount(n: number, limits: PutLimits): void {
  const fail = (c: string) =>
    new PinpipeError('KINESIS_VALIDATION', `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length ${c}`);
  if (n === 0) throw fail('greater than or equal to 1');
  if (n > limits.maxRecords) throw fail(`less than or equal to ${limits.maxRecords} (it has ${n})`);
}

/** Whole-request validation, as Kinesis does it: one bad member fails the request. Returns each record's hash key. */
function validate(entries: readonly PutEntry[], limits: PutLimits, single: boolean): bigint[] {
  const at = (i: number, m: string) => (single ? m : `records.${i + 1}.member.${m}`);
  const fail = (detail: string) => new PinpipeError('KINESIS_VALIDATION', `1 validation error detected: ${detail}`);
  assertRecordCount(entries.length, limits);
  let total = 0;
  return entries.map((e, i) => {
    const pk = e.partitionKey;
    if (typeof pk !== 'string')
      throw fail(`Value ${JSON.stringify(pk) ?? 'null'} at '${at(i, 'partitionKey')}' failed to satisfy constraint: Member must be a string and not be null`);
    if (pk.length < 1 || pk.length > 256)
      throw fail(`Value '${pk.slice(0, 80)}' at '${at(i, 'partitionKey')}' failed to satisfy constraint: Member must have length between 1 and 256`);
    const bytes = byteLength(e.data);
    if (bytes > limits.maxRecordBytes)
      throw fail(
        `Value at '${at(i, 'data')}' failed to satisfy constraint: Member must have length less than or equal to ${limits.maxRecordBytes} (it has ${bytes})`,
      );
    total += bytes + Buffer.byteLength(pk);
    if (total > limits.maxRequestBytes)
      throw new PinpipeError(
        'KINESIS_INVALID_ARGUMENT',
        `Records size exceeds the ${limits.maxRequestBytes} bytes limit of one request (data and partition keys).`,
      );
    return e.explicitHashKey === undefined || e.explicitHashKey === null ? partitionKeyHash(pk) : parseExplicitHashKey(e.explicitHashKey);
  });
}

/**
 * Put records into a stream: route each by the MD5 of its partition key (or its ExplicitHashKey)
 * to a shard, append them durably in one log call, and answer per record in request order.
 * Records whose data is not UTF-8 fail alone; validation errors fail the whole request.
 */
export async function putRecords(log: Log, stream: TopicInfo, entries: readonly PutEntry[], limits: PutLimits, single = false): Promise<PutOutcome[]> {
  let hashes: bigint[];
  try {
    hashes = validate(entries, limits, single);
  } catch (err) {
    kinesisMetrics.rejected.inc({ type: kinesisTypeOf(err) }, entries.length);
    throw err;
  }
  const out = new Array<PutOutcome>(entries.length);
  const appends: AppendRecord[] = [];
  const slots: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (typeof e.data !== 'string' && !isUtf8(e.data)) {
      kinesisMetrics.rejected.inc({ type: 'InvalidArgumentException' });
      if (single) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', NOT_UTF8);
      out[i] = { ErrorCode: 'InvalidArgumentException', ErrorMessage: NOT_UTF8 };
      continue;
    }
    appends.push({
      key: e.partitionKey as string,
      value: typeof e.data === 'string' ? e.data : e.data.toString('utf8'),
      partition: shardForHashKey(hashes[i], stream.partitions),
    });
    slots.push(i);
  }
  if (appends.length === 0) return out;
  const results = await log.append(stream.name, appends);
  let ok = 0;
  results.forEach((r, j) => {
    if ('error' in r) {
      const type = kinesisTypeOf(r.error);
      kinesisMetrics.rejected.inc({ type });
      if (single) throw r.error;
      out[slots[j]] = { ErrorCode: type, ErrorMessage: r.error.message };
    } else {
      out[slots[j]] = { SequenceNumber: toSequenceNumber(r.partition, r.position), ShardId: shardId(r.partition) };
      ok++;
    }
  });
  kinesisMetrics.records.inc({ stream: stream.name }, ok);
  return out;
}
