import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { cleanSql, RECORD_KINDS, rejectsSql, type RecordKind } from '../../src/transforms/index.js';
import { random } from '../analytics/tables.js';
import { db } from './helpers.js';
import { loadRaw, type RawRow } from './raw.js';
import { referenceClean, type Outcome } from './reference.js';

/** A number written exactly as given (to produce `12.0`, `1e3`, `-0.5`). */
class Raw {
  constructor(readonly text: string) {}
}
const ABSENT = Symbol('absent');
type Gen = ReturnType<typeof random>;

const MARKERS = [
  'No description available Story format',
  'No description available',
  'Untitled',
  'No Title Data Available',
  'User Info Error',
  'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e',
  'Image src error.',
];
const ANY: unknown[] = [
  ABSENT,
  null,
  '',
  true,
  false,
  { a: 1 },
  [1, 'x'],
  new Raw('5'),
  new Raw('-3'),
  new Raw('1.5'),
  new Raw('12.0'),
  new Raw('1e3'),
  new Raw('-0.5'),
  '5',
  'true',
  'false',
  '[1]',
  '{"a":1}',
  'NaN',
  '-',
  '10 Best Ideas',
  'Inspiration',
  '日本 🎄 …\u00a0',
  'quote " backslash \\ newline \n tab \t',
  ...MARKERS,
];
const POOLS: Record<string, unknown[]> = {
  key: [
    new Raw('12'),
    new Raw('12.0'),
    new Raw('12.5'),
    new Raw('-5'),
    new Raw('1e2'),
    '12',
    '0012',
    '12.0',
    ' 12',
    '-5',
    'abc',
    '',
    null,
    ABSENT,
    true,
    { a: 1 },
  ],
  follower_count: [
    '0',
    '437',
    '51k',
    '1.5k',
    '12K',
    '6M',
    '2.5m',
    '0.0005k',
    '1.0000005M',
    '0.5',
    '2.5',
    '12 K',
    ' 12',
    '1.5x',
    '-5',
    '2147483648',
    '2147483.647k',
    'k',
    '1.',
    new Raw('437'),
    new Raw('-5'),
    new Raw('1.5'),
    new Raw('12.0'),
    new Raw('3000000000'),
  ],
  timestamp: [
    '2020-01-02 03:04:05',
    '2020-01-02T03:04:05',
    '2017-12-31 23:59:59',
    '2020-13-01 00:00:00',
    '2020-02-30 00:00:00',
    '2020-01-02',
    'garbage',
    new Raw('20200102'),
  ],
  double: [new Raw('-88.4642'), new Raw('0'), new Raw('179.99'), new Raw('1e2'), '12.5', '-7', 'abc', 'NaN', 'Infinity'],
  age: [new Raw('21'), new Raw('21.0'), new Raw('21.5'), '21', '021', '-3', new Raw('3000000000'), new Raw('-3')],
  save_location: ['Local save in /data/art', 'Local save in ', '/data/x', 'local save in /y'],
};
const FIELDS: Record<RecordKind, [string, string][]> = {
  pin: [
    ['index', 'key'],
    ['unique_id', 'any'],
    ['title', 'any'],
    ['description', 'any'],
    ['poster_name', 'any'],
    ['follower_count', 'follower_count'],
    ['tag_list', 'any'],
    ['is_image_or_video', 'any'],
    ['image_src', 'any'],
    ['downloaded', 'any'],
    ['save_location', 'save_location'],
    ['category', 'any'],
  ],
  geo: [
    ['ind', 'key'],
    ['timestamp', 'timestamp'],
    ['latitude', 'double'],
    ['longitude', 'double'],
    ['country', 'any'],
  ],
  user: [
    ['ind', 'key'],
    ['first_name', 'any'],
    ['last_name', 'any'],
    ['age', 'age'],
    ['date_joined', 'timestamp'],
  ],
};

function value(rnd: Gen, pool: string): unknown {
  if (pool !== 'any' && rnd.chance(0.7)) return rnd.pick(POOLS[pool]);
  if (pool === 'key' && rnd.chance(0.8)) return new Raw(String(rnd.int(0, 500)));
  return rnd.pick(ANY);
}

function serialize(fields: [string, unknown][]): string {
  return `{${fields
    .filter(([, v]) => v !== ABSENT)
    .map(([k, v]) => `${JSON.stringify(k)}:${v instanceof Raw ? v.text : JSON.stringify(v)}`)
    .join(',')}}`;
}

function payload(rnd: Gen, kind: RecordKind): string | null {
  const r = rnd.next();
  if (r < 0.02) return rnd.pick(['nope', '', '{"index": 1', '[1,', "{'a': 1}", null]);
  if (r < 0.04) return rnd.pick(['[1,2]', '5', '"text"', 'null', 'true', '[]']);
  const text = serialize(FIELDS[kind].map(([k, pool]) => [k, value(rnd, pool)]));
  // Half the senders escape non-ASCII as \uXXXX (Python's json.dumps).
  return rnd.chance(0.5) ? text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** DuckDB's outcome for each source, in the reference's terms. */
async function cleaned(sql: Sql, kind: RecordKind): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const row of await sql.all(cleanSql(kind, 'raw', { carry: ['source'] }))) {
    const clean = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k !== 'source')
        .map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : v]),
    );
    out.set(String(row.source), { clean: clean as never });
  }
  for (const row of await sql.all<{ source: string; reason: never }>(rejectsSql(kind, 'raw'))) {
    assert.ok(!out.has(row.source), `${row.source} is both clean and rejected`);
    out.set(row.source, { reject: row.reason });
  }
  return out;
}

let sql: Sql;
before(async () => {
  sql = await db();
});
after(() => sql.close());

describe('cleaning on seeded random records', () => {
  for (const kind of RECORD_KINDS) {
    it(`${kind}: matches the TypeScript reference record for record, and loses none`, async () => {
      for (const seed of [11, 12]) {
        const rnd = random(seed);
        const rows: RawRow[] = Array.from({ length: 2000 }, (_, i) => ({ source: `t+0+${i}`, payload: payload(rnd, kind) }));
        await loadRaw(sql, 'raw', rows);
        const got = await cleaned(sql, kind);
        assert.equal(got.size, rows.length);
        for (const r of rows) assert.deepEqual(got.get(r.source), referenceClean(kind, r.payload), `${kind} ${r.source}: ${r.payload}`);
      }
    });
  }
});
