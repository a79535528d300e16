import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { ANALYTICS } from '../../src/analytics/index.js';
import { CLEAN_COLUMNS, cleanSql, RECORD_KINDS, rejectsSql, sparkDialect, type RecordKind } from '../../src/transforms/index.js';
import { peerMissing, SparkPeer, sparkVenv } from '../helpers/peers/index.js';
import { loadTables, random } from '../analytics/tables.js';
import type { GeoRow, PinRow, UserRow } from '../analytics/reference.js';
import { db } from './helpers.js';
import { randomRows } from './random-payloads.js';
import { loadRaw, type RawRow } from './raw.js';

/*
 * The exported Spark job runs the cleaning and the analytics as Spark SQL generated from the same
 * definitions as the DuckDB job (src/transforms/dialect). Here both engines run them on the same
 * random records and tables, and every output row must be equal.
 */

const venv = await sparkVenv();
let peer: SparkPeer;
let sql: Sql;

/** A value as the peer's `plain` gives it: BIGINT → number, timestamps → ISO with milliseconds. */
function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  return v;
}
const plainRows = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)])));
const bySource = (rows: Record<string, unknown>[]): Map<string, Record<string, unknown>> => new Map(rows.map((r) => [String(r.source), r]));

// Texts the random pools do not cover, where the engines' casts and date parsers could differ.
const EDGES: Record<RecordKind, string[]> = {
  pin: ['1_000', '0x10', '1d', '1.5f', ' 51k', '51k\n', '12\n', '1e3k', '.5k', '5.k', 'NaNk', '+5', '٣', '１２'].map((f, i) =>
    JSON.stringify({ index: 900 + i, follower_count: f, save_location: 'Local save in \n' }),
  ),
  geo: [
    '2020-1-2 3:4:5',
    ' 2020-01-02 03:04:05 ',
    '2020-01-02  03:04:05',
    '2020-01-02\t03:04:05',
    '2020-01-02 03:04:05\n',
    '0020-01-02 03:04:05',
    '2020-01-02 23:59:60',
    '2020-01-02 24:00:00',
    '2020-02-29T00:00:00',
    '2021-02-29 00:00:00',
    '2020-01-02t03:04:05',
    '2020-01-02T03:04:05Z',
    '12020-01-02 03:04:05',
  ].map((t, i) =>
    JSON.stringify({
      ind: 900 + i,
      timestamp: t,
      latitude: [' 12', '1_000', '0x10', '1d', '+5', '.5', '5.', 'inf', '1e400', '1.5_5', '1e1_0', '1__0', '1_'][i % 13],
      longitude: i,
    }),
  ),
  user: ['12\n', '٣', ' 12', '12 ', '+12', '0012'].map((a, i) => JSON.stringify({ ind: 900 + i, age: a, first_name: 'A', last_name: null })),
};

