import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isError } from '../../src/core/errors.js';
import { columnsFromQuery, DeltaTable, parseStats } from '../../src/delta/index.js';
import { WrappedStore, useDeltaFixture } from './temp-store.js';

const ALL_TYPES = `SELECT * FROM (VALUES
  (1::BIGINT, 'a', [1.5, 2.0]::DOUBLE[], TIMESTAMPTZ '2020-01-01 10:00:00.123456+00', DATE '2020-02-03', 1.25::DECIMAL(10,2), true, 'x'::BLOB, 1.5::FLOAT, 7::INTEGER, {'k': 1}, MAP {'a': 'b'}),
  (2, 'zz', [], TIMESTAMPTZ '1999-12-31 23:59:59+00', DATE '1970-01-01', -3.5, false, ''::BLOB, -0.25, -7, {'k': NULL}, MAP {}),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(ind, name, coords, ts, d, dec, flag, bin, f, small, st, m)`;

const fx = useDeltaFixture();

describe('DeltaTable writer', () => {
  it('round-trips every supported type and records correct stats', async () => {
    const columns = await columnsFromQuery(fx.sql, ALL_TYPES);
    assert.deepEqual(
      columns.map((c) => c.type),
      [
        'long',
        'string',
        { type: 'array', elementType: 'double', containsNull: true },
        'timestamp',
        'date',
        'decimal(10,2)',
        'boolean',
        'binary',
        'float',
        'integer',
        { type: 'struct', fields: [{ name: 'k', type: 'integer', nullable: true, metadata: {} }] },
        { type: 'map', keyType: 'string', valueType: 'string', valueContainsNull: true },
      ],
    );
    const t = await DeltaTable.create(fx.tmp.store, 'tables/all', { sql: fx.sql, columns });
    const r = await t.append(ALL_TYPES);
    assert.deepEqual([r.version, r.committed], [1, true]);
    const expected = await fx.sql.all(`SELECT * FROM (${ALL_TYPES}) ORDER BY ind`);
    await t.registerView('all_types');
    assert.deepEqual(await fx.sql.all('SELECT * FROM all_types ORDER BY ind'), expected);
    const types = await fx.sql.all<{ column_type: string }>('DESCRIBE all_types');
    assert.deepEqual(
      types.map((x) => x.column_type),
      [
        'BIGINT',
        'VARCHAR',
        'DOUBLE[]',
        'TIMESTAMP WITH TIME ZONE',
        'DATE',
        'DECIMAL(10,2)',
        'BOOLEAN',
        'BLOB',
        'FLOAT',
        'INTEGER',
        'STRUCT(k INTEGER)',
        'MAP(VARCHAR, VARCHAR)',
      ],
    );

    const [file] = (await t.snapshot()).files;
    assert.deepEqual(parseStats(file), {
      numRecords: 3,
      minValues: { ind: 1, name: 'a', ts: '1999-12-31T23:59:59.000Z', d: '1970-01-01', dec: -3.5, f: -0.25, small: -7 },
      maxValues: { ind: 3, name: 'zz', ts: '2020-01-01T10:00:00.124Z', d: '2020-02-03', dec: 1.25, f: 1.5, small: 7 },
      nullCount: { ind: 0, name: 1, coords: 1, ts: 1, d: 1, dec: 1, flag: 1, bin: 1, f: 1, small: 1, m: 1 },
    });
    assert.match(file.path, /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
  });

  it('writes zone-less DuckDB timestamps as UTC instants and widens integers', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 't', {
      sql: fx.sql,
      columns: [
        { name: 'id', type: 'long' },
        { name: 'at', type: 'timestamp' },
        { name: 'x', type: 'double' },
      ],
    });
    await t.append(`SELECT 1::INTEGER AS id, TIMESTAMP '2021-06-01 12:00:00' AS at, 2::INTEGER AS x`);
    const rows = await t.readRows();
    assert.deepEqual(rows, [{ id: 1n, at: new Date('2021-06-01T12:00:00Z'), x: 2 }]);
  });

  it('rejects data that does not fit the schema', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 't', {
      sql: fx.sql,
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string', nullable: false },
      ],
    });
    const mismatch = (err: unknown): boolean => isError(err, 'DELTA_SCHEMA_MISMATCH');
    await assert.rejects(t.append(`SELECT 1 AS id, 'a' AS name, 2 AS extra`), mismatch);
    await assert.rejects(t.append(`SELECT 1::BIGINT AS id, 'a' AS name`), /long/);
    await assert.rejects(t.append(`SELECT 1 AS id`), /not nullable/);
    await t.append(`SELECT 'b' AS name`); // missing nullable column → NULL, any column order
    assert.deepEqual(await t.readRows(), [{ id: null, name: 'b' }]);
    await assert.rejects(DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'id', type: 'long' }] }), (err: unknown) =>
      isError(err, 'DELTA_TABLE_EXISTS'),
    );
    await assert.rejects(DeltaTable.open(fx.tmp.store, 'nope', { sql: fx.sql }), (err: unknown) => isError(err, 'DELTA_TABLE_NOT_FOUND'));
    assert.deepEqual([await DeltaTable.exists(fx.tmp.store, 't'), await DeltaTable.exists(fx.tmp.store, 'nope')], [true, false]);
    assert.equal((await DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'id', type: 'long' }], ifNotExists: true })).table, 't');
  });

  it('creates an empty table from a declared schema and reads it as a typed empty view', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/empty', {
      sql: fx.sql,
      columns: [
        { name: 'ind', type: 'long' },
        { name: 'coordinates', type: { type: 'array', elementType: 'double', containsNull: true } },
      ],
    });
    await t.registerView('empty_t');
    assert.deepEqual(await fx.sql.all('SELECT count(*)::INTEGER AS n FROM empty_t'), [{ n: 0 }]);
    assert.deepEqual(
      (await fx.sql.all<{ column_type: string }>('DESCRIBE empty_t')).map((c) => c.column_type),
      ['BIGINT', 'DOUBLE[]'],
    );
    const r = await t.append('SELECT 1 AS ind WHERE false');
    assert.equal(r.committed, false, 'an empty append commits nothing');
  });

  it('writes partitioned tables with typed, null and awkward partition values', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'p', {
      sql: fx.sql,
      columns: [
        { name: 'k', type: 'string' },
        { name: 'd', type: 'date' },
        { name: 'v', type: 'long' },
      ],
      partitionColumns: ['k', 'd'],
    });
    await t.append(
      `SELECT * FROM (VALUES ('a/b c%=?', DATE '2020-01-01', 1), (NULL, NULL, 2), ('x', DATE '2020-01-02', 3), ('x', DATE '2020-01-02', 4)) t(k, d, v)`,
    );
    const snap = await t.snapshot();
    assert.equal(snap.files.length, 3);
    assert.deepEqual(
      snap.files.map((f) => f.partitionValues).sort((a, b) => String(a.k).localeCompare(String(b.k))),
      [
        { k: 'a/b c%=?', d: '2020-01-01' },
        { k: null, d: null },
        { k: 'x', d: '2020-01-02' },
      ],
    );
    const rows = await t.readRows<{ k: string | null; d: Date | null; v: bigint }>();
    assert.deepEqual(
      rows.sort((a, b) => Number(a.v - b.v)),
      [
        { k: 'a/b c%=?', d: new Date('2020-01-01T00:00:00Z'), v: 1n },
        { k: null, d: null, v: 2n },
        { k: 'x', d: new Date('2020-01-02T00:00:00Z'), v: 3n },
        { k: 'x', d: new Date('2020-01-02T00:00:00Z'), v: 4n },
      ],
    );
  });

  it('time-travels to earlier versions', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    for (let i = 1; i <= 3; i++) await t.append(`SELECT ${i} AS v`);
    await t.overwrite(`SELECT 100 AS v`);
    const at = async (v: number): Promise<number[]> => (await t.readRows<{ v: bigint }>(await t.snapshot(v))).map((r) => Number(r.v)).sort((a, b) => a - b);
    assert.deepEqual(await at(0), []);
    assert.deepEqual(await at(2), [1, 2]);
    assert.deepEqual(await at(3), [1, 2, 3]);
    assert.deepEqual(await at(4), [100]);
    await assert.rejects(t.snapshot(5), (err: unknown) => isError(err, 'DELTA_VERSION_NOT_FOUND'));
    const latest = await t.snapshot();
    assert.equal(latest.tombstones.length, 3);
  });

  it('commits a txn once: a replayed batch is detected, not duplicated', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    assert.equal((await t.snapshot()).txnVersion('job'), undefined);
    const a = await t.append('SELECT 1 AS v', { txn: { appId: 'job', version: 0 } });
    const b = await t.append('SELECT 1 AS v', { txn: { appId: 'job', version: 0 } });
    const c = await t.append('SELECT 2 AS v', { txn: { appId: 'job', version: 1 } });
    assert.deepEqual([a.committed, b.committed, c.committed], [true, false, true]);
    assert.equal(b.version, 1);
    const snap = await t.snapshot();
    assert.equal(snap.txnVersion('job'), 1);
    assert.deepEqual(snap.txns, { job: 1 });
    assert.equal((await t.readRows()).length, 2);
    const other = await DeltaTable.open(fx.tmp.store, 't', { sql: fx.sql });
    assert.equal((await other.append('SELECT 1 AS v', { txn: { appId: 'job', version: 1 } })).committed, false);
  });

  it('writes through a non-local store with temp files and put()', async () => {
    const store = new WrappedStore(fx.tmp.store);
    const t = await DeltaTable.create(store, 't', {
      sql: fx.sql,
      columns: [
        { name: 'v', type: 'long' },
        { name: 's', type: 'string' },
      ],
    });
    await t.append(`SELECT range AS v, 's' || range AS s FROM range(1000)`);
    assert.equal(store.puts, 3, 'commit 0, the data file and commit 1 were put');
    const rows = await (await DeltaTable.open(fx.tmp.store, 't', { sql: fx.sql })).readRows();
    assert.equal(rows.length, 1000);
  });

  it('reads but refuses to write tables that need a newer writer, invariants, or are append-only', async () => {
    const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'v', type: 'long', nullable: true, metadata: {} }] });
    const metaData = { id: 'x', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {} };
    await fx.tmp.store.put(
      'w7/_delta_log/00000000000000000000.json',
      [{ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: [] } }, { metaData }].map((a) => JSON.stringify(a)).join('\n'),
    );
    const t = await DeltaTable.open(fx.tmp.store, 'w7', { sql: fx.sql });
    assert.deepEqual(await t.readRows(), []);
    await assert.rejects(t.append('SELECT 1 AS v'), (err: unknown) => isError(err, 'DELTA_PROTOCOL_UNSUPPORTED'));
    const inv = JSON.stringify({
      type: 'struct',
      fields: [{ name: 'v', type: 'long', nullable: true, metadata: { 'delta.invariants': '{"expression":{"expression":"v > 0"}}' } }],
    });
    await fx.tmp.store.put(
      'inv/_delta_log/00000000000000000000.json',
      [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: { ...metaData, schemaString: inv } }].map((a) => JSON.stringify(a)).join('\n'),
    );
    await assert.rejects((await DeltaTable.open(fx.tmp.store, 'inv', { sql: fx.sql })).append('SELECT 1 AS v'), /invariants/);
    const ao = await DeltaTable.create(fx.tmp.store, 'ao', {
      sql: fx.sql,
      columns: [{ name: 'v', type: 'long' }],
      configuration: { 'delta.appendOnly': 'true' },
    });
    await ao.append('SELECT 1 AS v');
    await assert.rejects(ao.overwrite('SELECT 2 AS v'), /append-only/);
  });

  it('refreshes a cached snapshot with only the new commits', async () => {
    const writer = await DeltaTable.create(fx.tmp.store, 't', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    const reader = await DeltaTable.open(fx.tmp.store, 't', { sql: fx.sql });
    const first = await reader.snapshot();
    await writer.append('SELECT 1 AS v');
    await writer.append('SELECT 2 AS v');
    const second = await reader.snapshot();
    assert.equal(second.version, 2);
    assert.equal(first.version, 0, 'snapshots are immutable');
    assert.equal(second.files.length, 2);
    assert.equal(await reader.snapshot(), second, 'no new commit → the same snapshot object');
  });
});
