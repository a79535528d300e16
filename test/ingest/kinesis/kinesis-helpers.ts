import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseConfig } from '../../../src/core/config.js';
import { registerJsonParsers } from '../../../src/ingest/content-types.js';
import { registerKinesis } from '../../../src/ingest/kinesis/index.js';
import { openSqliteLog, type SqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { tempDir } from '../../helpers/temp.js';

export const AMZ_JSON = 'application/x-amz-json-1.1';

/** Call a Kinesis JSON 1.1 operation through `app.inject`; returns status and parsed body. */
export async function kinesis(app: FastifyInstance, op: string, input: unknown = {}, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': AMZ_JSON, 'x-amz-target': `Kinesis_20131202.${op}`, ...headers },
    payload: typeof input === 'string' ? input : JSON.stringify(input),
  });
  return { status: res.statusCode, body: res.body.length > 0 ? res.json() : undefined, headers: res.headers };
}

/** `Data` for the Kinesis API: base64 of the UTF-8 text. */
export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
export const unb64 = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

/** Every record of a shard from TRIM_HORIZON, through GetRecords. */
export async function readShard(app: FastifyInstance, stream: string, shard = 'shardId-000000000000') {
  const it = await kinesis(app, 'GetShardIterator', { StreamName: stream, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' });
  const got = await kinesis(app, 'GetRecords', { ShardIterator: it.body.ShardIterator });
  return got.body.Records as { SequenceNumber: string; PartitionKey: string; Data: string; ApproximateArrivalTimestamp: number }[];
}

/** A manual clock for iterator expiry. */
export class ManualClock {
  constructor(public ms = Date.now()) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Only the Kinesis plugin on a fresh sqlite log, with an injected clock (buildApp has no clock seam). */
export async function makeClockApp(clock: ManualClock): Promise<{ app: FastifyInstance; log: SqliteLog; close(): Promise<void> }> {
  const { dir, cleanup } = tempDir('pinpipe-kinesis');
  const log = await openSqliteLog({ path: join(dir, 'log.db'), fsync: 'off' });
  const api = parseConfig({ dataDir: dir }).api;
  const app = Fastify();
  registerJsonParsers(app, api.maxBodyBytes, api.maxJsonDepth);
  await registerKinesis(app, { log, api, now: clock.now });
  await app.ready();
  return {
    app,
    log,
    async close() {
      await app.close();
      await log.close();
      cleanup();
    },
  };
}
