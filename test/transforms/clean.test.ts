import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { cleanRecords, column, db } from './helpers.js';
import { geo, pin, user } from './raw.js';

let sql: Sql;
before(async () => {
  sql = await db();
});
after(() => sql.close());

describe('markers (docs/data.md §3)', () => {
  it('replaces every marker with null in its own column', async () => {
    const cases: [string, string][] = [
      ['description', 'No description available Story format'],
      ['description', 'No description available'],
      ['description', 'Untitled'],
      ['title', 'No Title Data Available'],
      ['poster_name', 'User Info Error'],
      ['follower_count', 'User Info Error'],
      ['tag_list', 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'],
      ['image_src', 'Image src error.'],
    ];
    const { clean } = await cleanRecords(
      sql,
      'pin',
      cases.map(([col, marker], i) => pin(i, { [col]: marker })),
    );
    cases.forEach(([col], i) => {
      assert.equal(clean.get(i)?.[col], null, `${col} marker`);
      assert.equal(clean.get(i)?.category, 'diy-and-crafts', 'other columns untouched');
    });
  });

  it('replaces the empty string with null in every string column of every kind', async () => {
    const pinCols = [
      'unique_id',
      'title',
      'description',
      'poster_name',
      'follower_count',
      'tag_list',
      'is_image_or_video',
      'image_src',
      'save_location',
      'category',
    ];
    const { clean } = await cleanRecords(
      sql,
      'pin',
      pinCols.map((c, i) => pin(i, { [c]: '' })),
    );
    pinCols.forEach((c, i) => assert.equal(clean.get(i)?.[c], null, c));
    assert.deepEqual(await column(sql, 'geo', [geo(1, { country: '' })], 'country'), [null]);
    assert.deepEqual(await column(sql, 'geo', [geo(1, { timestamp: '' })], 'timestamp'), [null]);
    assert.deepEqual(await column(sql, 'user', [user(1, { date_joined: '' })], 'date_joined'), [null]);
    assert.deepEqual(
      await column(sql, 'user', [user(1, { first_name: '' }), user(2, { last_name: '' }), user(3, { first_name: '', last_name: '' })], 'user_name'),
      ['Alexander', 'Andrea', null],
    );
  });

  it('keeps a marker found in another column, and near-misses of markers (exact match per column)', async () => {
    const cases: [string, string][] = [
      ['title', 'Untitled'],
      ['title', 'No description available'],
      ['description', 'No Title Data Available'],
      ['description', 'User Info Error'],
      ['poster_name', 'Image src error.'],
      ['tag_list', 'User Info Error'],
      ['image_src', 'Untitled'],
      ['category', 'User Info Error'],
      ['image_src', 'Image src error'],
      ['description', 'untitled'],
      ['description', ' Untitled'],
      ['description', 'Untitled '],
      ['poster_name', 'User info error'],
      ['title', 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'],
    ];
    const { clean } = await cleanRecords(
      sql,
      'pin',
      cases.map(([col, v], i) => pin(i, { [col]: v })),
    );
    cases.forEach(([col, v], i) => assert.equal(clean.get(i)?.[col], v, `${col} = ${JSON.stringify(v)}`));
  });
});

describe('follower_count (docs/data.md §4)', () => {
  const cases: [unknown, number | null][] = [
    ['0', 0],
    ['437', 437],
    ['51k', 51000],
    ['1.5k', 1500],
    ['12K', 12000],
    ['6M', 6000000],
    ['2.5m', 2500000],
    ['00012', 12],
    ['0.5', 1],
    ['2.5', 3],
    ['2.4999999999', 2],
    ['1.0005k', 1001],
    ['0.0004k', 0],
    ['1.23456789k', 1235],
    ['1.0000005M', 1000001],
    ['1.00000049999999M', 1000000],
    ['2147483647', 2147483647],
    ['2147483.647k', 2147483647],
    ['2147.4836474k', 2147484],
    [437, 437],
    [0, 0],
    [-5, -5],
    [12.0, 12],
    [1e3, 1000],
    ['User Info Error', null],
    ['12 K', null],
    [' 12', null],
    ['12 ', null],
    ['1.5x', null],
    ['garbage', null],
    ['', null],
    ['-5', null],
    ['+5', null],
    ['1.', null],
    ['.5k', null],
    ['1,000', null],
    ['1e3', null],
    ['12kk', null],
    ['k', null],
    ['１２', null],
    ['2147483648', null],
    ['2147483.648k', null],
    ['99999999999', null],
    ['3000M', null],
    [null, null],
    [1.5, null],
    [3000000000, null],
    [true, null],
    [{ n: 1 }, null],
    [[12], null],
  ];
  it('reads every form as docs/data.md §4 says, rounding half up', async () => {
    const got = await column(
      sql,
      'pin',
      cases.map(([v], i) => pin(i, { follower_count: v })),
      'follower_count',
    );
    cases.forEach(([v, want], i) => assert.equal(got[i], want, `follower_count ${JSON.stringify(v)}`));
  });
  it('is null when the key is missing', async () => {
    assert.deepEqual(await column(sql, 'pin', [pin(1, { follower_count: undefined })], 'follower_count'), [null]);
  });
});

describe('timestamps', () => {
  const utc = (s: string): Date => new Date(`${s}Z`);
  const cases: [unknown, Date | null][] = [
    ['2020-01-02 03:04:05', utc('2020-01-02T03:04:05')],
    ['2020-01-02T03:04:05', utc('2020-01-02T03:04:05')],
    ['2017-12-31 23:59:59', utc('2017-12-31T23:59:59')],
    ['2020-13-01 00:00:00', null],
    ['2020-02-30 00:00:00', null],
    ['2020-01-02', null],
    ['yesterday', null],
    ['2020-01-02 03:04:05Z', null],
    ['2020-01-02 03:04:05.123', null],
    ['2020/01/02 03:04:05', null],
    ['', null],
    [20200102, null],
    [true, null],
    [null, null],
  ];
  it('parses both accepted forms as UTC and turns anything else into null', async () => {
    const got = await column(
      sql,
      'geo',
      cases.map(([v], i) => geo(i, { timestamp: v })),
      'timestamp',
    );
    cases.forEach(([v, want], i) => assert.deepEqual(got[i], want, `timestamp ${JSON.stringify(v)}`));
    const joined = await column(
      sql,
      'user',
      cases.map(([v], i) => user(i, { date_joined: v })),
      'date_joined',
    );
    cases.forEach(([v, want], i) => assert.deepEqual(joined[i], want, `date_joined ${JSON.stringify(v)}`));
  });
  it('does not depend on the session time zone', async () => {
    await sql.exec(`SET TimeZone = 'America/New_York'`);
    try {
      assert.deepEqual(await column(sql, 'geo', [geo(1, { timestamp: '2020-07-01 00:30:00' })], 'timestamp'), [utc('2020-07-01T00:30:00')]);
    } finally {
      await sql.exec(`SET TimeZone = 'UTC'`);
    }
  });
});

describe('integer and float columns', () => {
  it('read JSON integers, integral floats and digit strings; anything else is null', async () => {
    const cases: [unknown, number | null][] = [
      [21, 21],
      [21.0, 21],
      ['21', 21],
      ['021', 21],
      [2.1e1, 21],
      [-3, -3],
      [21.5, null],
      ['21.0', null],
      [' 21', null],
      ['-3', null],
      ['21 years', null],
      [true, null],
      [{}, null],
      [[21], null],
      [null, null],
      ['', null],
      [3000000000, null],
    ];
    const got = await column(
      sql,
      'user',
      cases.map(([v], i) => user(i, { age: v })),
      'age',
    );
    cases.forEach(([v, want], i) => assert.equal(got[i], want, `age ${JSON.stringify(v)}`));
  });

  it('build coordinates from numbers and numeric strings; a missing part is a null element, both missing a null array', async () => {
    const cases: [Record<string, unknown>, unknown][] = [
      [{ latitude: -88.4642, longitude: -171.061 }, [-88.4642, -171.061]],
      [{ latitude: '12.5', longitude: '-7' }, [12.5, -7]],
      [{ latitude: 0, longitude: 0 }, [0, 0]],
      [{ latitude: undefined }, [null, -171.061]],
      [{ longitude: null }, [-88.4642, null]],
      [{ latitude: 'north', longitude: true }, null],
      [{ latitude: undefined, longitude: undefined }, null],
      [{ latitude: 'NaN', longitude: 'Infinity' }, null],
      [{ latitude: [1], longitude: { v: 2 } }, null],
    ];
    const got = await column(
      sql,
      'geo',
      cases.map(([over], i) => geo(i, over)),
      'coordinates',
    );
    cases.forEach(([over, want], i) => assert.deepEqual(got[i], want, JSON.stringify(over)));
  });
});

describe('string columns', () => {
  it('treat any non-string JSON value as missing and keep strings that merely look like other values', async () => {
    const cases: [unknown, string | null][] = [
      [5, null],
      [-1.5, null],
      [1e300, null],
      [true, null],
      [false, null],
      [{ a: 1 }, null],
      [[1, 'a'], null],
      ['5', '5'],
      ['-1.5', '-1.5'],
      ['true', 'true'],
      ['false', 'false'],
      ['null', 'null'],
      ['[1]', '[1]'],
      ['{"a":1}', '{"a":1}'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['10 Best Ideas', '10 Best Ideas'],
      ['-', '-'],
      ['Inspiration', 'Inspiration'],
    ];
    const got = await column(
      sql,
      'pin',
      cases.map(([v], i) => pin(i, { title: v, follower_count: '1.5k', index: `${i}` })),
      'title',
    );
    cases.forEach(([v, want], i) => assert.equal(got[i], want, `title ${JSON.stringify(v)}`));
  });

  it('read JSON literals NaN and Infinity (accepted by the reader) and huge numbers as non-strings', async () => {
    const literals = ['NaN', 'nAn', '-nan', 'inf', 'iNfInItY', '-INF', '1e400', `1${'0'.repeat(400)}`, '-0.0'];
    const got = await column(
      sql,
      'pin',
      literals.map((l, i) => `{"index": ${i}, "title": ${l}, "follower_count": "1.5k"}`),
      'title',
    );
    assert.deepEqual(
      got,
      literals.map(() => null),
    );
    const { clean } = await cleanRecords(sql, 'pin', ['{"index": 1, "title": NaN, "poster_name": -Infinity, "category": nan}']);
    assert.equal(clean.get(0)?.poster_name, null);
    assert.equal(clean.get(0)?.category, null);
  });

  it('leave unicode text untouched: emoji, CJK, …, no-break space, escapes as Python writes them', async () => {
    const texts = [
      'Cute 🐶 ideas 🎄✨',
      '日本のインテリア｜和モダン',
      'Cut short …\u00a0',
      'Curly “quotes” | {braces}',
      'Tab\tand\nnewline \\ "quoted"',
      '\u200b zero width',
      'Ω ﬀ 😀 e\u0301',
    ];
    const viaPython = texts.map((t) =>
      JSON.stringify({ index: 1, description: t }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    );
    const got = await column(sql, 'pin', [...texts.map((t, i) => pin(i, { description: t })), ...viaPython], 'description');
    assert.deepEqual(got, [...texts, ...texts]);
  });

  it('strip "Local save in " from save_location', async () => {
    const got = await column(
      sql,
      'pin',
      [pin(1), pin(2, { save_location: '/data/art' }), pin(3, { save_location: 'Local save in ' }), pin(4, { save_location: 'local save in /x' })],
      'save_location',
    );
    assert.deepEqual(got, ['/data/diy-and-crafts', '/data/art', null, 'local save in /x']);
  });

  it('join first and last name, skipping a missing part', async () => {
    const got = await column(
      sql,
      'user',
      [
        user(1),
        user(2, { first_name: undefined }),
        user(3, { last_name: null }),
        user(4, { first_name: 7 }),
        user(5, { first_name: undefined, last_name: undefined }),
        user(6, { first_name: '李', last_name: '小龙' }),
      ],
      'user_name',
    );
    assert.deepEqual(got, ['Andrea Alexander', 'Alexander', 'Andrea', 'Alexander', null, '李 小龙']);
  });
});
