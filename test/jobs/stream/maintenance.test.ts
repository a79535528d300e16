import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DeltaTable } from '../../../src/delta/index.js';
import { generateRow } from '../../../src/emulator/index.js';
import { readCheckpoint } from '../../../src/jobs/stream/index.js';
import { jobEnv, put, readTable, sortByInd, TABLES, until, type JobEnv } from './helpers.js';

let env: JobEnv;
beforeEach(async () => {
  env = await jobEnv({ maxBatchRecords: 5, compactEveryCommits: 0, vacuumIntervalMs: 0 });
});
afterEach(() => env.cleanup());

const geos = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => JSON.stringify(generateRow(from + i, 5).geo));

describe('stream table maintenance', () => {
  it('compaction keeps the rows identical, leaves fewer files, and the job goes on from the same positions', async () => {
    await put(env.log, 'geo', geos(0, 60));
    const job = await env.job();
    await job.caughtUp();
    const before = await readTable(env, 'geo');
    assert.ok(before.files.length >= 12, `${before.files.length} small files`);
    assert.ok(before.checkpointVersion !== undefined && before.checkpointVersion >= 10, 'a checkpoint every 10 commits');
    const r = await job.maintenance.compact(TABLES.geo);
    assert.equal(r?.filesRemoved, before.files.length);
    const after = await readTable(env, 'geo');
    assert.equal(after.files.length, 1);
    assert.deepEqual(sortByInd(after.rows), sortByInd(before.rows));
    const t = await DeltaTable.open(env.store, TABLES.geo);
    const log = (await t.store.get(`${TABLES.geo}/_delta_log/${String(after.version).padStart(20, '0')}.json`)).toString();
    assert.match(log, /"operation":"OPTIMIZE"/);
    assert.match(log, /"dataChange":false/);
    assert.equal((await readCheckpoint(t, 'pinpipe-stream-geo'))?.cursors.get(0)?.position, '59', 'positions survive compaction');
    await put(env.log, 'geo', geos(60, 10));
    await job.caughtUp();
    assert.equal((await readTable(env, 'geo')).rows.length, 70);
    await t.close();
  });

  it('compacts in the background every compactEveryCommits commits, while batches keep committing', async () => {
    const job = await env.job({ config: { compactEveryCommits: 4 } });
    for (let i = 0; i < 8; i++) {
      await put(env.log, 'geo', geos(i * 5, 5));
      await job.caughtUp();
    }
    await until(async () => (await readTable(env, 'geo')).files.length < 8, 20_000, 'a background compaction');
    const t = await readTable(env, 'geo');
    assert.equal(t.rows.length, 40);
    assert.equal(new Set(t.rows.map((r) => r.ind)).size, 40);
  });

  it('vacuum deletes files no version references once older than the retention, never live ones', async () => {
    await put(env.log, 'geo', geos(0, 20));
    const job = await env.job();
    await job.caughtUp();
    await job.maintenance.compact(TABLES.geo);
    const dir = join(env.lakeDir, TABLES.geo);
    const onDisk = () => readdirSync(dir).filter((f) => f.endsWith('.parquet'));
    const live = (await readTable(env, 'geo')).files;
    assert.ok(onDisk().length > live.length);
    assert.deepEqual((await job.maintenance.vacuum(TABLES.geo)).deleted, [], 'nothing is old enough yet');
    const r = await job.maintenance.vacuum(TABLES.geo, Date.now() + env.config.historyRetentionMs + 1000);
    assert.equal(r.deleted.length, onDisk().length + r.deleted.length - live.length);
    assert.deepEqual(onDisk().sort(), live.map((f) => decodeURIComponent(f)).sort());
    assert.equal((await readTable(env, 'geo')).rows.length, 20);
  });

  it('writes the tombstone retention into new tables (what checkpoints keep)', async () => {
    await env.job();
    const t = await DeltaTable.open(env.store, TABLES.pin);
    assert.equal((await t.snapshot()).configuration['delta.deletedFileRetentionDuration'], `interval ${env.config.historyRetentionMs / 1000} seconds`);
    await t.close();
  });
});

describe('stream table log cleanup', () => {
  it('deletes old log files but keeps the commit holding the positions, so a restart goes on exactly', async () => {
    await put(env.log, 'geo', geos(0, 94)); // 19 batches of 5 → versions 1..19
    let job = await env.job();
    await job.caughtUp();
    await job.stop();
    const t = await DeltaTable.open(env.store, TABLES.geo);
    const positions = (await readCheckpoint(t, 'pinpipe-stream-geo'))!;
    assert.equal(positions.version, 19);
    job = await env.job();
    await job.maintenance.compact(TABLES.geo); // version 20, checkpointed: newer than the positions commit
    const later = Date.now() + env.config.historyRetentionMs + 60_000;
    const deleted = await job.maintenance.cleanupLog(TABLES.geo, later);
    assert.ok(deleted.length >= 10, `${deleted.length} log files deleted`);
    assert.ok(!deleted.some((k) => k.endsWith(`${String(19).padStart(20, '0')}.json`)), 'the positions commit stays');
    await put(env.log, 'geo', geos(94, 6));
    await job.caughtUp();
    await job.stop();
    const after = await readTable(env, 'geo');
    assert.equal(after.rows.length, 100);
    assert.equal(new Set(after.rows.map((r) => r.ind)).size, 100);
    await t.close();
  });
});
