import type { Sql } from '../../src/core/duckdb.js';
import { CLEAN_COLUMNS } from '../../src/transforms/index.js';
import type { GeoRow, PinRow, ResultRow, UserRow } from './reference.js';

/** Creates cleaned tables `pin`, `geo`, `user` (docs/data.md §4 schema) holding the given rows, passed as bound JSON parameters. */
export async function loadTables(sql: Sql, pins: PinRow[], geos: GeoRow[], users: UserRow[]): Promise<void> {
  for (const kind of ['pin', 'geo', 'user'] as const) {
    await sql.exec(`CREATE OR REPLACE TABLE "${kind}" (${CLEAN_COLUMNS[kind].map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  }
  const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
  const load = async (table: string, structure: string, select: string, rows: unknown[]): Promise<void> => {
    if (rows.length)
      await sql.exec(`INSERT INTO "${table}" BY NAME SELECT ${select} FROM (SELECT unnest(from_json($1, '${structure}')) AS r)`, [JSON.stringify(rows)]);
  };
  await load(
    'pin',
    '[{"ind":"BIGINT","category":"VARCHAR","poster_name":"VARCHAR","follower_count":"INTEGER"}]',
    'r.ind, r.category, r.poster_name, r.follower_count',
    pins,
  );
  await load(
    'geo',
    '[{"ind":"BIGINT","country":"VARCHAR","ts":"VARCHAR"}]',
    'r.ind, r.country, CAST(r.ts AS TIMESTAMPTZ) AS "timestamp"',
    geos.map((g) => ({ ind: g.ind, country: g.country, ts: iso(g.timestamp) })),
  );
  await load(
    'user',
    '[{"ind":"BIGINT","age":"INTEGER","joined":"VARCHAR"}]',
    'r.ind, r.age, CAST(r.joined AS TIMESTAMPTZ) AS date_joined',
    users.map((u) => ({ ind: u.ind, age: u.age, joined: iso(u.date_joined) })),
  );
}

/** DuckDB rows as plain comparable values (BIGINT → number). */
export function plain(rows: Record<string, unknown>[]): ResultRow[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as ResultRow[string])])));
}

/** A seeded pseudo-random generator (mulberry32). */
export function random(seed: number): {
  next: () => number;
  int: (lo: number, hi: number) => number;
  pick: <T>(xs: readonly T[]) => T;
  chance: (p: number) => boolean;
} {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)], chance: (p) => next() < p };
}
