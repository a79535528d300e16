import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinpipeError } from '../../core/errors.js';
import type { KinesisContext, RequestInfo } from './context.js';
import { getRecords, getShardIterator } from './get-records.js';
import type { RawBodyRequest } from '../auth.js';
import { bodyProblem } from '../json-limits.js';
import { inputObject, type Input } from './input.js';
import { kinesisMetrics } from './kinesis-metrics.js';
import { putRecord, putRecordsOperation } from './record-operations.js';
import { regionOf } from './request-region.js';
import { createStream, deleteStream, describeStream, describeStreamSummary, listShards, listStreams } from './stream-operations.js';

type Operation = (ctx: KinesisContext, input: Input, req: RequestInfo) => Promise<object>;

/** The Kinesis operations pinpipe implements, by their `X-Amz-Target` name. */
const OPERATIONS: Record<string, Operation> = {
  CreateStream: createStream,
  DeleteStream: deleteStream,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  ListStreams: listStreams,
  ListShards: listShards,
  PutRecord: putRecord,
  PutRecords: putRecordsOperation,
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};

const RESHARDING = new Set(['SplitShard', 'MergeShards', 'UpdateShardCount']);
const TARGET_PREFIX = 'Kinesis_20131202.';
export const AMZ_JSON = 'application/x-amz-json-1.1';

/** The operation a request names in `X-Amz-Target`; UnknownOperationException otherwise. */
function operationOf(req: FastifyRequest): [string, Operation] {
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (name !== undefined && RESHARDING.has(name))
    throw new PinpipeError(
      'KINESIS_RESHARDING_UNSUPPORTED',
      `${name}: resharding is not supported by pinpipe; a stream keeps the shard count it was created with (delete and re-create it to change it).`,
    );
  const op = name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (!op) {
    const what = typeof target === 'string' ? `Operation ${JSON.stringify(target.slice(0, 100))} is not supported` : 'Missing X-Amz-Target header';
    throw new PinpipeError(
      'KINESIS_UNKNOWN_OPERATION',
      `${what}; pinpipe implements ${Object.keys(OPERATIONS)
        .map((o) => TARGET_PREFIX + o)
        .join(', ')}.`,
    );
  }
  return [name!, op];
}

/**
 * The Kinesis API on AWS JSON 1.1: `POST /` with `X-Amz-Target: Kinesis_20131202.<Operation>`.
 * Call inside an encapsulated context whose error handler speaks the Kinesis error shape.
 */
export function registerJsonApi(scope: FastifyInstance, ctx: KinesisContext, maxBodyBytes: number, maxJsonDepth: number): void {
  scope.addContentTypeParser(AMZ_JSON, { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (req, body, done) => {
    (req as RawBodyRequest).rawBody = body as Buffer; // what a SigV4 signature covers
    let parsed: unknown;
    try {
      parsed = (body as Buffer).length === 0 ? undefined : JSON.parse((body as Buffer).toString('utf8'));
    } catch (err) {
      return done(new PinpipeError('INVALID_BODY', `Request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
    const problem = bodyProblem(parsed, maxJsonDepth);
    done(problem ? new PinpipeError('INVALID_BODY', problem) : null, problem ? undefined : parsed);
  });
  scope.post('/', async (req, reply) => {
    const [name, op] = operationOf(req);
    kinesisMetrics.requests.inc({ operation: name });
    const out = await op(ctx, inputObject(req.body), { region: regionOf(req) });
    return reply.header('x-amzn-RequestId', randomUUID()).type(AMZ_JSON).send(JSON.stringify(out));
  });
}
