import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { DeltaTable, readLastCheckpoint } from '../../src/delta/index.js';
import { readDeltaTableIndependently } from '../helpers/independent-delta.js';
import { WrappedStore, useDeltaFixture } from './temp-store.js';

const fx = useDeltaFixture();

const name = (v: number, suffix = 'json'): string => `${String(v).padStart(20, '0')}.${suffix}`;

async function values(t: DeltaTable, version?: number): Promise<number[]> {
  const snap = await t.snapshot(version);
  return (await t.readRows<{ v: bigint }>(snap)).map((r) => Number(r.v)).sort((a, b) => a - b);
}

async function tableWithCommits(n: number, configuration?: Record<string, string>): Promise<DeltaTable> {
  const t = await DeltaTable.create(fx.tmp.store, 'tables/t', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }], configuration });
  for (let i = 1; i <= n; i++) await t.append(`SELECT ${i} AS v`, { txn: { appId: 'job', version: i } });
  return t;
}

describe('Delta checkpoints', () => {
  it('writes a checkpoint at version 10 that a reader can use on its own', async () => {
    const t = await tableWithCommits(12);
    await t.overwrite('SELECT v FROM range(100, 103) r(v)'); // version 13: tombstones
    const log = join(fx.tmp.dir, 'tables/t/_delta_log');
    assert.ok((await fs.readdir(log)).includes(name(10, 'checkpoint.parquet')));
    assert.deepEqual(await readLastCheckpoint(fx.tmp.store, 'tables/t'), {
      version: 10,
      size: 13,
      sizeInBytes: (await fs.stat(join(log, name(10, 'checkpoint.parquet')))).size,
      numOfAddFiles: 10,
    });

    // Only the checkpoint and the commits after it: delete commits 0..9 in a copy.
    const copyDir = join(fx.tmp.dir, 'copy');
    await fs.cp(join(fx.tmp.dir, 'tables/t'), join(copyDir, 't'), { recursive: true });
    for (let v = 0; v <= 9; v++) await fs.rm(join(copyDir, 't/_delta_log', name(v)));
    const copy = await DeltaTable.open(new LocalObjectStore(copyDir), 't', { sql: fx.sql });
    const snap = await copy.snapshot();
    assert.equal(snap.version, 13);
    assert.equal(snap.state.checkpointVersion, 10);
    assert.equal(snap.txnVersion('job'), 12);
    assert.deepEqual(await values(copy), [100, 101, 102]);
    assert.deepEqual(await values(copy, 11), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal((await copy.snapshot(10)).txnVersion('job'), 10);
    await assert.rejects(copy.snapshot(9), /missing|not 0/);

    const independent = await readDeltaTableIndependently(join(copyDir, 't'), { version: 11 });
    assert.equal(independent.checkpointVersion, 10);
    assert.deepEqual(
      independent.rows.map((r) => Number(r.v)).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    );
    assert.deepEqual(independent.txns, { job: 11 });
  });

  it('honours delta.checkpointInterval and keeps tombstones and txns in checkpoints', async () => {
    const t = await tableWithCommits(2, { 'delta.checkpointInterval': '3' });
    await t.overwrite('SELECT 42 AS v'); // version 3 → checkpoint with 2 tombstones
    const names = await fs.readdir(join(fx.tmp.dir, 'tables/t/_delta_log'));
    assert.deepEqual(
      names.filter((n) => n.includes('checkpoint.parquet')),
      [name(3, 'checkpoint.parquet')],
    );
    const rows = await fx.sql.all<{ kind: string; n: bigint }>(
      `SELECT CASE WHEN add IS NOT NULL THEN 'add' WHEN remove IS NOT NULL THEN 'remove' WHEN txn IS NOT NULL THEN 'txn' WHEN metaData IS NOT NULL THEN 'metaData' ELSE 'protocol' END AS kind, count(*) AS n
       FROM read_parquet('${join(fx.tmp.dir, 'tables/t/_delta_log', name(3, 'checkpoint.parquet'))}') GROUP BY ALL ORDER BY kind`,
    );
    assert.deepEqual(
      rows.map((r) => [r.kind, Number(r.n)]),
      [
        ['add', 1],
        ['metaData', 1],
        ['protocol', 1],
        ['remove', 2],
        ['txn', 1],
      ],
    );
  });

  it('does not fail a commit when its checkpoint cannot be written', async () => {
    const store = new WrappedStore(fx.tmp.store);
    const errors: unknown[] = [];
    const t = await DeltaTable.create(store, 't', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }], onCheckpointError: (e) => errors.push(e) });
    store.failPut = (key) => (key.endsWith('.checkpoint.parquet') ? new Error('disk full') : undefined);
    for (let i = 1; i <= 10; i++) await t.append(`SELECT ${i} AS v`);
    assert.equal(errors.length, 1);
    assert.equal((await t.snapshot()).version, 10);
    assert.equal(await readLastCheckpoint(fx.tmp.store, 't'), undefined);
    assert.equal((await (await DeltaTable.open(fx.tmp.store, 't', { sql: fx.sql })).readRows()).length, 10);
  });

  it('falls back when _last_checkpoint is stale or a checkpoint is unreadable', async () => {
    const t = await tableWithCommits(21);
    const log = join(fx.tmp.dir, 'tables/t/_delta_log');
    const expected = await values(t);
    const fresh = async (): Promise<DeltaTable> => DeltaTable.open(new LocalObjectStore(fx.tmp.dir), 'tables/t', { sql: fx.sql });

    await fs.writeFile(join(log, '_last_checkpoint'), JSON.stringify({ version: 10, size: 13 })); // stale hint
    let snap = await (await fresh()).snapshot();
    assert.equal(snap.state.checkpointVersion, 20, 'the newest complete checkpoint wins');
    assert.deepEqual(await values(await fresh()), expected);

    await fs.writeFile(join(log, name(20, 'checkpoint.parquet')), 'not parquet'); // corrupt newest checkpoint
    snap = await (await fresh()).snapshot();
    assert.equal(snap.state.checkpointVersion, 10);
    assert.equal(snap.version, 21);
    assert.deepEqual(await values(await fresh()), expected);

    await fs.writeFile(join(log, name(10, 'checkpoint.parquet')), 'not parquet either');
    snap = await (await fresh()).snapshot();
    assert.equal(snap.state.checkpointVersion, undefined, 'replayed from version 0');
    assert.deepEqual(await values(await fresh()), expected);

    await fs.writeFile(join(log, `${name(30, 'checkpoint')}.0000000001.0000000002.parquet`), 'part 1 of an unfinished multi-part checkpoint');
    assert.equal((await (await fresh()).snapshot()).version, 21, 'incomplete multi-part checkpoints are ignored');
  });
});
