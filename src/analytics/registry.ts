import { duckdbDialect, type SqlDialect } from '../transforms/dialect/index.js';
import { relationSql } from '../transforms/relation.js';
import { ageGroup, ageGroupOrder, inAgeGroups, lowerMedian, orderBy, utcYear } from './fragments.js';

/** The cleaned, de-duplicated tables the analytics read (relation names). */
export interface AnalyticsRelations {
  readonly pin: string;
  readonly geo: string;
  readonly user: string;
}

export interface AnalyticsColumn {
  readonly name: string;
  readonly type: 'VARCHAR' | 'BIGINT' | 'INTEGER';
}

/** One result set of docs/data.md §5: its id, question, output columns (names and DuckDB types, in order) and query. */
export interface Analytic {
  readonly id: string;
  readonly description: string;
  readonly columns: readonly AnalyticsColumn[];
  /** The query over the cleaned tables `rel`, in dialect `d` (default DuckDB). */
  sql(rel: AnalyticsRelations, d?: SqlDialect): string;
}

const col = (name: string, type: AnalyticsColumn['type']): AnalyticsColumn => ({ name, type });
const pinGeo = (r: AnalyticsRelations, d: SqlDialect): string => `${relationSql(r.pin, d)} p JOIN ${relationSql(r.geo, d)} g ON p.ind = g.ind`;
const pinUser = (r: AnalyticsRelations, d: SqlDialect): string => `${relationSql(r.pin, d)} p JOIN ${relationSql(r.user, d)} u ON p.ind = u.ind`;

/** Rows of `counts` (columns key, category, category_count) whose count is the largest of their key; ties kept. */
function mostPopular(key: string, counts: string, order: string): string {
  return `SELECT ${key}, category, category_count FROM (
  SELECT ${key}, category, category_count, max(category_count) OVER (PARTITION BY ${key}) AS top FROM (${counts}) counts
) ranked WHERE category_count = top
${order}`;
}

const categoryByYear = (r: AnalyticsRelations, d: SqlDialect): string =>
  `SELECT post_year, category, count(*) AS category_count FROM (
  SELECT ${utcYear(d, `g.${d.ident('timestamp')}`)} AS post_year, p.category AS category FROM ${pinGeo(r, d)}
) t WHERE post_year BETWEEN 2018 AND 2022 GROUP BY post_year, category`;

/** Per country, the (poster, count) rows with the country's largest non-NULL follower count; identical rows once. */
const mostFollowed = (r: AnalyticsRelations, d: SqlDialect): string =>
  `SELECT DISTINCT country, poster_name, follower_count FROM (
  SELECT g.country AS country, p.poster_name AS poster_name, p.follower_count AS follower_count,
    max(p.follower_count) OVER (PARTITION BY g.country) AS top
  FROM ${pinGeo(r, d)}
) t WHERE follower_count = top`;

/** pin⋈user rows in an age group (or the NULL group), with `age_group`, `post_year` (join year) and `follower_count`, `category`. */
const pinUserGrouped = (r: AnalyticsRelations, d: SqlDialect): string =>
  `SELECT ${ageGroup('u.age')} AS age_group, ${utcYear(d, 'u.date_joined')} AS post_year, p.category AS category, p.follower_count AS follower_count
  FROM ${pinUser(r, d)} WHERE ${inAgeGroups('u.age')}`;

