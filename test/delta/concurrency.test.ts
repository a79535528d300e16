import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { isError } from '../../src/core/errors.js';
import { commit, DeltaTable } from '../../src/delta/index.js';
import { tempStore, type TempStore } from './temp-store.js';

let tmp: TempStore;
let dbs: Sql[] = [];
beforeEach(async () => {
  tmp = await tempStore();
});
afterEach(async () => {
  for (const db of dbs) db.close();
  dbs = [];
  await tmp.cleanup();
});

/** `n` independent writers (each its own DuckDB and DeltaTable) on one table. */
async function writers(n: number): Promise<DeltaTable[]> {
  const first = await openDuckDB();
  dbs.push(first);
  await DeltaTable.create(tmp.store, 't', { sql: first, columns: [{ name: 'v', type: 'long' }] });
  const out: DeltaTable[] = [];
  for (let i = 0; i < n; i++) {
    const db = await openDuckDB();
    dbs.push(db);
    out.push(await DeltaTable.open(tmp.store, 't', { sql: db }));
  }
  return out;
}

describe('concurrent Delta committers', () => {
  it('lands every concurrent append at its own version, losing none', async () => {
    const ws = await writers(6);
    const perWriter = 8;
    let attempts = 0;
    const results = await Promise.all(
      ws.map(async (w, wi) => {
        const versions: number[] = [];
        for (let i = 0; i < perWriter; i++) {
          const r = await w.append(`SELECT ${wi * 1000 + i} AS v`);
          versions.push(r.version);
          attempts += r.attempts;
        }
        return versions;
      }),
    );
    assert.ok(attempts > 6 * perWriter, `the writers did race (${attempts} put attempts for ${6 * perWriter} commits)`);
    const all = results.flat().sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 6 * perWriter }, (_, i) => i + 1),
      'distinct, contiguous versions',
    );
    const reader = await DeltaTable.open(tmp.store, 't', { sql: dbs[0] });
    const rows = (await reader.readRows<{ v: bigint }>()).map((r) => Number(r.v)).sort((a, b) => a - b);
    const expected = ws.flatMap((_, wi) => Array.from({ length: perWriter }, (_, i) => wi * 1000 + i)).sort((a, b) => a - b);
    assert.deepEqual(rows, expected);
    const names = await fs.readdir(join(tmp.dir, 't/_delta_log'));
    assert.equal(names.filter((n) => /^\d{20}\.json$/.test(n)).length, 6 * perWriter + 1);
  });

  it('detects a txn that a concurrent writer already committed', async () => {
    const ws = await writers(5);
    const results = await Promise.all(ws.map((w) => w.append('SELECT 7 AS v', { txn: { appId: 'stream-job', version: 3 } })));
    assert.equal(results.filter((r) => r.committed).length, 1, 'exactly one commit');
    assert.ok(results.every((r) => r.version === 1));
    const reader = await DeltaTable.open(tmp.store, 't', { sql: dbs[0] });
    assert.equal((await reader.readRows()).length, 1);
    assert.equal((await reader.snapshot()).txnVersion('stream-job'), 3);
  });

  it('commits a write planned on an older snapshot (basis) on top of that snapshot: a commit made since is a lost race, not a silent base', async () => {
    const [planner, other] = await writers(2);
    const basis = await planner.snapshot();
    await other.append('SELECT 1 AS v');
    const strict = await DeltaTable.open(tmp.store, 't', { sql: dbs[1], maxCommitRetries: 0 });
    await assert.rejects(strict.append('SELECT 2 AS v', { basis }), (err: unknown) => isError(err, 'DELTA_COMMIT_RETRIES'));
    assert.deepEqual(
      (await strict.readRows<{ v: bigint }>()).map((r) => Number(r.v)),
      [1],
      'the stale write left nothing',
    );
    // Without a basis the write plans on the latest snapshot and commits.
    assert.equal((await strict.append('SELECT 2 AS v')).version, 2);
    await assert.rejects(
      strict.append('SELECT 3 AS v', {
        basis: await (await DeltaTable.create(tmp.store, 'u', { sql: dbs[1], columns: [{ name: 'v', type: 'long' }] })).snapshot(),
      }),
      /cannot be the basis/,
    );
  });

  it('refuses a commit whose removed file a concurrent commit removed first', async () => {
    const [w] = await writers(1);
    await w.append('SELECT 1 AS v');
    const base = await w.snapshot();
    const [file] = base.files;
    const first = await commit(tmp.store, base, { operation: 'DELETE', adds: [], removes: [file] }, 10);
    assert.equal(first.version, 2);
    await assert.rejects(commit(tmp.store, base, { operation: 'DELETE', adds: [], removes: [file] }, 10), (err: unknown) => isError(err, 'DELTA_CONFLICT'));
    // A blind append from the same stale base just moves on to the next version.
    const appended = await commit(tmp.store, base, { operation: 'WRITE', adds: [{ ...file, path: 'other.parquet' }], isBlindAppend: true }, 10);
    assert.equal(appended.version, 3);
  });

  it('gives up after the configured number of lost races', async () => {
    const [w] = await writers(1);
    const base = await w.snapshot();
    await w.append('SELECT 1 AS v');
    await w.append('SELECT 2 AS v');
    await assert.rejects(commit(tmp.store, base, { operation: 'WRITE', adds: [] }, 0), (err: unknown) => isError(err, 'DELTA_COMMIT_RETRIES'));
  });

  it('serialises overwrites and optimize with concurrent appends without losing rows', async () => {
    const [a, b, c] = await writers(3);
    for (let i = 0; i < 4; i++) await a.append(`SELECT ${i} AS v`);
    await Promise.all([
      (async () => {
        for (let i = 10; i < 16; i++) await b.append(`SELECT ${i} AS v`);
      })(),
      c.optimize({ targetFileBytes: 1 << 20 }),
    ]);
    const rows = (await a.readRows<{ v: bigint }>()).map((r) => Number(r.v)).sort((x, y) => x - y);
    assert.deepEqual(rows, [0, 1, 2, 3, 10, 11, 12, 13, 14, 15]);
    await Promise.all([b.append('SELECT 99 AS v'), c.overwrite('SELECT 50 AS v')]);
    const after = (await a.readRows<{ v: bigint }>()).map((r) => Number(r.v)).sort((x, y) => x - y);
    assert.ok(JSON.stringify(after) === '[50]' || JSON.stringify(after) === '[50,99]', `serial outcome, got ${JSON.stringify(after)}`);
  });
});
