import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { isError } from '../../src/core/errors.js';
import {
  CLEAN_COLUMNS,
  classifiedSql,
  cleanFromClassifiedSql,
  cleanSql,
  RECORD_KINDS,
  rejectsFromClassifiedSql,
  rejectsSql,
} from '../../src/transforms/index.js';
import { cleanRecords, db } from './helpers.js';
import { geo, loadRaw, pin, rawRows, user } from './raw.js';

let sql: Sql;
before(async () => {
  sql = await db();
});
after(() => sql.close());

const NOT_JSON = ['nope', '', '{', '{"index": 1', '{"index": 1} trailing', "{'index': 1}", '[1,', null];
const NOT_OBJECT = ['[1,2]', '[]', '5', '-1.5', '"text"', 'null', 'true', ' [ {"index": 1} ] '];

describe('keys and rejects (docs/data.md §4)', () => {
  it('accepts JSON integers, integral floats and digit strings as keys', async () => {
    const keys: [unknown, bigint][] = [
      [12, 12n],
      [12.0, 12n],
      ['12', 12n],
      ['0012', 12n],
      [1e3, 1000n],
      [0, 0n],
      [-5, -5n],
      [9223372036854775807n, 9223372036854775807n],
    ];
    const records = keys.map(([k]) => (typeof k === 'bigint' ? `{"index": ${k}, "title": "t"}` : pin(k)));
    const { clean, rejects } = await cleanRecords(sql, 'pin', records);
    assert.equal(rejects.size, 0);
    keys.forEach(([k, want], i) => assert.equal(clean.get(i)?.ind, want, `index ${String(k)}`));
  });

  it('rejects bad and missing keys with their reason, for every kind', async () => {
    const bad: unknown[] = [12.5, '12.0', ' 12', '12 ', '-5', '+5', '1e3', 'abc', '', true, {}, [12], '9223372036854775808'];
    for (const kind of RECORD_KINDS) {
      const make = kind === 'pin' ? pin : kind === 'geo' ? geo : user;
      const records = [...bad.map((k) => make(k)), make(null), make(undefined), `{"${kind === 'pin' ? 'index' : 'ind'}": 9223372036854775808}`];
      if (kind === 'pin') records.push({ ind: 5, title: 'has ind but not index' });
      else records.push({ index: 5, country: 'has index but not ind' });
      const { clean, rejects } = await cleanRecords(sql, kind, records);
      assert.equal(clean.size, 0, kind);
      const reasons = records.map((_, i) => rejects.get(i)?.reason);
      assert.deepEqual(reasons, [...bad.map(() => 'bad_key'), 'missing_key', 'missing_key', 'bad_key', 'missing_key'], kind);
    }
  });

  it('rejects non-JSON and non-object payloads, keeping the raw payload, source and kind', async () => {
    const { clean, rejects } = await cleanRecords(sql, 'geo', [...NOT_JSON, ...NOT_OBJECT]);
    assert.equal(clean.size, 0);
    const got = [...NOT_JSON, ...NOT_OBJECT].map((p, i) => ({ ...rejects.get(i) }));
    assert.deepEqual(got, [
      ...NOT_JSON.map((p, i) => ({ kind: 'geo', source: `r#${i}`, reason: 'not_json', payload: p })),
      ...NOT_OBJECT.map((p, i) => ({ kind: 'geo', source: `r#${NOT_JSON.length + i}`, reason: 'not_object', payload: p })),
    ]);
  });

  it('reads JSON as DuckDB does: surrounding whitespace and a trailing comma are accepted, the first of duplicate keys wins', async () => {
    const { clean, rejects } = await cleanRecords(sql, 'user', [' \n{"ind": 1}\n ', '{"ind": 2,}', '{"ind": 3, "ind": 4}']);
    assert.equal(rejects.size, 0);
    assert.deepEqual(
      [...clean.values()].map((r) => r.ind),
      [1n, 2n, 3n],
    );
  });

  it('puts every record in exactly one of the clean rows and the rejects', async () => {
    const records = [
      ...NOT_JSON,
      ...NOT_OBJECT,
      pin(1),
      pin('2'),
      pin(2.5),
      pin(undefined),
      pin(3, { title: 5 }),
      pin(4, { follower_count: 1.5 }),
      { index: 7 },
      pin(1),
    ];
    await loadRaw(sql, 'raw', rawRows(records));
    const clean = await sql.all<{ source: string }>(cleanSql('pin', 'raw', { carry: ['source'] }));
    const rejects = await sql.all<{ source: string }>(rejectsSql('pin', 'raw'));
    assert.equal(clean.length + rejects.length, records.length);
    assert.deepEqual([...clean, ...rejects].map((r) => r.source).sort(), records.map((_, i) => `r#${i}`).sort());
  });

  it('gives the same answer through a materialized classified relation', async () => {
    const records = [...NOT_JSON, pin(1), pin(2, { title: '' }), pin('x'), '[]'];
    await loadRaw(sql, 'raw', rawRows(records));
    await sql.exec(`CREATE OR REPLACE TABLE staged AS ${classifiedSql('pin', 'raw', { carry: ['source'] })}`);
    assert.deepEqual(
      await sql.all(`${cleanFromClassifiedSql('pin', 'staged', { carry: ['source'] })} ORDER BY source`),
      await sql.all(`${cleanSql('pin', 'raw', { carry: ['source'] })} ORDER BY source`),
    );
    assert.deepEqual(
      await sql.all(`${rejectsFromClassifiedSql('pin', 'staged')} ORDER BY source`),
      await sql.all(`${rejectsSql('pin', 'raw')} ORDER BY source`),
    );
  });

  it('carries extra input columns such as ingested_at', async () => {
    await sql.exec(
      `CREATE OR REPLACE TABLE raw2 AS SELECT *, TIMESTAMP '2024-05-01 10:00:00' AS ingested_at FROM (VALUES ('{"ind": 1}', 's#0'), ('x', 's#1')) t(payload, source)`,
    );
    const clean = await sql.all(cleanSql('geo', 'raw2', { carry: ['ingested_at'] }));
    assert.deepEqual(Object.keys(clean[0]), [...CLEAN_COLUMNS.geo.map((c) => c.name), 'ingested_at']);
    const rejects = await sql.all(rejectsSql('geo', 'raw2', { carry: ['ingested_at'] }));
    assert.deepEqual(Object.keys(rejects[0]), ['kind', 'source', 'reason', 'payload', 'ingested_at']);
  });

  it('refuses relation and column names that are not plain identifiers', () => {
    for (const bad of ['raw; DROP TABLE x', 'a"b', 'raw pin', '', '1raw', 'a.b.c.d', "raw'"]) {
      assert.throws(
        () => cleanSql('pin', bad),
        (e) => isError(e, 'INVALID_NAME'),
        bad,
      );
      assert.throws(
        () => rejectsSql('pin', bad),
        (e) => isError(e, 'INVALID_NAME'),
        bad,
      );
    }
    assert.throws(
      () => cleanSql('pin', 'raw', { carry: ['x"'] }),
      (e) => isError(e, 'INVALID_NAME'),
    );
    assert.doesNotThrow(() => cleanSql('pin', 'main.raw_pin'));
  });
});

