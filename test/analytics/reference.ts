/*
 * An independent implementation of docs/data.md §5 in plain TypeScript (no SQL), to check the SQL of
 * src/analytics row for row. Written from docs/data.md only.
 */

export interface PinRow {
  ind: number;
  category: string | null;
  poster_name: string | null;
  follower_count: number | null;
}
export interface GeoRow {
  ind: number;
  country: string | null;
  timestamp: Date | null;
}
export interface UserRow {
  ind: number;
  age: number | null;
  date_joined: Date | null;
}
export type Value = string | number | null;
export type ResultRow = Record<string, Value>;

const AGE_ORDER = ['18-24', '25-35', '36-50', '+50'];
/** The age group, null for a null age (its own group), undefined for under 18 (in no group). */
function ageGroup(age: number | null): string | null | undefined {
  if (age === null) return null;
  if (age < 18) return undefined;
  if (age <= 24) return '18-24';
  if (age <= 35) return '25-35';
  if (age <= 50) return '36-50';
  return '+50';
}
const yearOf = (d: Date | null): number | null => (d === null ? null : d.getUTCFullYear());
const inYears = (y: number | null, lo: number, hi: number): y is number => y !== null && y >= lo && y <= hi;

/** Compares strings by Unicode code point (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

type Kind = 'str' | 'num' | 'age';
function compareValues(a: Value, b: Value, kind: Kind): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1; // nulls last
  if (kind === 'age') return AGE_ORDER.indexOf(a as string) - AGE_ORDER.indexOf(b as string);
  if (kind === 'str') return codePointCompare(a as string, b as string);
  return (a as number) - (b as number);
}
function sortRows(rows: ResultRow[], cols: [string, Kind][]): ResultRow[] {
  return rows.sort((r, s) => {
    for (const [c, k] of cols) {
      const d = compareValues(r[c], s[c], k);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** Groups items by a tuple of keys (null is a key like any other). */
function groupBy<T>(items: T[], key: (t: T) => Value[]): Map<string, { key: Value[]; items: T[] }> {
  const out = new Map<string, { key: Value[]; items: T[] }>();
  for (const t of items) {
    const k = key(t);
    const id = JSON.stringify(k);
    const g = out.get(id) ?? { key: k, items: [] };
    g.items.push(t);
    out.set(id, g);
  }
  return out;
}
function innerJoin<A extends { ind: number }, B extends { ind: number }>(as: A[], bs: B[]): [A, B][] {
  const byInd = groupBy(bs, (b) => [b.ind]);
  return as.flatMap((a) => (byInd.get(JSON.stringify([a.ind]))?.items ?? []).map((b): [A, B] => [a, b]));
}
/** Value at 1-based position ⌈n/2⌉ of the sorted non-null values; null when there are none. */
export function lowerMedian(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return v.length === 0 ? null : v[Math.ceil(v.length / 2) - 1];
}
/** Per first key, the rows whose count is the largest (ties kept). */
function mostPerKey(counts: ResultRow[], key: string): ResultRow[] {
  const best = new Map<string, number>();
  for (const r of counts) best.set(JSON.stringify(r[key]), Math.max(best.get(JSON.stringify(r[key])) ?? -Infinity, r.category_count as number));
  return counts.filter((r) => r.category_count === best.get(JSON.stringify(r[key])));
}

