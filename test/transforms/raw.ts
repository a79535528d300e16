import type { Sql } from '../../src/core/duckdb.js';

/** One raw record as the cleaning reads it. */
export interface RawRow {
  payload: string | null;
  source: string;
}

/** Creates table `name(payload VARCHAR, source VARCHAR)` holding `rows` (passed as one bound JSON parameter, never as SQL text). */
export async function loadRaw(sql: Sql, name: string, rows: readonly RawRow[]): Promise<void> {
  await sql.exec(`CREATE OR REPLACE TABLE ${name} (payload VARCHAR, source VARCHAR)`);
  if (rows.length === 0) return;
  await sql.exec(`INSERT INTO ${name} SELECT r.payload, r.source FROM (SELECT unnest(from_json($1, '[{"payload":"VARCHAR","source":"VARCHAR"}]')) AS r)`, [
    JSON.stringify(rows),
  ]);
}

/** Raw rows from records: each object/value becomes JSON text; a string is taken as the payload text itself. */
export function rawRows(records: readonly unknown[], prefix = 'r'): RawRow[] {
  return records.map((r, i) => ({ payload: typeof r === 'string' || r === null ? (r as string | null) : JSON.stringify(r), source: `${prefix}#${i}` }));
}

/** A well-formed pin record as the emulator sends it (docs/data.md §2); `over` replaces or removes (undefined) keys. */
export function pin(index: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return drop({
    index,
    unique_id: '9bf39437-42a6-4f02-99a0-9a0383d8cd70',
    title: '25 Super Fun Summer Crafts for Kids',
    description: 'Keep the kids busy this summer …\u00a0',
    poster_name: 'Super Simple',
    follower_count: '51k',
    tag_list: 'Summer Crafts For Kids,Fun Crafts For Kids',
    is_image_or_video: 'image',
    image_src: 'https://i.pinimg.com/originals/b3/bc/e2/b3bce2964e8c8975387b39fabcb9d2b0.jpg',
    downloaded: 1,
    save_location: 'Local save in /data/diy-and-crafts',
    category: 'diy-and-crafts',
    ...over,
  });
}

/** A well-formed geo record. */
export function geo(ind: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return drop({
    ind,
    timestamp: '2018-06-26 02:39:25',
    latitude: -88.4642,
    longitude: -171.061,
    country: 'Antarctica (the territory South of 60 deg S)',
    ...over,
  });
}

/** A well-formed user record. */
export function user(ind: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return drop({ ind, first_name: 'Andrea', last_name: 'Alexander', age: 21, date_joined: '2015-12-20 16:38:13', ...over });
}

function drop(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
