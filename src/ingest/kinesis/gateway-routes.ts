import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../../core/errors.js';
import type { KinesisContext } from './context.js';
import { streamDescription } from './describe.js';
import { inputObject, optInt } from './input.js';
import { assertRecordCount, putRecords, type PutEntry } from './put-records.js';
import { regionOf } from './request-region.js';
import { assertStreamName } from './stream-catalog.js';

type StreamParams = { Params: { stream: string } };

/** The JSON text a gateway record stores: its `Data` as JSON (what API Gateway's `$input.json('$.Data')` gives). */
function dataText(data: unknown, field: string): string {
  if (data === undefined)
    throw new PinpipeError('KINESIS_VALIDATION', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return JSON.stringify(data);
}

/**
 * The API-Gateway Kinesis proxy the original project set up (docs/wire-formats.md §6.2), `Content-Type: application/json`.
 * The stream is the one in the path (a `StreamName` in the body is ignored, as the gateway's mapping did).
 * A PUT to a missing stream creates it with one shard when `autoCreate` is on.
 */
export function registerGatewayRoutes(scope: FastifyInstance, ctx: KinesisContext): void {
  scope.get('/streams', async () => ({ StreamNames: (await ctx.streams.list()).map((s) => s.name), HasMoreStreams: false }));

  scope.get<StreamParams>('/streams/:stream', async (req) => {
    const stream = await ctx.streams.require(assertStreamName(req.params.stream));
    return { StreamDescription: streamDescription(stream, regionOf(req), 0, 10_000) };
  });

  scope.post<StreamParams>('/streams/:stream', async (req) => {
    const name = assertStreamName(req.params.stream);
    await ctx.streams.create(name, optInt(inputObject(req.body), 'ShardCount', 1, 100_000) ?? 1);
    return {};
  });

  scope.delete<StreamParams>('/streams/:stream', async (req) => {
    await ctx.streams.delete(assertStreamName(req.params.stream));
    return {};
  });

  scope.put<StreamParams>('/streams/:stream/record', async (req) => {
    const name = assertStreamName(req.params.stream);
    const body = inputObject(req.body);
    const entry: PutEntry = { partitionKey: body.PartitionKey, data: dataText(body.Data, 'data') };
    const stream = await ctx.streams.forPut(name, ctx.autoCreate);
    const [r] = await putRecords(ctx.log, stream, [entry], ctx.limits, true);
    return r;
  });

  scope.put<StreamParams>('/streams/:stream/records', async (req) => {
    const name = assertStreamName(req.params.stream);
    const records = inputObject(req.body).records;
    if (!Array.isArray(records))
      throw new PinpipeError(
        'KINESIS_VALIDATION',
        `1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must be an array of {"data", "partition-key"}`,
      );
    assertRecordCount(records.length, ctx.limits);
    const entries = records.map((r: unknown, i): PutEntry => {
      if (!r || typeof r !== 'object' || Array.isArray(r))
        throw new PinpipeError('KINESIS_VALIDATION', `1 validation error detected: records[${i}] must be an object {"data", "partition-key"}`);
      const rec = r as Record<string, unknown>;
      return { partitionKey: rec['partition-key'], data: dataText(rec.data, `records.${i + 1}.member.data`) };
    });
    const stream = await ctx.streams.forPut(name, ctx.autoCreate);
    const out = await putRecords(ctx.log, stream, entries, ctx.limits);
    return { FailedRecordCount: out.filter((r) => 'ErrorCode' in r).length, Records: out, EncryptionType: 'NONE' };
  });
}
