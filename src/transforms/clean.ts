import { duckdbDialect, type SqlDialect } from './dialect/index.js';
import { CLEAN_COLUMNS, type RecordKind } from './kinds.js';
import { classifiedLayers } from './layers.js';
import { columnSql, relationSql } from './relation.js';
import { sparkClassifiedLayers } from './spark-layers.js';

/** Options shared by the cleaning queries. */
export interface CleanOptions {
  /** Input columns carried unchanged after the output columns (e.g. `['source']` for dedupeSql, `['ingested_at']`). */
  readonly carry?: readonly string[];
  /** The SQL dialect (default DuckDB; Spark for the exported Spark job, which has no `dedupe` option here). */
  readonly dialect?: SqlDialect;
}

/** Options of classifiedSql. */
export interface DedupeChoice {
  /** Keep one clean record per `ind` (the first by source order, see sourceOrderKey) and every reject. */
  readonly dedupe?: boolean;
  /** With dedupe: a table of cleaned rows whose keys are left out (the result can be appended to it). */
  readonly existing?: string;
}

const dialectOf = (opts: CleanOptions | undefined): SqlDialect => opts?.dialect ?? duckdbDialect;

/** Carried columns, quoted; `source` and `payload` are always present where they belong. */
function carried(opts: CleanOptions | undefined, without: readonly string[]): string[] {
  return (opts?.carry ?? []).filter((c) => !without.includes(c)).map((c) => columnSql(c, dialectOf(opts)));
}

function classifiedFrom(kind: RecordKind, from: string, opts?: CleanOptions & DedupeChoice): string {
  if (dialectOf(opts).name === 'spark') {
    if (opts?.dedupe) throw new Error('classifiedSql: dedupe is DuckDB-only; in Spark, classify distinct payloads and use dedupeSql');
    return sparkClassifiedLayers(kind, from, { carry: carried(opts, ['source', 'payload']) });
  }
  const existing = opts?.existing === undefined ? undefined : relationSql(opts.existing);
  return classifiedLayers(kind, from, { carry: carried(opts, ['source', 'payload']), dedupe: opts?.dedupe, existing });
}

function cleanFrom(kind: RecordKind, from: string, opts?: CleanOptions): string {
  const cols = [...CLEAN_COLUMNS[kind].map((c) => dialectOf(opts).ident(c.name)), ...carried(opts, [])];
  return `SELECT ${cols.join(', ')} FROM ${from} WHERE reject_reason IS NULL`;
}

function rejectsFrom(kind: RecordKind, from: string, opts?: CleanOptions): string {
  const extra = carried(opts, ['source', 'payload'])
    .map((c) => `, ${c}`)
    .join('');
  const d = dialectOf(opts);
  return `SELECT CAST(${d.string(kind)} AS ${d.type('VARCHAR')}) AS kind, ${d.ident('source')}, reject_reason AS reason, ${d.ident('payload')}${extra} FROM ${from} WHERE reject_reason IS NOT NULL`;
}

/**
 * Every record of `input` (a relation with `payload VARCHAR`, `source VARCHAR`) exactly once:
 * the cleaned columns of docs/data.md §4 (meaningful only for clean rows), then `source`, `payload`
 * (kept only for rejects, NULL otherwise), any carried columns, and `reject_reason` (NULL when
 * the record is clean, else not_json / not_object / missing_key / bad_key). Each payload is
 * parsed once. With `dedupe`, the clean records are reduced to one per `ind` in the same pass
 * (what dedupeSql does, but cleaning only the kept records: much faster when keys repeat).
 * The result is small then: materialize it and split it with cleanFromClassifiedSql and
 * rejectsFromClassifiedSql.
 * @example await sql.exec(`CREATE TEMP TABLE staged AS ${classifiedSql('pin', 'raw_pin', { dedupe: true, existing: 'pin' })}`)
 */
export function classifiedSql(kind: RecordKind, input: string, opts?: CleanOptions & DedupeChoice): string {
  return classifiedFrom(kind, relationSql(input, dialectOf(opts)), opts);
}

/** The clean rows of a relation made by classifiedSql: docs/data.md §4 columns, then carried ones. */
export function cleanFromClassifiedSql(kind: RecordKind, classified: string, opts?: CleanOptions): string {
  return cleanFrom(kind, relationSql(classified, dialectOf(opts)), opts);
}

/** The rejects of a relation made by classifiedSql: `kind, source, reason, payload`, then carried columns. */
export function rejectsFromClassifiedSql(kind: RecordKind, classified: string, opts?: CleanOptions): string {
  return rejectsFrom(kind, relationSql(classified, dialectOf(opts)), opts);
}

/**
 * The cleaned rows of `input` (docs/data.md §4 columns and types, in order) for the records that are
 * not rejects. With `carry: ['source']` the result can feed dedupeSql.
 * @example await sql.all(cleanSql('pin', 'raw_pin'))
 */
export function cleanSql(kind: RecordKind, input: string, opts?: CleanOptions): string {
  return cleanFrom(kind, `(${classifiedSql(kind, input, opts)}) c`, opts);
}

/** The rejected records of `input`: `kind, source, reason, payload` (+ carried columns). With cleanSql, every input row lands in exactly one of the two. */
export function rejectsSql(kind: RecordKind, input: string, opts?: CleanOptions): string {
  return rejectsFrom(kind, `(${classifiedSql(kind, input, opts)}) c`, opts);
}