describe(
  'the cleaning and the analytics in Spark SQL give what they give in DuckDB',
  { skip: venv.ok ? false : peerMissing('pyspark with delta-spark', venv.ok ? '' : venv.error) },
  () => {
    before(async () => {
      if (!venv.ok) return;
      peer = SparkPeer.start(venv.venv);
      sql = await db();
      await peer.run('spark(); result = 1');
    });
    after(async () => {
      await peer?.stop();
      sql?.close();
    });

    for (const kind of RECORD_KINDS) {
      it(`${kind}: random and edge-case records are cleaned or rejected alike, column for column`, async () => {
        const rows: RawRow[] = [...randomRows(kind, 21), ...randomRows(kind, 22).map((r) => ({ ...r, source: `u+0+${r.source.slice(4)}` }))];
        EDGES[kind].forEach((payload, i) => rows.push({ source: `e+0+${i}`, payload }));
        await loadRaw(sql, 'raw', rows);
        const duck = {
          clean: bySource(plainRows(await sql.all(cleanSql(kind, 'raw', { carry: ['source'] })))),
          rejects: bySource(plainRows(await sql.all(rejectsSql(kind, 'raw')))),
        };
        const spark = await peer.run<{ clean: Record<string, unknown>[]; rejects: Record<string, unknown>[] }>(
          `spark().createDataFrame(args['rows'], 'payload string, source string').createOrReplaceTempView('raw')
result = {'clean': rows_of(spark().sql(args['clean'])), 'rejects': rows_of(spark().sql(args['rejects']))}`,
          {
            rows: rows.map((r) => [r.payload, r.source]),
            clean: cleanSql(kind, 'raw', { carry: ['source'], dialect: sparkDialect }),
            rejects: rejectsSql(kind, 'raw', { dialect: sparkDialect }),
          },
        );
        assert.equal(duck.clean.size + duck.rejects.size, rows.length);
        assert.equal(spark.clean.length, duck.clean.size, 'clean rows');
        assert.equal(spark.rejects.length, duck.rejects.size, 'rejects');
        for (const r of spark.clean)
          assert.deepEqual(r, duck.clean.get(String(r.source)), `${kind} ${String(r.source)}: ${rows.find((x) => x.source === r.source)?.payload}`);
        for (const r of spark.rejects) assert.deepEqual(r, duck.rejects.get(String(r.source)), `${kind} reject ${String(r.source)}`);
      });
    }

    it('the ten result sets on random tables are equal row for row, in order', async () => {
      for (const seed of [5]) {
        const rnd = random(seed);
        const cats = ['art', 'beauty', 'travel', 'quotes', null, 'Vehicles'];
        const countries = ['Albania', 'Chad', 'albania', 'Åland', "Côte d'Ivoire", 'Zambia', null, '日本'];
        const date = (lo: number, hi: number): Date | null =>
          rnd.chance(0.05) ? null : new Date(Date.UTC(rnd.int(lo, hi), rnd.int(0, 11), rnd.int(1, 28), rnd.int(0, 23), rnd.int(0, 59), rnd.int(0, 59)));
        const n = 1500;
        const pins: PinRow[] = Array.from({ length: n }, (_, i) => ({
          ind: i,
          category: rnd.pick(cats),
          poster_name: rnd.pick(['A', 'B', 'C', null, 'é']),
          follower_count: rnd.chance(0.1) ? null : rnd.pick([rnd.int(0, 50), rnd.int(0, 5) * 1000, 6000000]),
        }));
        const geos: GeoRow[] = Array.from({ length: n }, (_, i) => ({ ind: i + rnd.int(0, 1) * n, country: rnd.pick(countries), timestamp: date(2016, 2023) }));
        const users: UserRow[] = Array.from({ length: n }, (_, i) => ({
          ind: i + rnd.int(0, 1) * n,
          age: rnd.chance(0.05) ? null : rnd.int(12, 70),
          date_joined: date(2013, 2022),
        }));
        await loadTables(sql, pins, geos, users);
        const tables: Record<string, { rows: unknown[]; schema: string; select: string }> = {};
        for (const kind of RECORD_KINDS) {
          const cols = CLEAN_COLUMNS[kind];
          tables[kind] = {
            rows: plainRows(await sql.all(`SELECT * FROM "${kind}"`)).map((r) => cols.map((c) => r[c.name])),
            schema: cols.map((c) => `\`${c.name}\` ${c.type === 'TIMESTAMP WITH TIME ZONE' ? 'string' : sparkDialect.type(c.type)}`).join(', '),
            select: cols.map((c) => (c.type === 'TIMESTAMP WITH TIME ZONE' ? `CAST(\`${c.name}\` AS TIMESTAMP) AS \`${c.name}\`` : `\`${c.name}\``)).join(', '),
          };
        }
        const rels = { pin: 'pin', geo: 'geo', user: 'user' };
        const spark = await peer.run<Record<string, Record<string, unknown>[]>>(
          `for name, t in args['tables'].items():
    spark().createDataFrame(t['rows'], t['schema']).selectExpr(*t['select'].split(', ')).createOrReplaceTempView(name)
result = {a: rows_of(spark().sql(q)) for a, q in args['queries'].items()}`,
          { tables, queries: Object.fromEntries(ANALYTICS.map((a) => [a.id, a.sql(rels, sparkDialect)])) },
        );
        for (const a of ANALYTICS) {
          const duck = plainRows(await sql.all(a.sql(rels)));
          assert.deepEqual(spark[a.id], duck, `${a.id} (seed ${seed})`);
        }
      }
    });
  },
);
