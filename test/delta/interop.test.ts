// pinpipe's Delta tables against the engines teams read them with: delta-spark (Spark 4) and
// delta-rs (the `deltalake` Python package), in one long-lived peer process (one JVM start).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { isError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { DeltaTable, readHistory, type DeltaStructType } from '../../src/delta/index.js';
import { parseRunDate, runBatch } from '../../src/jobs/batch/index.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { peerMissing, SparkPeer, sparkVenv } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';
import { BAD_LINES, emulatorPayloads, writePartition } from '../jobs/batch/lake.js';
import { jobEnv, put, TABLES } from '../jobs/stream/helpers.js';

const venv = await sparkVenv();
const skip = venv.ok ? false : peerMissing('pyspark with delta-spark and deltalake', venv.ok ? '' : venv.error);

interface Reading {
  schema: DeltaStructType;
  rows: Record<string, unknown>[];
  history: [number, string | null, string | null][];
}

let peer: SparkPeer;
let sql: Sql;
let dir: string;
let cleanup: () => void;
let store: LocalObjectStore;
const silent = createLogger('silent');

/** A value as the peer's `plain` gives it. */
function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  return v;
}
const sortRows = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)]))).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const fields = (s: DeltaStructType): unknown[] => s.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));

/** A table as pinpipe reads it (src/delta), in the peer's terms. */
async function ours(key: string, version?: number): Promise<Reading> {
  const t = DeltaTable.handle(store, key, { sql });
  const snap = await t.snapshot(version);
  const history = (await readHistory(store, await t.snapshot())).map((h): [number, string | null, string | null] => [
    h.version,
    h.operation ?? null,
    h.operationParameters.mode ?? null,
  ]);
  return { schema: snap.schema!, rows: sortRows(await t.readRows(snap)), history: history.sort((a, b) => a[0] - b[0]) };
}

/** A table as delta-spark and delta-rs read it. */
async function theirs(key: string, version?: number): Promise<{ spark: Reading; rs: Reading }> {
  const r = await peer.run<{ spark: Reading; rs: Reading }>('result = {"spark": spark_read(args[0], args[1]), "rs": rs_read(args[0], args[1])}', [
    join(dir, 'lake', key),
    version ?? null,
  ]);
  for (const x of [r.spark, r.rs]) x.rows = sortRows(x.rows);
  return r;
}

/** Assert that delta-spark and delta-rs read `key` as pinpipe does: schema, rows and history. */
async function sameEverywhere(key: string, version?: number): Promise<Reading> {
  const mine = await ours(key, version);
  const { spark, rs } = await theirs(key, version);
  for (const [name, other] of [
    ['delta-spark', spark],
    ['delta-rs', rs],
  ] as const) {
    assert.deepEqual(fields(other.schema), fields(mine.schema), `${key}: schema as ${name} reads it`);
    assert.equal(other.rows.length, mine.rows.length, `${key}: row count as ${name} reads it`);
    assert.deepEqual(other.rows, mine.rows, `${key}: rows as ${name} reads them`);
    assert.deepEqual(other.history, mine.history, `${key}: history as ${name} reads it`);
  }
  return mine;
}

