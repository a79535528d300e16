import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES, COUNTRIES, generateRows, MARKERS, type Row } from '../../src/emulator/index.js';

const N = 20_000;
const ROWS: Row[] = [...generateRows({ seed: 42, end: N })];
const share = (pred: (r: Row) => boolean): number => ROWS.filter(pred).length / N;
const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${(actual * 100).toFixed(2)}%, expected ${(expected * 100).toFixed(1)}% ± ${(tolerance * 100).toFixed(1)}`,
  );

const ageGroup = (age: number): string => (age <= 24 ? '18-24' : age <= 35 ? '25-35' : age <= 50 ? '36-50' : '+50');
const followers = (s: string): number | null => {
  const m = /^(\d+)(k|M)?$/.exec(s);
  return m ? Number(m[1]) * (m[2] === 'k' ? 1e3 : m[2] === 'M' ? 1e6 : 1) : null;
};
/** docs/data.md §5's median: the lower median of the non-null values. */
function median(rows: Row[]): number {
  const v = rows
    .map((r) => followers(r.pin.follower_count))
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  return v[Math.ceil(v.length / 2) - 1];
}

describe(`dataset: distributions over ${N} rows`, () => {
  it('mixes media types ~90% image, 3% video, 7% story', () => {
    near(
      share((r) => r.pin.is_image_or_video === 'image'),
      0.9,
      0.01,
      'image',
    );
    near(
      share((r) => r.pin.is_image_or_video === 'video'),
      0.03,
      0.005,
      'video',
    );
    near(
      share((r) => r.pin.is_image_or_video === 'multi-video(story page format)'),
      0.07,
      0.008,
      'story',
    );
  });
  it('has ~1% fully broken story rows', () => {
    near(
      share(
        (r) =>
          r.pin.title === MARKERS.noTitle &&
          r.pin.tag_list === MARKERS.noTags &&
          r.pin.poster_name === MARKERS.userInfoError &&
          r.pin.image_src === MARKERS.imageSrcError,
      ),
      0.01,
      0.003,
      'broken',
    );
  });
  it('writes follower counts ~74% <n>k, 17% <n>, 7% <n>M, 2% User Info Error', () => {
    near(
      share((r) => /^\d+k$/.test(r.pin.follower_count)),
      0.74,
      0.012,
      'k',
    );
    near(
      share((r) => /^\d+$/.test(r.pin.follower_count)),
      0.17,
      0.01,
      'plain',
    );
    near(
      share((r) => /^\d+M$/.test(r.pin.follower_count)),
      0.07,
      0.007,
      'M',
    );
    near(
      share((r) => r.pin.follower_count === MARKERS.userInfoError),
      0.02,
      0.004,
      'User Info Error',
    );
  });
  it('uses every marker of docs/data.md §3 at a small rate', () => {
    const values = ROWS.map((r) => Object.values(r.pin) as unknown[]);
    for (const [name, marker] of Object.entries(MARKERS)) {
      const rate = values.filter((v) => v.includes(marker)).length / N;
      assert.ok(rate > 0.002 && rate < 0.08, `${name}: ${rate}`);
    }
    const empty = share((r) => r.pin.title === '');
    assert.ok(empty > 0 && empty < 0.01, `empty titles ${empty}`);
  });
  it('spreads the 13 categories roughly uniformly', () => {
    for (const c of CATEGORIES)
      near(
        share((r) => r.pin.category === c),
        1 / 13,
        0.012,
        c,
      );
  });
  it('draws countries from all 243 names, heavily skewed to the start of the alphabet', () => {
    const counts = new Map<string, number>();
    for (const r of ROWS) counts.set(r.geo.country, (counts.get(r.geo.country) ?? 0) + 1);
    assert.equal(counts.size, 243);
    const firstTenth = COUNTRIES.slice(0, 24).reduce((s, c) => s + (counts.get(c) ?? 0), 0) / N;
    const lastTenth = COUNTRIES.slice(-24).reduce((s, c) => s + (counts.get(c) ?? 0), 0) / N;
    assert.ok(firstTenth > 0.4, `first tenth ${firstTenth}`);
    assert.ok(firstTenth > 10 * lastTenth, `first tenth ${firstTenth}, last tenth ${lastTenth}`);
    assert.equal([...counts.entries()].sort((a, b) => b[1] - a[1])[0][0], 'Afghanistan');
  });
  it('skews ages young: ~45% 18-24, 27% 25-35, 20% 36-50, 8% over 50', () => {
    near(
      share((r) => ageGroup(r.user.age) === '18-24'),
      0.45,
      0.015,
      '18-24',
    );
    near(
      share((r) => ageGroup(r.user.age) === '25-35'),
      0.27,
      0.015,
      '25-35',
    );
    near(
      share((r) => ageGroup(r.user.age) === '36-50'),
      0.2,
      0.015,
      '36-50',
    );
    near(
      share((r) => ageGroup(r.user.age) === '+50'),
      0.08,
      0.01,
      '+50',
    );
    assert.equal(Math.min(...ROWS.map((r) => r.user.age)), 20);
    assert.equal(Math.max(...ROWS.map((r) => r.user.age)), 60);
  });
  it('has users joining in each of 2015, 2016, 2017 and posts in each of 2017-2022', () => {
    for (const y of ['2015', '2016', '2017']) assert.ok(share((r) => r.user.date_joined.startsWith(y)) > 0.15, y);
    for (const y of ['2017', '2018', '2019', '2020', '2021', '2022'])
      near(
        share((r) => r.geo.timestamp.startsWith(y)),
        1 / 6,
        0.015,
        y,
      );
  });
  it('makes the median follower count fall with age group (18-24 ≫ 25-35 > 36-50 ≥ +50)', () => {
    const m = (g: string) => median(ROWS.filter((r) => ageGroup(r.user.age) === g));
    assert.ok(m('18-24') > 2 * m('25-35'), `${m('18-24')} vs ${m('25-35')}`);
    assert.ok(m('25-35') > m('36-50'));
    assert.ok(m('36-50') >= m('+50'));
  });
  it('makes the median follower count fall with later join year', () => {
    const m = (y: string) => median(ROWS.filter((r) => r.user.date_joined.startsWith(y)));
    assert.ok(m('2015') > m('2016') && m('2016') > m('2017'), `${m('2015')} ${m('2016')} ${m('2017')}`);
  });
  it('writes unicode text: other scripts, emoji, pipes, braces, curly quotes, cut descriptions', () => {
    const text = (r: Row) => `${r.pin.title} ${r.pin.description}`;
    const has = (re: RegExp) => share((r) => re.test(text(r)));
    assert.ok(has(/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u) > 0.05);
    assert.ok(has(/\p{Script=Cyrillic}/u) > 0.01);
    assert.ok(has(/\p{Script=Arabic}|\p{Script=Hebrew}/u) > 0.01);
    assert.ok(has(/\p{Extended_Pictographic}/u) > 0.05);
    assert.ok(has(/\|/) > 0.05);
    assert.ok(has(/[{}]/) > 0.02);
    assert.ok(has(/[“”‘’]/) > 0.02);
    const cut = share((r) => r.pin.description.endsWith('…\u00a0'));
    assert.ok(cut > 0.2 && cut < 0.6, `cut ${cut}`);
  });
});
