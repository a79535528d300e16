import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DeltaTable } from '../../src/delta/index.js';
import { readDeltaTableIndependently } from '../helpers/independent-delta.js';
import { useDeltaFixture } from './temp-store.js';

const fx = useDeltaFixture();

const logFiles = (table: string): string[] =>
  readdirSync(join(fx.tmp.dir, table, '_delta_log'))
    .filter((n) => /^\d{20}\./.test(n))
    .sort();

describe('log cleanup', () => {
  it('deletes the log before the newest checkpoint older than the retention; readers and the independent reader still see every row', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/lc', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    for (let i = 1; i <= 25; i++) await t.append(`SELECT ${i} AS v`); // checkpoints at 10 and 20
    assert.deepEqual(await t.cleanupLog({ retentionMs: 3_600_000 }), [], 'nothing is old enough');
    const kept = await t.cleanupLog({ retentionMs: 3_600_000, now: Date.now() + 7_200_000, keepFrom: 15 });
    assert.equal(kept.length, 10, 'keepFrom 15: only the commits below the checkpoint at 10 go');
    const deleted = await t.cleanupLog({ retentionMs: 3_600_000, now: Date.now() + 7_200_000 });
    assert.ok(deleted.some((k) => k.endsWith('00000000000000000010.checkpoint.parquet')));
    assert.equal(logFiles('tables/lc')[0], '00000000000000000020.checkpoint.parquet');
    const fresh = await DeltaTable.open(fx.tmp.store, 'tables/lc', { sql: fx.sql });
    assert.equal((await fresh.readRows()).length, 25);
    assert.equal((await readDeltaTableIndependently(join(fx.tmp.dir, 'tables/lc'))).rows.length, 25);
    await assert.rejects(fresh.snapshot(15));
    assert.equal((await fresh.append('SELECT 26 AS v')).version, 26, 'writing goes on');
  });

  it('a long-lived table handle forgets tombstones past the retention (regression: they piled up forever)', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/tomb', {
      sql: fx.sql,
      columns: [{ name: 'v', type: 'long' }],
      configuration: { 'delta.deletedFileRetentionDuration': 'interval 1 seconds' },
    });
    for (let i = 0; i < 3; i++) await t.append(`SELECT ${i} AS v`);
    await t.optimize();
    assert.equal((await t.snapshot()).tombstones.length, 3);
    await sleep(1100);
    await t.append('SELECT 9 AS v');
    assert.equal((await t.snapshot()).tombstones.length, 0);
    const other = await DeltaTable.open(fx.tmp.store, 'tables/tomb', { sql: fx.sql });
    await t.append('SELECT 10 AS v');
    assert.equal((await other.snapshot()).tombstones.length, 0, 'also when refreshed from commits');
    assert.equal((await other.readRows()).length, 5);
  });
});