describe('Delta interoperability with delta-spark and delta-rs', { skip }, () => {
  before(async () => {
    if (!venv.ok) return;
    ({ dir, cleanup } = tempDir('pinpipe-interop'));
    store = new LocalObjectStore(join(dir, 'lake'), { fsync: false });
    sql = await openDuckDB({ threads: 2 });
    peer = SparkPeer.start(venv.venv);
    await peer.run('spark(); result = 1');
  });
  after(async () => {
    await peer?.stop();
    sql?.close();
    cleanup?.();
  });

  describe('tables pinpipe writes, read by delta-spark and delta-rs', () => {
    it('batch tables, rejects and result sets after appends, an overwrite (--full), compaction, vacuum and a checkpoint', async () => {
      const lake = join(dir, 'lake');
      const first = emulatorPayloads(150, { datasetRows: 60 });
      const more = emulatorPayloads(150, { datasetRows: 120, sampleSeed: 2 });
      const starts = { pin: 0, geo: 0, user: 0 };
      const write = (p: typeof first, bad: boolean): void => {
        for (const kind of ['pin', 'geo', 'user'] as const) {
          const lines = [...p[kind], ...(bad ? BAD_LINES[kind] : [])];
          writePartition(lake, `itp.${kind}`, 0, lines, 40, starts[kind]);
          starts[kind] += lines.length;
        }
      };
      write(first, true);
      await runBatch({ store, prefix: 'itp', date: parseRunDate('2024-05-01'), sql, logger: silent });
      write(more, true);
      await runBatch({ store, prefix: 'itp', date: parseRunDate('2024-05-02'), sql, logger: silent });
      const pin = await DeltaTable.open(store, 'tables/pin', { sql });
      assert.ok(await pin.optimize(), 'two appended files compacted');
      await runBatch({ store, prefix: 'itp', date: parseRunDate('2024-05-03'), mode: 'full', sql, logger: silent });
      write(emulatorPayloads(100, { datasetRows: 200, sampleSeed: 3 }), false);
      await runBatch({ store, prefix: 'itp', date: parseRunDate('2024-05-04'), sql, logger: silent });
      await pin.vacuum({ retentionMs: 0 });
      await pin.checkpoint();
      for (const key of ['tables/pin', 'tables/geo', 'tables/user', 'tables/rejects']) {
        const r = await sameEverywhere(key);
        assert.ok(r.rows.length > 0, `${key} has rows`);
      }
      const geo = await sameEverywhere('tables/geo', 1);
      assert.ok(
        geo.rows.some((r) => Array.isArray(r.coordinates) && typeof r.timestamp === 'string'),
        'arrays and timestamps compared',
      );
      for (const id of ['popular_category_by_country', 'median_followers_by_age_group_and_join_year', 'users_joined_by_year'])
        await sameEverywhere(`results/${id}`);
    });

    it('stream tables (micro-batches with txn, a checkpoint after ten commits) and their rejects', async () => {
      const env = await jobEnv();
      try {
        const job = await env.job();
        for (let b = 0; b < 12; b++) {
          for (const kind of ['pin', 'geo', 'user'] as const) {
            const p = emulatorPayloads(5, { datasetRows: 40, sampleSeed: b + 10 })[kind];
            await put(env.log, kind, b % 4 === 0 ? [...p, ...BAD_LINES[kind]] : p);
          }
          await job.caughtUp(120_000);
        }
        await job.stop();
        const streamStore = new LocalObjectStore(env.lakeDir, { fsync: false });
        for (const id of ['pin', 'geo', 'user', 'rejects'] as const) {
          const key = TABLES[id];
          const mine = await DeltaTable.open(streamStore, key, { sql });
          const snap = await mine.snapshot();
          assert.ok(snap.version >= 1, `${key} has commits`);
          const rows = sortRows(await mine.readRows());
          const { spark, rs } = await peer.run<{ spark: Reading; rs: Reading }>(
            'result = {"spark": spark_read(args), "rs": rs_read(args)}',
            join(env.lakeDir, key),
          );
          assert.deepEqual(sortRows(spark.rows), rows, `${key} as delta-spark reads it`);
          assert.deepEqual(sortRows(rs.rows), rows, `${key} as delta-rs reads it`);
          assert.deepEqual(fields(spark.schema), fields(snap.schema!));
          assert.deepEqual(fields(rs.schema), fields(snap.schema!));
        }
      } finally {
        await env.cleanup().catch(() => undefined);
      }
    });

    it('a partitioned table of every column type pinpipe writes, through appends, a checkpoint, an overwrite, compaction and vacuum', async () => {
      const t = await DeltaTable.create(store, 'tables/types', {
        sql,
        columns: [
          { name: 'id', type: 'long' },
          { name: 'n', type: 'integer' },
          { name: 'x', type: 'double' },
          { name: 'ok', type: 'boolean' },
          { name: 's', type: 'string' },
          { name: 'at', type: 'timestamp' },
          { name: 'xs', type: { type: 'array', elementType: 'double', containsNull: true } },
          { name: 'part', type: 'string' },
        ],
        partitionColumns: ['part'],
      });
      const batch = (i: number): string =>
        `SELECT ${i} * 10 + g AS id, CAST(g AS INTEGER) AS n, g / 3.0 AS x, g % 2 = 0 AS ok, 'é ' || g || ' 🎄' AS s,
         TIMESTAMPTZ '2021-03-04 05:06:07+00' + INTERVAL (g * 37) MINUTE AS at, [g * 1.5, NULL] AS xs, CASE WHEN g % 3 = 0 THEN NULL ELSE 'p' || (g % 3) END AS part
         FROM range(10) r(g)`;
      for (let i = 0; i < 11; i++) await t.append(batch(i));
      await sameEverywhere('tables/types');
      await sameEverywhere('tables/types', 5);
      await t.overwrite(batch(100));
      await t.append(batch(101));
      await t.append(batch(102));
      assert.ok(await t.optimize());
      await t.vacuum({ retentionMs: 0 });
      await t.checkpoint();
      await sameEverywhere('tables/types');
    });
  });

  describe('tables delta-spark and delta-rs write, read by pinpipe', () => {
    const BUILD_SPARK = `
s = spark()
p, part = args["path"], args["partitioned"]
t = "delta." + chr(96) + p + chr(96)
s.sql("CREATE TABLE " + t + " (id BIGINT, n INT, x DOUBLE, ok BOOLEAN, s STRING, at TIMESTAMP, xs ARRAY<DOUBLE>, part STRING) USING delta"
      + (" PARTITIONED BY (part)" if part else "") + " TBLPROPERTIES ('delta.checkpointInterval' = '3')")
rows = lambda b: ("SELECT id, CAST(id % 7 AS INT) AS n, id / 3.0D AS x, id % 2 = 0 AS ok, concat('é ', id, ' 🎄') AS s, "
                  "timestamp_seconds(1600000000 + id * 3600) AS at, array(id * 1.5D, NULL) AS xs, "
                  "CASE WHEN id % 3 = 0 THEN NULL ELSE concat('p', id % 3) END AS part FROM range(" + str(b * 10) + ", " + str(b * 10 + 10) + ")")
for b in range(4):
    s.sql("INSERT INTO " + t + " " + rows(b))
s.sql("INSERT OVERWRITE " + t + " " + rows(10))
s.sql("INSERT INTO " + t + " " + rows(11))
from pyspark.sql import functions as F
s.sql(rows(12)).withColumn("extra", F.lit("added")).write.format("delta").mode("append").option("mergeSchema", "true").save(p)
s.sql("INSERT INTO " + t + " SELECT *, NULL AS extra FROM (" + rows(13) + ")")
result = spark_read(p)
`;
    const BUILD_RS = `
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake
p, part = args["path"], args["partitioned"]
def rows(b, extra=False):
    ids = list(range(b * 10, b * 10 + 10))
    cols = {
        "id": pa.array(ids, pa.int64()),
        "x": pa.array([i / 3 for i in ids], pa.float64()),
        "s": pa.array(["é %d 🎄" % i for i in ids], pa.string()),
        "at": pa.array([1600000000000000 + i * 3600000000 for i in ids], pa.timestamp("us", tz="UTC")),
        "local": pa.array([1600000000000000 + i * 60000000 for i in ids], pa.timestamp("us")),
        "xs": pa.array([[i * 1.5, None] for i in ids], pa.list_(pa.float64())),
        "part": pa.array([None if i % 3 == 0 else "p%d" % (i % 3) for i in ids], pa.string()),
    }
    if extra:
        cols["extra"] = pa.array(["added"] * 10, pa.string())
    return pa.table(cols)
write_deltalake(p, rows(0), partition_by=["part"] if part else None)
for b in range(1, 4):
    write_deltalake(p, rows(b), mode="append")
DeltaTable(p).create_checkpoint()
write_deltalake(p, rows(10), mode="overwrite")
write_deltalake(p, rows(11), mode="append")
write_deltalake(p, rows(12, extra=True), mode="append", schema_mode="merge")
DeltaTable(p).create_checkpoint()
write_deltalake(p, rows(13, extra=True), mode="append")
result = rs_read(p)
`;
    for (const partitioned of [false, true]) {
      for (const [engine, code] of [
        ['delta-spark', BUILD_SPARK],
        ['delta-rs', BUILD_RS],
      ] as const) {
        it(`${engine}: appends, a checkpoint, an overwrite and a schema evolution${partitioned ? ', partitioned' : ''}`, async () => {
          const key = `written/${engine}-${partitioned ? 'partitioned' : 'flat'}`;
          const theirRead = await peer.run<Reading>(code, { path: join(dir, 'lake', key), partitioned });
          const mine = await ours(key);
          assert.deepEqual(fields(mine.schema), fields(theirRead.schema), 'schema');
          assert.equal(mine.rows.length, 40);
          assert.deepEqual(mine.rows, sortRows(theirRead.rows), 'rows');
          assert.deepEqual(
            mine.history.map((h) => h[0]),
            theirRead.history.map((h) => h[0]),
            'versions',
          );
          assert.ok(mine.rows.some((r) => r.extra === 'added') && mine.rows.some((r) => r.extra === null), 'the added column: values and NULL in older files');
        });
      }
    }

    const REFUSED: [string, string, string][] = [
      ['deletion vectors', "'delta.enableDeletionVectors' = 'true'", 'deletionVectors'],
      ['column mapping', "'delta.columnMapping.mode' = 'name'", 'columnMapping'],
      ['v2 checkpoints', "'delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '2'", 'v2Checkpoint'],
    ];
    for (const [what, props, feature] of REFUSED) {
      it(`a table with ${what} is refused with an error naming ${feature}, never misread`, async () => {
        const key = `written/${feature}`;
        await peer.run(
          `t = "delta." + chr(96) + args + chr(96)
spark().sql("CREATE TABLE " + t + " (id BIGINT, s STRING) USING delta TBLPROPERTIES (${props})")
spark().sql("INSERT INTO " + t + " SELECT id, CAST(id AS STRING) FROM range(10)")
spark().sql("INSERT INTO " + t + " SELECT id, CAST(id AS STRING) FROM range(10, 20)")
spark().sql("DELETE FROM " + t + " WHERE id % 2 = 0")
result = 1`,
          join(dir, 'lake', key),
        );
        await assert.rejects(DeltaTable.open(store, key, { sql }), (err: unknown) => {
          assert.ok(isError(err, 'DELTA_PROTOCOL_UNSUPPORTED'), String(err));
          assert.match((err as Error).message, new RegExp(feature));
          return true;
        });
      });
    }

    it('a table with a CHECK constraint (writer version 3) is read, and writing to it is refused naming the writer version', async () => {
      const key = 'written/check';
      const theirRead = await peer.run<Reading>(
        `t = "delta." + chr(96) + args + chr(96)
spark().sql("CREATE TABLE " + t + " (id BIGINT) USING delta")
spark().sql("ALTER TABLE " + t + " ADD CONSTRAINT positive CHECK (id >= 0)")
spark().sql("INSERT INTO " + t + " SELECT id FROM range(5)")
result = spark_read(args)`,
        join(dir, 'lake', key),
      );
      const t = await DeltaTable.open(store, key, { sql });
      assert.deepEqual(sortRows(await t.readRows()), sortRows(theirRead.rows));
      await assert.rejects(
        t.append('SELECT -1 AS id'),
        (err: unknown) => isError(err, 'DELTA_PROTOCOL_UNSUPPORTED') && /writer version 3/.test((err as Error).message),
      );
    });
  });

  it('delta-spark and pinpipe appending to one table at the same time: neither loses a commit', async () => {
    const key = 'tables/shared';
    const t = await DeltaTable.create(store, key, {
      sql,
      columns: [
        { name: 'writer', type: 'string' },
        { name: 'i', type: 'long' },
      ],
    });
    let sparkDone = false;
    const spark = peer
      .run<number>(
        `t = "delta." + chr(96) + args + chr(96)
for i in range(8):
    spark().sql("INSERT INTO " + t + " VALUES ('spark', " + str(i) + ")")
result = 8`,
        join(dir, 'lake', key),
      )
      .finally(() => (sparkDone = true));
    let n = 0;
    while (!sparkDone || n < 8) {
      await t.append(`SELECT 'pinpipe' AS writer, ${n} AS i`);
      n++;
      await sleep(150);
    }
    assert.equal(await spark, 8);
    const mine = await ours(key);
    const want = sortRows([
      ...Array.from({ length: 8 }, (_, i) => ({ writer: 'spark', i })),
      ...Array.from({ length: n }, (_, i) => ({ writer: 'pinpipe', i })),
    ]);
    assert.deepEqual(mine.rows, want, 'every row of both writers');
    assert.equal((await t.snapshot()).version, 8 + n, 'one version per commit of either writer');
    const { spark: sparkRead, rs } = await theirs(key);
    assert.deepEqual(sparkRead.rows, want);
    assert.deepEqual(rs.rows, want);
    const engines = (await readHistory(store, await t.snapshot())).filter((h) => h.version > 0).map((h) => (h.engineInfo === 'pinpipe-delta' ? 'p' : 's'));
    const runs = engines.filter((e, i) => i === 0 || e !== engines[i - 1]).length;
    assert.ok(runs >= 3, `the writers' commits interleave (${engines.reverse().join('')})`);
  });
});
