import { sqlIdent, sqlString } from '../core/duckdb.js';
import { CLEAN_COLUMNS, type RecordKind } from './kinds.js';
import { exactCol, keyColumn, PLANS, rawCol, rawKeyColumn, suspicion, typed } from './plans.js';
import { columnSql, relationSql } from './relation.js';

/** Options shared by the cleaning queries. */
export interface CleanOptions {
  /** Input columns carried unchanged after the output columns (e.g. `['source']` for dedupeSql, `['ingested_at']`). */
  readonly carry?: readonly string[];
}

/** Carried columns, quoted; `source` and `payload` are always present where they belong. */
function carried(opts: CleanOptions | undefined, without: readonly string[]): string[] {
  return (opts?.carry ?? []).filter((c) => !without.includes(c)).map(columnSql);
}

function structure(fields: readonly string[], type: 'VARCHAR' | 'JSON'): string {
  return sqlString(JSON.stringify(Object.fromEntries(fields.map((f) => [f, type]))));
}

/*
 * Layers, innermost first: parse each payload once into the fields' VARCHAR texts (r_*);
 * flag suspicious rows; parse those rows again for the exact JSON texts (x_*); compute typed
 * values (t_*); decide the reject reason; compute the cleaned columns. DuckDB evaluates a CASE
 * branch only for the rows that take it, so the second parse and json_type run only for the
 * rare rows that need them.
 */
function classifiedFrom(kind: RecordKind, from: string, opts?: CleanOptions): string {
  const plan = PLANS[kind];
  const fields = Object.keys(plan.fields);
  const pass = ['"source"', '"payload"', ...carried(opts, ['source', 'payload'])].join(', ');
  const raw = fields.map((f) => `jv.${sqlIdent(f)} AS ${rawCol(f)}`).join(', ');
  const suspicious = Object.entries(plan.fields).map(([f, cls]) => suspicion(f, cls)).filter((e) => e !== undefined).join('\n        OR ');
  // As VARCHAR: casts from the JSON type follow JSON rules (true → 1, '"12"' → 12), not ours.
  const exact = fields.map((f) => `CAST(jx.${sqlIdent(f)} AS VARCHAR) AS ${exactCol(f)}`).join(', ');
  const typedCols = Object.entries(plan.fields).flatMap(([f, cls]) => typed(f, cls)).map(([n, e]) => `${e} AS ${sqlIdent(n)}`).join(',\n      ');
  const key = keyColumn(kind);
  const rawKey = rawKeyColumn(kind);
  const reason = `CASE WHEN ${key} IS NOT NULL THEN NULL
      WHEN jv_null THEN (CASE WHEN try(json_type("payload")) IS NULL THEN 'not_json' ELSE 'not_object' END)
      WHEN try(json_type("payload")) <> 'OBJECT' THEN 'not_object'
      WHEN ${rawKey} IS NULL THEN 'missing_key'
      ELSE 'bad_key' END`;
  const out = CLEAN_COLUMNS[kind].map((c) => `CAST(${plan.out[c.name]} AS ${c.type}) AS ${sqlIdent(c.name)}`).join(',\n  ');
  return `SELECT ${out},
  ${pass.replace('"payload"', 'CASE WHEN reject_reason IS NOT NULL THEN "payload" END AS "payload"')}, reject_reason
FROM (
  SELECT *, ${reason} AS reject_reason
  FROM (
    SELECT *,
      ${typedCols}
    FROM (
      SELECT *, ${exact}
      FROM (
        SELECT *, CASE WHEN suspicious THEN json_transform("payload", ${structure(fields, 'JSON')}) END AS jx
        FROM (
          SELECT *, ${suspicious} AS suspicious
          FROM (
            SELECT ${pass}, jv IS NULL AS jv_null, ${raw}
            FROM (SELECT ${pass}, try(json_transform("payload", ${structure(fields, 'VARCHAR')})) AS jv FROM ${from}) parsed
          ) raw
        ) flagged
      ) reparsed
    ) exact
  ) typed
) classified`;
}

function cleanFrom(kind: RecordKind, from: string, opts?: CleanOptions): string {
  const cols = [...CLEAN_COLUMNS[kind].map((c) => sqlIdent(c.name)), ...carried(opts, [])];
  return `SELECT ${cols.join(', ')} FROM ${from} WHERE reject_reason IS NULL`;
}

function rejectsFrom(kind: RecordKind, from: string, opts?: CleanOptions): string {
  const extra = carried(opts, ['source', 'payload']).map((c) => `, ${c}`).join('');
  return `SELECT CAST(${sqlString(kind)} AS VARCHAR) AS kind, "source", reject_reason AS reason, "payload"${extra} FROM ${from} WHERE reject_reason IS NOT NULL`;
}

/**
 * Every record of `input` (a relation with `payload VARCHAR`, `source VARCHAR`) exactly once:
 * the cleaned columns of SPEC §4 (meaningful only for clean rows), then `source`, `payload`
 * (kept only for rejects, NULL otherwise), any carried columns, and `reject_reason` (NULL when
 * the record is clean, else not_json / not_object / missing_key / bad_key). Each payload is
 * parsed once. Materialize it when both the clean rows and the rejects are wanted, then read
 * it with cleanFromClassifiedSql and rejectsFromClassifiedSql.
 */
export function classifiedSql(kind: RecordKind, input: string, opts?: CleanOptions): string {
  return classifiedFrom(kind, relationSql(input), opts);
}

/** The clean rows of a relation made by classifiedSql: SPEC §4 columns, then carried ones. */
export function cleanFromClassifiedSql(kind: RecordKind, classified: string, opts?: CleanOptions): string {
  return cleanFrom(kind, relationSql(classified), opts);
}

/** The rejects of a relation made by classifiedSql: `kind, source, reason, payload`, then carried columns. */
export function rejectsFromClassifiedSql(kind: RecordKind, classified: string, opts?: CleanOptions): string {
  return rejectsFrom(kind, relationSql(classified), opts);
}

/**
 * The cleaned rows of `input` (SPEC §4 columns and types, in order) for the records that are
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
