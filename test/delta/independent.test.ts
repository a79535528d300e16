// Our reader and writer against an independent reader (test/helpers/independent-delta.ts: its own
// log replay, hyparquet for checkpoints and data). Both must see the same table.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { DeltaTable } from '../../src/delta/index.js';
import { fixtureDir } from '../helpers/fixtures.js';
import { canonicalRows, readDeltaTableIndependently, sortRows } from '../helpers/independent-delta.js';
import { useDeltaFixture } from './temp-store.js';

const GOLDEN = fixtureDir('delta-golden');

const fx = useDeltaFixture();

/** Assert our view of `table` in `store` equals the independent reader's view of `dir`. */
async function agree(store: LocalObjectStore, table: string, dir: string): Promise<void> {
  const ours = await DeltaTable.open(store, table, { sql: fx.sql });
  const snap = await ours.snapshot();
  const theirs = await readDeltaTableIndependently(dir);
  assert.equal(theirs.version, snap.version);
  assert.deepEqual(theirs.files, snap.files.map((f) => f.path).sort());
  assert.deepEqual(theirs.txns, snap.txns);
  assert.deepEqual(
    theirs.schema,
    snap.schema!.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })),
  );
  assert.deepEqual(sortRows(canonicalRows(await ours.readRows(), theirs.schema)), sortRows(theirs.rows));
}

describe('independent reader agrees with ours', () => {
  const golden = readdirSync(GOLDEN).filter((d) => {
    const p = join(GOLDEN, d, 'EXPECTED.json');
    if (!existsSync(p)) return false;
    const e = JSON.parse(readFileSync(p, 'utf8'));
    return e.expect === 'success' && e.readMode === 'full';
  });
  for (const name of golden) {
    it(`on the Spark-written golden table ${name}`, async () => {
      await agree(new LocalObjectStore(GOLDEN, { fsync: false }), name, join(GOLDEN, name));
    });
  }

  it('on a table of every type we write', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'all', {
      sql: fx.sql,
      columns: [
        { name: 'ind', type: 'long' },
        { name: 'country', type: 'string' },
        { name: 'coordinates', type: { type: 'array', elementType: 'double', containsNull: true } },
        { name: 'timestamp', type: 'timestamp' },
        { name: 'day', type: 'date' },
        { name: 'age', type: 'integer' },
        { name: 'ok', type: 'boolean' },
        { name: 'amount', type: 'decimal(12,3)' },
        { name: 'f', type: 'float' },
        { name: 'raw', type: 'binary' },
        {
          name: 'st',
          type: {
            type: 'struct',
            fields: [
              { name: 'a', type: 'string', nullable: true, metadata: {} },
              { name: 'b', type: 'long', nullable: true, metadata: {} },
            ],
          },
        },
      ],
    });
    await t.append(`SELECT range AS ind, 'Côte d''Ivoire ' || range AS country, [range / 7.0, -range * 1.5] AS coordinates,
      TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_seconds(range * 3601) AS timestamp, DATE '2017-01-01' + range::INTEGER AS day,
      (range % 60)::INTEGER AS age, range % 3 = 0 AS ok, (range * 1.125)::DECIMAL(12,3) AS amount, (range / 4)::FLOAT AS f,
      ('b' || range)::BLOB AS raw, {'a': 'x' || range, 'b': range} AS st FROM range(50)`);
    await t.append(`SELECT 999 AS ind`);
    await agree(fx.tmp.store, 'all', join(fx.tmp.dir, 'all'));
  });

  it('on partitioned, checkpointed, overwritten and optimized tables', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'p', {
      sql: fx.sql,
      columns: [
        { name: 'category', type: 'string' },
        { name: 'year', type: 'integer' },
        { name: 'ind', type: 'long' },
        { name: 'at', type: 'timestamp' },
      ],
      partitionColumns: ['category', 'year', 'at'],
    });
    for (let i = 0; i < 11; i++) {
      await t.append(
        `SELECT ['art', 'diy-and-crafts', 'home decor/x', NULL][range % 4 + 1] AS category, (2018 + range % 3)::INTEGER AS year, range + ${i * 100} AS ind,
        CASE WHEN range % 5 = 0 THEN NULL ELSE TIMESTAMPTZ '2021-09-08 11:11:11.5+00' END AS at FROM range(12)`,
        { txn: { appId: 'job', version: i } },
      );
    }
    await agree(fx.tmp.store, 'p', join(fx.tmp.dir, 'p'));
    assert.equal((await readDeltaTableIndependently(join(fx.tmp.dir, 'p'))).checkpointVersion, 10);
    await t.optimize();
    await agree(fx.tmp.store, 'p', join(fx.tmp.dir, 'p'));
    await t.overwrite(`SELECT 'quotes' AS category, 2022 AS year, 1 AS ind, NULL::TIMESTAMPTZ AS at`);
    await agree(fx.tmp.store, 'p', join(fx.tmp.dir, 'p'));
  });
});