/** All ten result sets of docs/data.md §5. */
export function reference(pins: PinRow[], geos: GeoRow[], users: UserRow[]): Map<string, ResultRow[]> {
  const out = new Map<string, ResultRow[]>();
  const pg = innerJoin(pins, geos);
  const pu = innerJoin(pins, users);

  const byCountry = [...groupBy(pg, ([p, g]) => [g.country, p.category]).values()].map((g) => ({
    country: g.key[0],
    category: g.key[1],
    category_count: g.items.length,
  }));
  out.set(
    'popular_category_by_country',
    sortRows(mostPerKey(byCountry, 'country'), [
      ['country', 'str'],
      ['category', 'str'],
      ['category_count', 'num'],
    ]),
  );

  const pgYears = pg.filter(([, g]) => inYears(yearOf(g.timestamp), 2018, 2022));
  const byYear = [...groupBy(pgYears, ([p, g]) => [yearOf(g.timestamp), p.category]).values()].map((g) => ({
    post_year: g.key[0],
    category: g.key[1],
    category_count: g.items.length,
  }));
  const yearCols: [string, Kind][] = [
    ['post_year', 'num'],
    ['category', 'str'],
    ['category_count', 'num'],
  ];
  out.set('category_count_by_year', sortRows([...byYear], yearCols));
  out.set('popular_category_by_year', sortRows(mostPerKey(byYear, 'post_year'), yearCols));

  const followed: ResultRow[] = [];
  for (const g of groupBy(pg, ([, geo]) => [geo.country]).values()) {
    const counts = g.items.map(([p]) => p.follower_count).filter((c): c is number => c !== null);
    if (counts.length === 0) continue;
    const top = Math.max(...counts);
    const rows = g.items.filter(([p]) => p.follower_count === top).map(([p]) => ({ country: g.key[0], poster_name: p.poster_name, follower_count: top }));
    followed.push(...[...groupBy(rows, (r) => [r.poster_name]).values()].map((x) => x.items[0]));
  }
  out.set(
    'most_followed_user_by_country',
    sortRows(followed, [
      ['country', 'str'],
      ['poster_name', 'str'],
      ['follower_count', 'num'],
    ]),
  );
  const top = Math.max(...followed.map((r) => r.follower_count as number));
  const holders = sortRows(
    followed.filter((r) => r.follower_count === top).map((r) => ({ country: r.country, follower_count: top })),
    [['country', 'str']],
  );
  out.set('country_with_most_followed_user', holders.slice(0, 1));

  const grouped = pu
    .map(([p, u]) => ({ group: ageGroup(u.age), year: yearOf(u.date_joined), category: p.category, followers: p.follower_count }))
    .filter((r) => r.group !== undefined);
  const byAge = [...groupBy(grouped, (r) => [r.group ?? null, r.category]).values()].map((g) => ({
    age_group: g.key[0],
    category: g.key[1],
    category_count: g.items.length,
  }));
  out.set(
    'popular_category_by_age_group',
    sortRows(mostPerKey(byAge, 'age_group'), [
      ['age_group', 'age'],
      ['category', 'str'],
      ['category_count', 'num'],
    ]),
  );
  out.set(
    'median_followers_by_age_group',
    sortRows(
      [...groupBy(grouped, (r) => [r.group ?? null]).values()].map((g) => ({
        age_group: g.key[0],
        median_follower_count: lowerMedian(g.items.map((r) => r.followers)),
      })),
      [['age_group', 'age']],
    ),
  );

  const joined = users.filter((u) => inYears(yearOf(u.date_joined), 2015, 2020));
  out.set(
    'users_joined_by_year',
    sortRows(
      [...groupBy(joined, (u) => [yearOf(u.date_joined)]).values()].map((g) => ({
        post_year: g.key[0],
        number_users_joined: new Set(g.items.map((u) => u.ind)).size,
      })),
      [['post_year', 'num']],
    ),
  );

  const puYears = pu.filter(([, u]) => inYears(yearOf(u.date_joined), 2015, 2020));
  out.set(
    'median_followers_by_join_year',
    sortRows(
      [...groupBy(puYears, ([, u]) => [yearOf(u.date_joined)]).values()].map((g) => ({
        post_year: g.key[0],
        median_follower_count: lowerMedian(g.items.map(([p]) => p.follower_count)),
      })),
      [['post_year', 'num']],
    ),
  );
  const groupedYears = grouped.filter((r) => inYears(r.year, 2015, 2020));
  out.set(
    'median_followers_by_age_group_and_join_year',
    sortRows(
      [...groupBy(groupedYears, (r) => [r.group ?? null, r.year]).values()].map((g) => ({
        age_group: g.key[0],
        post_year: g.key[1],
        median_follower_count: lowerMedian(g.items.map((r) => r.followers)),
      })),
      [
        ['age_group', 'age'],
        ['post_year', 'num'],
      ],
    ),
  );
  return out;
}
