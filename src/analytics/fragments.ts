import type { SqlDialect } from '../transforms/dialect/index.js';

/*
 * SQL fragments shared by the result sets of docs/data.md §5. They stay in the common ground of DuckDB
 * and Spark SQL; where the engines differ, the SqlDialect spells it.
 */

/** Age groups of docs/data.md §5 in their natural order; ages under 18 are in none. */
export const AGE_GROUPS = ['18-24', '25-35', '36-50', '+50'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The age group of an age; NULL for a NULL age (its own group) and for ages under 18 (filtered out by `inAgeGroups`). */
export function ageGroup(age: string): string {
  return `CASE WHEN ${age} BETWEEN 18 AND 24 THEN '18-24' WHEN ${age} BETWEEN 25 AND 35 THEN '25-35' WHEN ${age} BETWEEN 36 AND 50 THEN '36-50' WHEN ${age} > 50 THEN '+50' END`;
}

/** Keeps the rows whose age falls in a group, and the NULL-age rows (the NULL group); drops ages under 18. */
export function inAgeGroups(age: string): string {
  return `(${age} IS NULL OR ${age} >= 18)`;
}

/** Sort key putting age groups in natural order, NULL last. */
export function ageGroupOrder(col: string): string {
  return `CASE ${col} ${AGE_GROUPS.map((g, i) => `WHEN '${g}' THEN ${i + 1}`).join(' ')} END NULLS LAST`;
}

/** The UTC calendar year of a TIMESTAMPTZ as INTEGER, whatever the session time zone. */
export function utcYear(d: SqlDialect, ts: string): string {
  return d.utcYear(ts);
}

/** The lower median (value at 1-based position ⌈n/2⌉ of the sorted non-NULL values), as Spark's percentile_approx(x, 0.5) gives it. */
export function lowerMedian(d: SqlDialect, x: string): string {
  return d.lowerMedian(x);
}

/** Ascending, NULLs last, for each column (explicit: Spark's default puts NULLs first). */
export function orderBy(...cols: string[]): string {
  return `ORDER BY ${cols.map((c) => (c.endsWith('NULLS LAST') ? c : `${c} NULLS LAST`)).join(', ')}`;
}
