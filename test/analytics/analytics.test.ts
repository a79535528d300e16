import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { isError } from '../../src/core/errors.js';
import { ANALYTICS, runAnalytics } from '../../src/analytics/index.js';
import { reference, type GeoRow, type PinRow, type UserRow } from './reference.js';
import { loadTables, plain, random } from './tables.js';

const RELS = { pin: 'pin', geo: 'geo', user: 'user' };
const IDS = [
  'popular_category_by_country',
  'category_count_by_year',
  'popular_category_by_year',
  'most_followed_user_by_country',
  'country_with_most_followed_user',
  'popular_category_by_age_group',
  'median_followers_by_age_group',
  'users_joined_by_year',
  'median_followers_by_join_year',
  'median_followers_by_age_group_and_join_year',
];
const utc = (s: string | null): Date | null => (s === null ? null : new Date(`${s}Z`));

let sql: Sql;
before(async () => {
  sql = await openDuckDB({ threads: 2 });
});
after(() => sql.close());

/** Runs the SQL analytics on the rows and asserts each result set equals the reference, row for row. */
async function compare(pins: PinRow[], geos: GeoRow[], users: UserRow[]): Promise<Map<string, Record<string, unknown>[]>> {
  await loadTables(sql, pins, geos, users);
  const got = await runAnalytics(sql, RELS);
  const want = reference(pins, geos, users);
  assert.deepEqual([...got.keys()], IDS);
  for (const id of IDS) assert.deepEqual(plain(got.get(id)!), want.get(id), id);
  return got;
}