/** The ten result sets of docs/data.md §5, in the order of docs/data.md §5. */
export const ANALYTICS: readonly Analytic[] = [
  {
    id: 'popular_category_by_country',
    description: 'Most popular category per country (pin⋈geo); ties kept.',
    columns: [col('country', 'VARCHAR'), col('category', 'VARCHAR'), col('category_count', 'BIGINT')],
    sql: (r, d = duckdbDialect) =>
      mostPopular(
        'country',
        `SELECT g.country AS country, p.category AS category, count(*) AS category_count FROM ${pinGeo(r, d)} GROUP BY g.country, p.category`,
        orderBy('country', 'category', 'category_count'),
      ),
  },
  {
    id: 'category_count_by_year',
    description: 'Posts per category per year, years 2018–2022 (pin⋈geo, UTC year of the post timestamp).',
    columns: [col('post_year', 'INTEGER'), col('category', 'VARCHAR'), col('category_count', 'BIGINT')],
    sql: (r, d = duckdbDialect) =>
      `SELECT post_year, category, category_count FROM (${categoryByYear(r, d)}) c\n${orderBy('post_year', 'category', 'category_count')}`,
  },
  {
    id: 'popular_category_by_year',
    description: 'Most popular category per year, 2018–2022; ties kept.',
    columns: [col('post_year', 'INTEGER'), col('category', 'VARCHAR'), col('category_count', 'BIGINT')],
    sql: (r, d = duckdbDialect) => mostPopular('post_year', categoryByYear(r, d), orderBy('post_year', 'category', 'category_count')),
  },
  {
    id: 'most_followed_user_by_country',
    description:
      'Per country, the poster(s) with the most followers (pin⋈geo); ties kept, identical rows once; countries without any follower count have no row.',
    columns: [col('country', 'VARCHAR'), col('poster_name', 'VARCHAR'), col('follower_count', 'INTEGER')],
    sql: (r, d = duckdbDialect) =>
      `SELECT country, poster_name, follower_count FROM (${mostFollowed(r, d)}) m\n${orderBy('country', 'poster_name', 'follower_count')}`,
  },
  {
    id: 'country_with_most_followed_user',
    description: 'The single country holding the top poster (tie → alphabetically first country, NULL last); no row when no follower count is known.',
    columns: [col('country', 'VARCHAR'), col('follower_count', 'INTEGER')],
    sql: (r, d = duckdbDialect) =>
      `SELECT country, follower_count FROM (${mostFollowed(r, d)}) m\nORDER BY follower_count DESC NULLS LAST, country NULLS LAST LIMIT 1`,
  },
  {
    id: 'popular_category_by_age_group',
    description: 'Most popular category per age group (pin⋈user); ties kept; ages under 18 left out, a NULL age is the NULL group.',
    columns: [col('age_group', 'VARCHAR'), col('category', 'VARCHAR'), col('category_count', 'BIGINT')],
    sql: (r, d = duckdbDialect) =>
      mostPopular(
        'age_group',
        `SELECT age_group, category, count(*) AS category_count FROM (${pinUserGrouped(r, d)}) t GROUP BY age_group, category`,
        orderBy(ageGroupOrder('age_group'), 'category', 'category_count'),
      ),
  },
  {
    id: 'median_followers_by_age_group',
    description: 'Lower median follower count per age group (pin⋈user); NULL when the group has no follower count.',
    columns: [col('age_group', 'VARCHAR'), col('median_follower_count', 'INTEGER')],
    sql: (r, d = duckdbDialect) =>
      `SELECT age_group, ${lowerMedian(d, 'follower_count')} AS median_follower_count FROM (${pinUserGrouped(r, d)}) t GROUP BY age_group\n${orderBy(ageGroupOrder('age_group'))}`,
  },
  {
    id: 'users_joined_by_year',
    description: 'Users (distinct ind) joined per UTC year, 2015–2020 (user only).',
    columns: [col('post_year', 'INTEGER'), col('number_users_joined', 'BIGINT')],
    sql: (r, d = duckdbDialect) => `SELECT post_year, count(DISTINCT ind) AS number_users_joined FROM (
  SELECT ${utcYear(d, 'date_joined')} AS post_year, ind FROM ${relationSql(r.user, d)}
) t WHERE post_year BETWEEN 2015 AND 2020 GROUP BY post_year\n${orderBy('post_year')}`,
  },
  {
    id: 'median_followers_by_join_year',
    description: 'Lower median follower count by join year, 2015–2020 (pin⋈user).',
    columns: [col('post_year', 'INTEGER'), col('median_follower_count', 'INTEGER')],
    sql: (r, d = duckdbDialect) => `SELECT post_year, ${lowerMedian(d, 'follower_count')} AS median_follower_count FROM (
  SELECT ${utcYear(d, 'u.date_joined')} AS post_year, p.follower_count AS follower_count FROM ${pinUser(r, d)}
) t WHERE post_year BETWEEN 2015 AND 2020 GROUP BY post_year\n${orderBy('post_year')}`,
  },
  {
    id: 'median_followers_by_age_group_and_join_year',
    description: 'Lower median follower count per age group and join year, 2015–2020 (pin⋈user).',
    columns: [col('age_group', 'VARCHAR'), col('post_year', 'INTEGER'), col('median_follower_count', 'INTEGER')],
    sql: (r, d = duckdbDialect) => `SELECT age_group, post_year, ${lowerMedian(d, 'follower_count')} AS median_follower_count FROM (${pinUserGrouped(r, d)}) t
WHERE post_year BETWEEN 2015 AND 2020 GROUP BY age_group, post_year\n${orderBy(ageGroupOrder('age_group'), 'post_year')}`,
  },
];
