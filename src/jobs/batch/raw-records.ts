import { sqlIdent, sqlString, type Sql } from '../../core/duckdb.js';
import { PinpipeError } from '../../core/errors.js';
import type { ObjectStore } from '../../lake/object-store.js';
import type { RawObject } from './raw-objects.js';

/** A raw object to read, and whether its records are new to the rejects table (it may lag behind the cleaned table after a crash). */
export interface ObjectToRead extends RawObject {
  readonly newForRejects: boolean;
}

/** What createRawRecords makes: the objects table and the query of their records. */
export interface RawRecords {
  /** TEMP TABLE (`file_id`, `path`, `key`, `new_for_rejects`), file_id numbering the objects in key order. */
  readonly files: string;
  /** A SELECT of every record: `payload`, `file_id`, `line` (from 1). Inline it (e.g. as a CTE): it binds the objects' paths each time it is bound, so it is no view. */
  readonly sql: string;
  /** Local path → object key, to name an object in errors. */
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * The records (lines) of raw objects: TEMP TABLE `files` and a query with one row per line,
 * `payload` (the line's text, untouched), `file_id`, `line`. (file_id, line) orders records
 * exactly as dedupeSql's source order does for their sources `<key>#<line>` (see sourceSql),
 * without building a source string for each record. Each object is read whole by DuckDB
 * (`read_text` on its local path) and split on newlines; the empty piece after the final newline
 * is not a record. (Measured against `read_csv` with a '\x1f' delimiter: no slower, and it numbers
 * lines and never cuts a line holding a raw control character.) Parquet objects are read by
 * `read_parquet`, a record per row (column `value`), its row number from 1 standing for the line.
 */
export async function createRawRecords(sql: Sql, store: ObjectStore, files: string, objects: readonly ObjectToRead[]): Promise<RawRecords> {
  const rows = await Promise.all(
    objects.map(async (o) => ({ path: await store.localPath(o.key), key: o.key, rejects: o.newForRejects, parquet: o.format === 'parquet' })),
  );
  await sql.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(files)} (file_id BIGINT, path VARCHAR, "key" VARCHAR, new_for_rejects BOOLEAN)`);
  if (rows.length) {
    await sql.exec(
      `INSERT INTO ${sqlIdent(files)} SELECT row_number() OVER (ORDER BY r.key), r.path, r.key, r.rejects FROM (SELECT unnest(from_json($1, '[{"path":"VARCHAR","key":"VARCHAR","rejects":"BOOLEAN"}]')) AS r)`,
      [JSON.stringify(rows)],
    );
  }
  const paths = (parquet: boolean): string =>
    rows
      .filter((r) => r.parquet === parquet)
      .map((r) => sqlString(r.path))
      .join(', ');
  const parts: string[] = [];
  if (rows.some((r) => !r.parquet))
    parts.push(`SELECT l.payload AS payload, l.file_id AS file_id, l.line AS line FROM (
  SELECT f.file_id, unnest(t.lines) AS payload, generate_subscripts(t.lines, 1) AS line, len(t.lines) AS n
  FROM (SELECT filename, string_split(content, chr(10)) AS lines FROM read_text([${paths(false)}])) t
  JOIN ${sqlIdent(files)} f ON f.path = t.filename
) l WHERE l.line < l.n OR l.payload <> ''`);
  // Parquet objects: a record per row, its text in column `value`; its line is its row number from 1.
  if (rows.some((r) => r.parquet))
    parts.push(`SELECT p.value AS payload, f.file_id AS file_id, p.file_row_number + 1 AS line
  FROM read_parquet([${paths(true)}], filename = true, file_row_number = true) p JOIN ${sqlIdent(files)} f ON f.path = p.filename`);
  const records = parts.length
    ? parts.join('\nUNION ALL\n')
    : `SELECT CAST(NULL AS VARCHAR) AS payload, CAST(NULL AS BIGINT) AS file_id, CAST(NULL AS BIGINT) AS line WHERE false`;
  return { files, sql: records, keys: new Map(rows.map((r) => [r.path, r.key])) };
}

/**
 * Each distinct payload of the records once: `payload`, `source` (the source of its first
 * occurrence in (object, line) order, `<key>#<line>`) and `n` (its occurrences).
 */
export function distinctPayloadsSql(raw: RawRecords): string {
  return `SELECT d.payload AS payload, ${sourceSql('d.pos')} AS source, d.n AS n FROM (
  SELECT payload, min(${positionSql('file_id', 'line')}) AS pos, count(*) AS n FROM (${raw.sql}) r GROUP BY payload
) d JOIN ${sqlIdent(raw.files)} f ON f.file_id = d.pos // 4294967296`;
}

/** A record's position as one BIGINT ordered like (file_id, line); lines stay below 2^32. */
export function positionSql(fileId: string, line: string): string {
  return `(${fileId} * 4294967296 + ${line})`;
}

/** The source text `<object key>#<line>` of a position made by positionSql, given the files table aliased `f` joined on `f.file_id`. */
export function sourceSql(position: string): string {
  return `f."key" || '#' || (${position} % 4294967296)`;
}

/**
 * Run a statement that reads raw records; DuckDB's refusal of a file that is not UTF-8 becomes
 * BATCH_OBJECT_UNREADABLE naming the object.
 */
export async function readingRaw<T>(raw: RawRecords, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const m = /could not read content of file '(.*)' as valid UTF-8/.exec((err as Error).message ?? '');
    if (!m) throw err;
    const key = raw.keys.get(m[1]) ?? m[1];
    throw new PinpipeError(
      'BATCH_OBJECT_UNREADABLE',
      `Raw lake object ${key} is not UTF-8 text, so its records cannot be read (the lake sink never writes such objects). Move it out of topics/ and run again.`,
      { cause: err },
    );
  }
}
