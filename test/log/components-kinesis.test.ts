/**
 * The components on Kinesis (moto), unchanged: the stream job (positions in the Delta commits,
 * lag and caught-up counted through the log) and pinpipe's own Kinesis API over a Kinesis-backed
 * streams log (its sequence numbers carry Kinesis' own, and iterators resume from them).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/ingest/app.js';
import { openLogUrl, openSqliteLog } from '../../src/log/index.js';
import type { Log } from '../../src/log/log.js';
import { motoPeer, type MotoServer } from '../helpers/peers/moto.js';
import { tempDir } from '../helpers/temp.js';
import { b64, kinesis, unb64 } from '../ingest/kinesis/kinesis-helpers.js';
import { streamJobRoundTrip } from './components-helpers.js';
import { readAll, uniqueTopic } from './log-contract.js';

const moto = await motoPeer();
const T = { timeout: 180_000 };

/** The Kinesis log on moto, opened as `--streams kinesis://<region>` is (endpoint and credentials from the AWS environment). */
async function kinesisLogOn(m: MotoServer): Promise<Log> {
  Object.assign(process.env, m.env);
  const cfg = parseConfig({});
  return openLogUrl(`kinesis://${m.region}`, cfg.log, cfg.streams);
}

describe('components on Kinesis (moto)', { skip: moto.skip }, () => {
  const server = moto.use();

  it('the stream job keeps its positions in the table and goes on from them after a restart', T, async () => {
    const log = await kinesisLogOn(server());
    try {
      await streamJobRoundTrip(log, 2);
    } finally {
      await log.close();
    }
  });

  it("pinpipe's Kinesis API answers with sequence numbers carrying Kinesis' own, and its iterators resume from them", T, async () => {
    const streams = await kinesisLogOn(server());
    const { dir, cleanup } = tempDir('pinpipe-kinesis-api');
    const config = parseConfig({ dataDir: dir, api: { parseThreads: 0 } });
    const topics = await openSqliteLog({ path: join(dir, 'log.db'), fsync: 'off' });
    const app = await buildApp({ config, log: topics, streams, logger: createLogger('silent') });
    try {
      const stream = uniqueTopic('api');
      assert.equal((await kinesis(app, 'CreateStream', { StreamName: stream, ShardCount: 1 })).status, 200);
      const put = await kinesis(app, 'PutRecords', { StreamName: stream, Records: ['a', 'b', 'c'].map((v) => ({ Data: b64(v), PartitionKey: v })) });
      assert.equal(put.status, 200);
      const seqs = (put.body.Records as { SequenceNumber: string; ShardId: string }[]).map((r) => r.SequenceNumber);
      const real = (await readAll(streams, stream, 0)).map((r) => r.position);
      assert.equal(real.length, 3);
      assert.deepEqual(
        seqs.map((s) => BigInt(s.slice(8))),
        real.map((r) => BigInt(r)),
        "Kinesis' sequence numbers after the lead and the shard",
      );
      const iterator = async (type: string, extra: Record<string, string> = {}) =>
        (await kinesis(app, 'GetShardIterator', { StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: type, ...extra })).body
          .ShardIterator as string;
      const get = async (it: string) => {
        const r = await kinesis(app, 'GetRecords', { ShardIterator: it });
        assert.equal(r.status, 200);
        return r.body as { Records: { SequenceNumber: string; Data: string }[]; NextShardIterator: string; MillisBehindLatest: number };
      };
      const all = await get(await iterator('TRIM_HORIZON'));
      assert.deepEqual(
        all.Records.map((r) => [r.SequenceNumber, unb64(r.Data)]),
        [
          [seqs[0], 'a'],
          [seqs[1], 'b'],
          [seqs[2], 'c'],
        ],
      );
      assert.equal(all.MillisBehindLatest, 0, 'at the tip');
      const after = await get(await iterator('AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[0] }));
      assert.deepEqual(
        after.Records.map((r) => unb64(r.Data)),
        ['b', 'c'],
      );
      const at = await get(await iterator('AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[2] }));
      assert.deepEqual(
        at.Records.map((r) => unb64(r.Data)),
        ['c'],
      );
      const latest = await iterator('LATEST');
      assert.equal((await get(latest)).Records.length, 0, 'LATEST starts after the newest record');
      await kinesis(app, 'PutRecord', { StreamName: stream, Data: b64('d'), PartitionKey: 'd' });
      assert.deepEqual(
        (await get(latest)).Records.map((r) => unb64(r.Data)),
        ['d'],
      );
      assert.deepEqual(
        (await get(all.NextShardIterator)).Records.map((r) => unb64(r.Data)),
        ['d'],
        'the next iterator goes on after the last record read',
      );
    } finally {
      await app.close();
      await topics.close();
      await streams.close();
      cleanup();
    }
  });
});