describe('cleaned columns', () => {
  const SPEC: Record<string, [string, string][]> = {
    pin: [
      ['ind', 'BIGINT'],
      ['unique_id', 'VARCHAR'],
      ['title', 'VARCHAR'],
      ['description', 'VARCHAR'],
      ['follower_count', 'INTEGER'],
      ['poster_name', 'VARCHAR'],
      ['tag_list', 'VARCHAR'],
      ['is_image_or_video', 'VARCHAR'],
      ['image_src', 'VARCHAR'],
      ['save_location', 'VARCHAR'],
      ['category', 'VARCHAR'],
    ],
    geo: [
      ['ind', 'BIGINT'],
      ['country', 'VARCHAR'],
      ['coordinates', 'DOUBLE[]'],
      ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
    ],
    user: [
      ['ind', 'BIGINT'],
      ['user_name', 'VARCHAR'],
      ['age', 'INTEGER'],
      ['date_joined', 'TIMESTAMP WITH TIME ZONE'],
    ],
  };
  it('are exactly the docs/data.md §4 columns, in order, with their types (DESCRIBE)', async () => {
    await loadRaw(sql, 'raw', []);
    for (const kind of RECORD_KINDS) {
      const described = await sql.all<{ column_name: string; column_type: string }>(`DESCRIBE ${cleanSql(kind, 'raw')}`);
      assert.deepEqual(
        described.map((c) => [c.column_name, c.column_type]),
        SPEC[kind],
        kind,
      );
      assert.deepEqual(
        CLEAN_COLUMNS[kind].map((c) => [c.name, c.type]),
        SPEC[kind],
        kind,
      );
      const rejects = await sql.all<{ column_name: string; column_type: string }>(`DESCRIBE ${rejectsSql(kind, 'raw')}`);
      assert.deepEqual(
        rejects.map((c) => [c.column_name, c.column_type]),
        [
          ['kind', 'VARCHAR'],
          ['source', 'VARCHAR'],
          ['reason', 'VARCHAR'],
          ['payload', 'VARCHAR'],
        ],
      );
    }
  });
  it('work on an empty input', async () => {
    await loadRaw(sql, 'raw', []);
    for (const kind of RECORD_KINDS) assert.deepEqual(await sql.all(cleanSql(kind, 'raw')), []);
  });
});