/** Hand-made rows: ties in every "most" question, even and odd medians, an all-null group, null keys, ages under 18, years out of range, code-point order traps. */
function handMade(): { pins: PinRow[]; geos: GeoRow[]; users: UserRow[] } {
  const pins: PinRow[] = [];
  const geos: GeoRow[] = [];
  const users: UserRow[] = [];
  let ind = 0;
  const add = (p: Omit<PinRow, 'ind'>, g: Omit<GeoRow, 'ind'> | null, u: Omit<UserRow, 'ind'> | null): void => {
    ind++;
    pins.push({ ind, ...p });
    if (g) geos.push({ ind, ...g });
    if (u) users.push({ ind, ...u });
  };
  const T = (y: number): Date | null => utc(`${y}-06-01T12:00:00`);
  // Albania: art 2, beauty 2 (tie); two posters tie on 900 000 followers, one of them twice (listed once).
  add(
    { category: 'art', poster_name: 'Zoe', follower_count: 900000 },
    { country: 'Albania', timestamp: T(2018) },
    { age: 18, date_joined: utc('2015-01-01T00:00:00') },
  );
  add(
    { category: 'art', poster_name: 'Adam', follower_count: 900000 },
    { country: 'Albania', timestamp: T(2018) },
    { age: 24, date_joined: utc('2015-06-01T00:00:00') },
  );
  add(
    { category: 'beauty', poster_name: 'Zoe', follower_count: 900000 },
    { country: 'Albania', timestamp: T(2019) },
    { age: 25, date_joined: utc('2016-01-01T00:00:00') },
  );
  add(
    { category: 'beauty', poster_name: 'Mia', follower_count: null },
    { country: 'Albania', timestamp: T(2019) },
    { age: 35, date_joined: utc('2016-01-01T00:00:00') },
  );
  // Code-point order: 'albania' after 'Zimbabwe'; U+FB00 'ﬀ' before '😀' (JS '<' says the opposite); 'Åland' after 'albania'.
  add({ category: 'Art', poster_name: 'x', follower_count: 900000 }, { country: '😀land', timestamp: T(2020) }, { age: 36, date_joined: null });
  add(
    { category: 'art', poster_name: 'y', follower_count: 900000 },
    { country: 'ﬀland', timestamp: T(2020) },
    { age: 50, date_joined: utc('2020-12-31T23:59:59') },
  );
  add(
    { category: 'art', poster_name: 'z', follower_count: 5 },
    { country: 'albania', timestamp: T(2021) },
    { age: 51, date_joined: utc('2014-12-31T23:59:59') },
  );
  add(
    { category: 'travel', poster_name: 'w', follower_count: 7 },
    { country: 'Åland', timestamp: T(2022) },
    { age: 99, date_joined: utc('2021-01-01T00:00:00') },
  );
  add(
    { category: 'travel', poster_name: 'v', follower_count: 1 },
    { country: 'Zimbabwe', timestamp: utc('2022-12-31T23:59:59') },
    { age: 17, date_joined: utc('2017-01-01T00:00:00') },
  );
  // Null country (its own group, ties with the top count, sorts last); null category; null poster.
  add(
    { category: null, poster_name: null, follower_count: 900000 },
    { country: null, timestamp: utc('2018-01-01T00:00:00') },
    { age: null, date_joined: utc('2018-01-01T00:00:00') },
  );
  add({ category: null, poster_name: 'n', follower_count: 3 }, { country: null, timestamp: T(2017) }, { age: null, date_joined: utc('2018-01-01T00:00:00') });
  // Years outside the ranges and null years; ages under 18; an all-null-followers group (36-50 below, plus 2019 join year).
  add(
    { category: 'art', poster_name: 'o', follower_count: 10 },
    { country: 'Zimbabwe', timestamp: T(2023) },
    { age: 10, date_joined: utc('2019-05-05T05:05:05') },
  );
  add(
    { category: 'art', poster_name: 'p', follower_count: null },
    { country: 'Zimbabwe', timestamp: null },
    { age: 40, date_joined: utc('2019-05-05T05:05:05') },
  );
  add(
    { category: 'diy', poster_name: 'q', follower_count: null },
    { country: 'Chad', timestamp: T(2021) },
    { age: 45, date_joined: utc('2019-01-01T00:00:00') },
  );
  // Even and odd counts for the 18-24 / 25-35 medians.
  for (const [age, f] of [
    [19, 1],
    [20, 2],
    [21, 3],
    [22, 4],
    [26, 10],
    [27, 30],
    [28, 20],
  ] as const)
    add({ category: 'quotes', poster_name: `m${f}`, follower_count: f }, null, { age, date_joined: utc('2017-07-07T07:07:07') });
  // Pins without geo or user, geo and user without pin.
  add({ category: 'art', poster_name: 'lonely', follower_count: 1 }, null, null);
  geos.push({ ind: 1000, country: 'Albania', timestamp: T(2018) });
  users.push({ ind: 1001, age: 30, date_joined: utc('2016-02-02T00:00:00') });
  return { pins, geos, users };
}

