import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeltaTable, parseStats } from '../../src/delta/index.js';
import { useDeltaFixture } from './temp-store.js';

const fx = useDeltaFixture();

async function sortedRows(t: DeltaTable): Promise<string[]> {
  return (await t.readRows()).map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
}

describe('Delta maintenance', () => {
  it('optimize compacts small files into one without changing the rows', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/t', {
      sql: fx.sql,
      columns: [
        { name: 'v', type: 'long' },
        { name: 's', type: 'string' },
      ],
    });
    for (let i = 0; i < 12; i++) await t.append(`SELECT range AS v, 'row ' || range AS s FROM range(${i * 10}, ${i * 10 + 10})`);
    const before = await sortedRows(t);
    const r = await t.optimize();
    assert.deepEqual(r, { version: 13, filesRemoved: 12, filesAdded: 1 });
    const snap = await t.snapshot();
    assert.equal(snap.files.length, 1);
    assert.equal(snap.files[0].dataChange, false);
    assert.equal(parseStats(snap.files[0])?.numRecords, 120);
    assert.ok(snap.tombstones.every((x) => x.dataChange === false));
    assert.deepEqual(await sortedRows(t), before);
    assert.equal(await t.optimize(), undefined, 'nothing left to compact');

    const names = async (): Promise<string[]> => (await fs.readdir(join(fx.tmp.dir, 'tables/t'))).filter((n) => n.endsWith('.parquet'));
    assert.equal((await names()).length, 13);
    const v = await t.vacuum({ retentionMs: 0 });
    assert.equal(v.deleted.length, 12);
    assert.deepEqual(await names(), [snap.files[0].path]);
    assert.deepEqual(await sortedRows(await DeltaTable.open(fx.tmp.store, 'tables/t', { sql: fx.sql })), before);
  });

  it('optimize works per partition and leaves big files alone', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'p', {
      sql: fx.sql,
      columns: [
        { name: 'k', type: 'string' },
        { name: 'v', type: 'long' },
      ],
      partitionColumns: ['k'],
    });
    for (let i = 0; i < 3; i++) await t.append(`SELECT CASE WHEN range % 2 = 0 THEN 'even' ELSE 'odd' END AS k, range + ${i * 100} AS v FROM range(10)`);
    await t.append(`SELECT NULL::VARCHAR AS k, range AS v FROM range(5)`);
    await t.append(`SELECT 'big' AS k, range AS v FROM range(100000)`);
    const before = await sortedRows(t);
    const big = (await t.snapshot()).files.find((f) => f.partitionValues.k === 'big')!;
    const r = await t.optimize({ targetFileBytes: big.size });
    assert.deepEqual(r && [r.filesRemoved, r.filesAdded], [6, 2]);
    const snap = await t.snapshot();
    assert.equal(snap.files.length, 4);
    assert.ok(
      snap.files.some((f) => f.path === big.path),
      'a file at the target size is not rewritten',
    );
    for (const f of snap.files) if (f.partitionValues.k) assert.ok(decodeURIComponent(f.path).startsWith(`k=${f.partitionValues.k}/`), f.path);
    assert.deepEqual(await sortedRows(t), before);
  });

  it('vacuum keeps files younger than the retention and files still referenced', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    await t.append('SELECT 1 AS v');
    await t.overwrite('SELECT 2 AS v');
    assert.deepEqual((await t.vacuum({ retentionMs: 60_000 })).deleted, []);
    const later = Date.now() + 120_000;
    const v = await t.vacuum({ retentionMs: 60_000, now: later });
    assert.equal(v.deleted.length, 1);
    assert.deepEqual(await t.readRows(), [{ v: 2n }]);
    assert.equal((await fs.readdir(join(fx.tmp.dir, 't/_delta_log'))).length, 3);
  });
});
