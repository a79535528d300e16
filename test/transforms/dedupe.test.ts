import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { classifiedSql, CLEAN_COLUMNS, cleanFromClassifiedSql, cleanSql, dedupeSql, rejectsFromClassifiedSql, rejectsSql } from '../../src/transforms/index.js';
import { random } from '../analytics/tables.js';
import { db } from './helpers.js';
import { loadRaw, pin, user } from './raw.js';

let sql: Sql;
before(async () => {
  sql = await db();
});
after(() => sql.close());

/** Loads records with the given sources, cleans them into view `batch` (with source) and returns dedupeSql's rows ordered by ind. */
async function dedupe(records: [string, unknown][], existing?: string, kind: 'pin' | 'user' = 'pin'): Promise<Record<string, unknown>[]> {
  await loadRaw(
    sql,
    'raw',
    records.map(([source, r]) => ({ source, payload: JSON.stringify(r) })),
  );
  await sql.exec(`CREATE OR REPLACE VIEW batch AS ${cleanSql(kind, 'raw', { carry: ['source'] })}`);
  return sql.all(`${dedupeSql(kind, 'batch', existing ? { existing } : {})} ORDER BY ind`);
}

describe('dedupeSql', () => {
  it('keeps one row per ind: the first by source order (offsets compared as numbers within a partition)', async () => {
    const rows = await dedupe([
      ['pinterest.pin+0+10', pin(1, { title: 'offset 10' })],
      ['pinterest.pin+0+9', pin(1, { title: 'offset 9' })],
      ['pinterest.pin+0+11', pin(1, { title: 'offset 11' })],
      ['topics/pinterest.pin/partition=0/pinterest.pin+0+0000000002.json#10', pin(2, { title: 'object 2 line 10' })],
      ['topics/pinterest.pin/partition=0/pinterest.pin+0+0000000002.json#9', pin(2, { title: 'object 2 line 9' })],
      ['topics/pinterest.pin/partition=0/pinterest.pin+0+0000000001.json#99', pin(2, { title: 'object 1 line 99' })],
      ['x#1', pin(3, { title: 'only' })],
      ['t+0+0', pin(5, { title: 'zero' })],
      ['t+0+1', pin(5, { title: 'one' })],
    ]);
    assert.deepEqual(
      rows.map((r) => [r.ind, r.title]),
      [
        [1n, 'offset 9'],
        [2n, 'object 1 line 99'],
        [3n, 'only'],
        [5n, 'zero'],
      ],
    );
    await sql.exec(`CREATE OR REPLACE TABLE staged AS ${classifiedSql('pin', 'raw', { dedupe: true, carry: ['source'] })}`);
    const fused = await sql.all(`${cleanFromClassifiedSql('pin', 'staged', { carry: ['source'] })} ORDER BY ind`);
    assert.deepEqual(
      fused.map((r) => [r.ind, r.title, r.source]),
      [
        [1n, 'offset 9', 'pinterest.pin+0+9'],
        [2n, 'object 1 line 99', 'topics/pinterest.pin/partition=0/pinterest.pin+0+0000000001.json#99'],
        [3n, 'only', 'x#1'],
        [5n, 'zero', 't+0+0'],
      ],
    );
  });

  it('does not depend on the input order', async () => {
    const records: [string, unknown][] = Array.from({ length: 200 }, (_, i) => [`t+${i % 3}+${i}`, pin(i % 7, { title: `row ${i}` })]);
    const a = await dedupe(records);
    const b = await dedupe([...records].reverse());
    assert.deepEqual(a, b);
    assert.equal(a.length, 7);
  });

  it('leaves out keys already in the existing table and outputs exactly the columns of docs/data.md §4', async () => {
    await sql.exec(`CREATE OR REPLACE TABLE existing_user AS SELECT 2::BIGINT AS ind, 'Old Name' AS user_name, 30 AS age, NULL::TIMESTAMPTZ AS date_joined`);
    const rows = await dedupe(
      [
        ['s#1', user(1)],
        ['s#2', user(2)],
        ['s#3', user(3)],
        ['s#4', user(3)],
      ],
      'existing_user',
      'user',
    );
    assert.deepEqual(
      rows.map((r) => r.ind),
      [1n, 3n],
    );
    assert.deepEqual(
      Object.keys(rows[0]),
      CLEAN_COLUMNS.user.map((c) => c.name),
    );
  });

  it('gives the same rows in one pass with classifiedSql({ dedupe }), keeping every reject', async () => {
    const rnd = random(7);
    const records: [string, unknown][] = Array.from({ length: 3000 }, (_, i) => {
      const ind = rnd.int(0, 300);
      const r = rnd.next();
      const rec =
        r < 0.03
          ? 'not json'
          : r < 0.06
            ? pin(rnd.pick(['x', 1.5, null]))
            : pin(rnd.chance(0.5) ? ind : String(ind), { title: rnd.pick(['a', 5, 'b', '', true]), follower_count: rnd.pick(['1.5k', 12, '3', -4, 'x']) });
      return [`pinterest.pin+${rnd.int(0, 2)}+${i}`, rec];
    });
    await loadRaw(
      sql,
      'raw',
      records.map(([source, r]) => ({ source, payload: typeof r === 'string' ? r : JSON.stringify(r) })),
    );
    await sql.exec(`CREATE OR REPLACE TABLE existing_pin AS SELECT * FROM (${cleanSql('pin', 'raw')}) WHERE ind < 20 LIMIT 5`);
    for (const existing of [undefined, 'existing_pin']) {
      await sql.exec(`CREATE OR REPLACE VIEW batch AS ${cleanSql('pin', 'raw', { carry: ['source'] })}`);
      const twoStep = await sql.all(`${dedupeSql('pin', 'batch', existing ? { existing } : {})} ORDER BY ind`);
      await sql.exec(`CREATE OR REPLACE TABLE staged AS ${classifiedSql('pin', 'raw', { dedupe: true, existing })}`);
      assert.deepEqual(await sql.all(`${cleanFromClassifiedSql('pin', 'staged')} ORDER BY ind`), twoStep);
      assert.deepEqual(
        await sql.all(`${rejectsFromClassifiedSql('pin', 'staged')} ORDER BY source`),
        await sql.all(`${rejectsSql('pin', 'raw')} ORDER BY source`),
      );
    }
  });
});