describe('analytics (docs/data.md §5)', () => {
  it('registers exactly the ten result sets, with declared columns matching DESCRIBE', async () => {
    assert.deepEqual(
      ANALYTICS.map((a) => a.id),
      IDS,
    );
    await loadTables(sql, [], [], []);
    for (const a of ANALYTICS) {
      const described = await sql.all<{ column_name: string; column_type: string }>(`DESCRIBE ${a.sql(RELS)}`);
      assert.deepEqual(
        described.map((c) => [c.column_name, c.column_type]),
        a.columns.map((c) => [c.name, c.type]),
        a.id,
      );
    }
  });

  it('matches the reference on hand-made data with ties, null groups and boundaries', async () => {
    const { pins, geos, users } = handMade();
    const got = await compare(pins, geos, users);
    // A few answers spelled out, so that the reference itself is checked against docs/data.md.
    const rows = (id: string): unknown[] => plain(got.get(id)!).map((r) => Object.values(r));
    assert.deepEqual(rows('popular_category_by_country').slice(0, 2), [
      ['Albania', 'art', 2],
      ['Albania', 'beauty', 2],
    ]);
    assert.deepEqual(rows('most_followed_user_by_country').slice(0, 2), [
      ['Albania', 'Adam', 900000],
      ['Albania', 'Zoe', 900000],
    ]);
    assert.deepEqual(rows('country_with_most_followed_user'), [['Albania', 900000]]);
    assert.deepEqual(rows('median_followers_by_age_group'), [
      ['18-24', 3],
      ['25-35', 20],
      ['36-50', 900000],
      ['+50', 5],
      [null, 3],
    ]);
    assert.deepEqual(rows('users_joined_by_year'), [
      [2015, 2],
      [2016, 3],
      [2017, 8],
      [2018, 2],
      [2019, 3],
      [2020, 1],
    ]);
    assert.deepEqual(
      rows('median_followers_by_join_year').find((r) => (r as unknown[])[0] === 2019),
      [2019, 10],
    );
    assert.ok(
      rows('most_followed_user_by_country').some((r) => (r as unknown[])[0] === null),
      'the null country has its row, last',
    );
    assert.deepEqual(
      rows('median_followers_by_age_group_and_join_year').filter((r) => (r as unknown[])[0] === '36-50'),
      [
        ['36-50', 2019, null],
        ['36-50', 2020, 900000],
      ],
    );
  });

  it('orders strings by code point with NULLs last', async () => {
    const { pins, geos, users } = handMade();
    const got = await compare(pins, geos, users);
    const countries = plain(got.get('popular_category_by_country')!).map((r) => r.country);
    assert.deepEqual([...new Set(countries)], ['Albania', 'Chad', 'Zimbabwe', 'albania', 'Åland', 'ﬀland', '😀land', null]);
  });

  it('takes years in UTC whatever the session time zone', async () => {
    const { pins, geos, users } = handMade();
    await sql.exec(`SET TimeZone = 'Pacific/Kiritimati'`);
    try {
      await compare(pins, geos, users);
    } finally {
      await sql.exec(`SET TimeZone = 'UTC'`);
    }
  });

  it('gives empty result sets on empty inputs', async () => {
    const got = await compare([], [], []);
    for (const id of IDS) assert.deepEqual(got.get(id), [], id);
    await compare([{ ind: 1, category: 'art', poster_name: 'a', follower_count: 1 }], [], []);
  });

  it('matches the reference on a few thousand seeded random rows', async () => {
    for (const seed of [1, 2, 3]) {
      const rnd = random(seed);
      const cats = ['art', 'beauty', 'travel', 'quotes', null, 'Vehicles'];
      const countries = ['Albania', 'Chad', 'albania', 'Åland', "Côte d'Ivoire", 'Zambia', null, '日本'];
      const posters = ['A', 'B', 'C', 'D', null, 'é'];
      const date = (lo: number, hi: number): Date | null =>
        rnd.chance(0.05) ? null : new Date(Date.UTC(rnd.int(lo, hi), rnd.int(0, 11), rnd.int(1, 28), rnd.int(0, 23), rnd.int(0, 59), rnd.int(0, 59)));
      const n = 3000;
      const pins: PinRow[] = Array.from({ length: n }, (_, i) => ({
        ind: i,
        category: rnd.pick(cats),
        poster_name: rnd.pick(posters),
        follower_count: rnd.chance(0.1) ? null : rnd.pick([rnd.int(0, 50), rnd.int(0, 5) * 1000, 6000000]),
      }));
      const geos: GeoRow[] = Array.from({ length: n }, (_, i) => ({ ind: i + rnd.int(0, 1) * n, country: rnd.pick(countries), timestamp: date(2016, 2023) }));
      const users: UserRow[] = Array.from({ length: n }, (_, i) => ({
        ind: i + rnd.int(0, 1) * n,
        age: rnd.chance(0.05) ? null : rnd.int(12, 70),
        date_joined: date(2013, 2022),
      }));
      await compare(pins, geos, users);
    }
  });

  it('refuses a changed default collation (string order and grouping would change)', async () => {
    await sql.exec(`SET default_collation = 'nocase'`);
    try {
      await assert.rejects(runAnalytics(sql, RELS), (e) => isError(e, 'CONFIG_INVALID'));
    } finally {
      await sql.exec(`RESET default_collation`);
    }
  });
});
