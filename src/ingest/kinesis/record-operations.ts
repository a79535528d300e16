import { PinpipeError } from '../../core/errors.js';
import type { KinesisContext } from './context.js';
import type { Input } from './input.js';
import { assertRecordCount, putRecords, type PutEntry } from './put-records.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** The bytes of a base64 `Data` member; SerializationException when it is not base64. */
export function decodeData(data: unknown, field: string, maxBytes: number): Buffer {
  if (typeof data !== 'string')
    throw new PinpipeError(
      'KINESIS_VALIDATION',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be base64 text and not be null`,
    );
  // Refuse before decoding what cannot fit (4 base64 characters carry 3 bytes).
  if (data.length > Math.ceil(maxBytes / 3) * 4 + 4) {
    throw new PinpipeError(
      'KINESIS_VALIDATION',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`,
    );
  }
  if (!BASE64.test(data)) throw new PinpipeError('INVALID_BODY', `'${field}' is not valid base64.`);
  return Buffer.from(data, 'base64');
}

const entryOf = (r: Input, field: string, maxBytes: number): PutEntry => ({
  partitionKey: r.PartitionKey,
  data: decodeData(r.Data, field, maxBytes),
  explicitHashKey: r.ExplicitHashKey,
});

/** PutRecord: one record; its failure (UTF-8 included) is the request's. `SequenceNumberForOrdering` is accepted: shards are ordered anyway. */
export async function putRecord(ctx: KinesisContext, input: Input) {
  const stream = await ctx.streams.require(ctx.streams.nameOf(input));
  const [r] = await putRecords(ctx.log, stream, [entryOf(input, 'data', ctx.limits.maxRecordBytes)], ctx.limits, true);
  return { ...r, EncryptionType: 'NONE' };
}

/** PutRecords: ≤ 500 records, ≤ 5 MiB; failures are reported per record with `FailedRecordCount`. */
export async function putRecordsOperation(ctx: KinesisContext, input: Input) {
  const records = input.Records;
  if (!Array.isArray(records))
    throw new PinpipeError('KINESIS_VALIDATION', "1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null");
  assertRecordCount(records.length, ctx.limits);
  const stream = await ctx.streams.require(ctx.streams.nameOf(input));
  const entries = records.map((r: unknown, i) => {
    if (!r || typeof r !== 'object') throw new PinpipeError('INVALID_BODY', `Records[${i}] is not an object.`);
    return entryOf(r as Input, `records.${i + 1}.member.data`, ctx.limits.maxRecordBytes);
  });
  const out = await putRecords(ctx.log, stream, entries, ctx.limits);
  return { FailedRecordCount: out.filter((r) => 'ErrorCode' in r).length, Records: out, EncryptionType: 'NONE' };
}
