import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { envOverrides, loadConfig } from '../../../src/core/config.js';
import { DeltaTable } from '../../../src/delta/index.js';
import { generateRow } from '../../../src/emulator/index.js';
import { readCheckpoint, readJobStatus } from '../../../src/jobs/stream/index.js';
import { RECORD_KINDS } from '../../../src/transforms/index.js';
import { expectedRows, jobEnv, PREFIX, put, readTable, sortByInd, STREAMS, TABLES, until, type JobEnv } from './helpers.js';

let env: JobEnv;
beforeEach(async () => {
  env = await jobEnv();
});
afterEach(() => env.cleanup());

/** Emulator rows `from..to` (with repeats) as payload texts per kind. */
function rows(ids: readonly number[]): Record<'pin' | 'geo' | 'user', string[]> {
  const out = { pin: [] as string[], geo: [] as string[], user: [] as string[] };
  for (const i of ids) {
    const row = generateRow(i, 7);
    for (const kind of RECORD_KINDS) out[kind].push(JSON.stringify(row[kind]));
  }
  return out;
}

describe('stream job', () => {
  it('cleans every stream into its table, one row per ind, rejects apart', async () => {
    const sent = rows(Array.from({ length: 60 }, (_, i) => i % 40));
    sent.pin.push('not json', '{"title": "no index"}');
    sent.geo.push('[1,2]');
    for (const kind of RECORD_KINDS) await put(env.log, kind, sent[kind]);
    const job = await env.job();
    await job.caughtUp();
    await job.stop();
    for (const kind of RECORD_KINDS) {
      const t = await readTable(env, kind);
      assert.deepEqual(sortByInd(t.rows), expectedRows(kind, sent[kind], t.schema), kind);
    }
    const rejects = await readTable(env, 'rejects');
    assert.deepEqual(rejects.rows.map((r) => [r.kind, r.reason, r.payload]).sort(), [
      ['geo', 'not_object', '[1,2]'],
      ['pin', 'missing_key', '{"title": "no index"}'],
      ['pin', 'not_json', 'not json'],
    ]);
    assert.ok(
      rejects.rows.every((r) => /^streaming-tst-(pin|geo)\+0\+\d+$/.test(String(r.source))),
      'rejects carry their stream position',
    );
  });

  it('reads every shard, and a restarted job goes on from the positions its tables hold', async () => {
    await env.log.createTopic(STREAMS.pin, { partitions: 3 });
    const first = rows(Array.from({ length: 90 }, (_, i) => i));
    for (let p = 0; p < 3; p++)
      await put(
        env.log,
        'pin',
        first.pin.filter((_, i) => i % 3 === p),
        p,
      );
    let job = await env.job({ config: { maxBatchRecords: 7 } });
    await job.caughtUp();
    await job.stop();
    let t = await readTable(env, 'pin');
    assert.equal(t.rows.length, 90);
    const table = await DeltaTable.open(env.store, TABLES.pin);
    const cp = await readCheckpoint(table, 'pinpipe-stream-pin');
    assert.deepEqual(Object.fromEntries(cp!.cursors), {
      0: { position: '29' },
      1: { position: '29' },
      2: { position: '29' },
    });
    assert.equal(t.txns['pinpipe-stream-pin'], cp!.batch);
    assert.ok(cp!.batch >= Math.ceil(90 / 7) - 1, `small batches: ${cp!.batch + 1} commits`);

    const second = rows(Array.from({ length: 120 }, (_, i) => 60 + i)); // 30 keys again, 90 new
    for (let p = 0; p < 3; p++)
      await put(
        env.log,
        'pin',
        second.pin.filter((_, i) => i % 3 === p),
        p,
      );
    job = await env.job();
    await job.caughtUp();
    await job.stop();
    t = await readTable(env, 'pin');
    assert.deepEqual(sortByInd(t.rows), expectedRows('pin', [...first.pin, ...second.pin], t.schema));
    assert.equal(job.streams.get('pin')!.stats.duplicates, 30, 'the keys already there are not appended again');
    await table.close();
  });

  it('commits a micro-batch that changes nothing only once positionCommitIntervalMs has passed, and on stop', async () => {
    const sent = rows([1, 2, 3]);
    await put(env.log, 'user', sent.user);
    const job = await env.job({ config: { positionCommitIntervalMs: 60_000 } });
    await job.caughtUp();
    const t = await DeltaTable.open(env.store, TABLES.user);
    const v = (await t.snapshot()).version;
    await put(env.log, 'user', sent.user); // the same keys again: nothing to add
    await job.caughtUp();
    assert.equal((await t.snapshot()).version, v, 'no commit for a batch of known keys');
    await job.stop();
    const cp = await readCheckpoint(t, 'pinpipe-stream-user');
    assert.equal(cp!.cursors.get(0)!.position, '5', 'stop commits the positions processed');
    assert.equal((await readTable(env, 'user')).rows.length, 3);
    await t.close();
  });

  it('creates missing streams (stream.shards) and reports status from the log and the tables', async () => {
    const job = await env.job({ config: { shards: 2 } });
    assert.equal((await env.log.describeTopic(STREAMS.geo))?.partitions, 2);
    await put(env.log, 'geo', rows([1, 2, 3, 4]).geo, 1);
    await job.caughtUp();
    await job.stop();
    const status = await readJobStatus({ log: env.log, store: env.store, prefix: PREFIX, jobId: 'pinpipe-stream' });
    const geo = status.streams.find((s) => s.kind === 'geo')!;
    assert.deepEqual([geo.shards, geo.logEnd, geo.committed, geo.lag, geo.table?.rows], [2, 4, 4, 0, 4]);
    assert.equal(status.rejects?.rows, 0);
  });

  it('waits for data, then picks it up well within a second', async () => {
    const job = await env.job({ config: { minIntervalMs: 50 } });
    await until(() => job.streams.get('pin')!.stats.batches === 0);
    const t0 = Date.now();
    await put(env.log, 'pin', rows([5]).pin);
    await until(async () => (await readTable(env, 'pin')).rows.length === 1, 10_000, 'the row');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });
});

describe('stream config', () => {
  it('takes PINPIPE_STREAM_* overrides', () => {
    const env = { PINPIPE_STREAM_MIN_INTERVAL_MS: '50', PINPIPE_STREAM_ENABLED: 'false', PINPIPE_STREAM_MAX_BATCH_RECORDS: '123' };
    assert.deepEqual(envOverrides(env), { stream: { minIntervalMs: 50, enabled: false, maxBatchRecords: 123 } });
    const c = loadConfig({ env });
    assert.equal(c.stream.minIntervalMs, 50);
    assert.equal(c.stream.enabled, false);
    assert.throws(() => loadConfig({ env: { PINPIPE_STREAM_HISTORY_RETENTION_MS: '1000' } }), /historyRetentionMs/);
  });
});
