import { sqlIdent, sqlString } from '../core/duckdb.js';
import { sourceOrderKey } from './dedupe.js';
import { followerCountParts, jsonIntegralNumber } from './expressions.js';
import { CLEAN_COLUMNS, KEY_FIELD, type RecordKind } from './kinds.js';
import { duckdbDialect as d } from './dialect/index.js';
import { exactCol, kindPlan, rawCol, suspicion, typed, typedCol, valueFields } from './plans.js';

/** How classifiedLayers builds its query. */
export interface LayerOptions {
  /** Carried input columns (quoted), besides source and payload. */
  readonly carry: readonly string[];
  /** Reduce the clean records to one per key (first by source order); rejects are all kept. */
  readonly dedupe?: boolean;
  /** With dedupe: a relation (quoted) of cleaned rows whose keys are left out. */
  readonly existing?: string;
}

const structure = (fields: readonly string[], type: 'VARCHAR' | 'JSON'): string => sqlString(JSON.stringify(Object.fromEntries(fields.map((f) => [f, type]))));
const list = (xs: readonly string[], sep = ', '): string => xs.join(sep);

/*
 * The classified query, innermost layer first:
 *  parsed    each payload parsed once into the fields' VARCHAR texts (r_*);
 *  keyed     the key (t_<key>: digits read directly, anything else from its exact JSON text) and
 *            the reject reason — nothing else, so a rejects-only query costs one parse;
 *  [deduped] with `dedupe`: one row per key (and every reject) in one hash aggregate, so the
 *            layers below run once per key instead of once per record (measured on 1M events of
 *            11k keys: the whole cleaning then costs little more than the parse);
 *  flagged   rows where some r_* may be the text of a non-string (see expressions.ts);
 *  exact     the exact JSON texts (x_*), parsed again only for flagged rows;
 *  resolved  typed values: a row-level choice between the ordinary and the exact expressions;
 *  typed     those values as columns, with follower_count's pattern groups;
 *  out       the cleaned columns of docs/data.md §4.
 * DuckDB evaluates a CASE branch only for the rows that take it (only one branch when a whole
 * vector agrees), so second parses and json_type run only for the rare rows that need them.
 */
export function classifiedLayers(kind: RecordKind, from: string, opts: LayerOptions): string {
  const plan = kindPlan(kind, d);
  const fields = Object.keys(plan.fields);
  const key = KEY_FIELD[kind];
  const r = rawCol(d, key);
  const t = typedCol(d, key);
  const pass = ['"source"', '"payload"', ...opts.carry];
  const raw = fields.map((f) => `jv.${sqlIdent(f)} AS ${rawCol(d, f)}`);
  const exactKey = `CAST(json_extract("payload", ${sqlString(`$."${key}"`)}) AS VARCHAR)`;
  const keyValue = `CASE WHEN regexp_full_match(${r}, '[0-9]+') THEN TRY_CAST(${r} AS BIGINT)
        WHEN ${r} IS NOT NULL THEN (CASE WHEN starts_with(${exactKey}, '"') THEN NULL ELSE ${jsonIntegralNumber(d, exactKey)} END) END`;
  const reason = `CASE WHEN ${t} IS NOT NULL THEN NULL
        WHEN jv_null THEN (CASE WHEN try(json_type("payload")) IS NULL THEN 'not_json' ELSE 'not_object' END)
        WHEN try(json_type("payload")) <> 'OBJECT' THEN 'not_object'
        WHEN ${r} IS NULL THEN 'missing_key'
        ELSE 'bad_key' END`;
  const tests = valueFields(kind)
    .map(([f, cls]) => suspicion(d, f, cls))
    .filter((e) => e !== undefined);
  const suspicious = tests.length ? list(tests, '\n        OR ') : 'false';
  const cols = valueFields(kind).flatMap(([f, cls]) => typed(d, f, cls));
  const pack = (which: 'fast' | 'exact'): string => `struct_pack(${list(cols.map((c) => `${sqlIdent(c.name)} := ${c[which]}`))})`;
  const unpacked = [
    ...cols.map((c) => `s.${sqlIdent(c.name)} AS ${sqlIdent(c.name)}`),
    ...valueFields(kind)
      .filter(([, cls]) => cls === 'followers')
      .map(([f]) => `${followerCountParts(d, `s.${typedCol(d, f)}`)} AS ${sqlIdent(`p_${f}`)}`),
  ];
  const out = CLEAN_COLUMNS[kind].map((c) => `CAST(${plan.out[c.name]} AS ${c.type}) AS ${sqlIdent(c.name)}`);

  let rows = `(
            SELECT *, ${reason} AS reject_reason FROM (
              SELECT *, ${keyValue} AS ${t} FROM (
                SELECT ${list(pass)}, jv IS NULL AS jv_null, ${list(raw)}
                FROM (SELECT ${list(pass)}, try(json_transform("payload", ${structure(fields, 'VARCHAR')})) AS jv FROM ${from}) parsed
              ) raw
            ) keyed
          ) reasoned`;
  if (opts.dedupe) {
    const kept = ['"source"', '"payload"', 'reject_reason', t, ...fields.map((f) => rawCol(d, f)), ...opts.carry].map((c) => `${c} := ${c}`);
    const fresh = opts.existing ? `\n          AND (reject_reason IS NOT NULL OR NOT EXISTS (SELECT 1 FROM ${opts.existing} e WHERE e."ind" = ${t}))` : '';
    rows = `(
        SELECT w.* FROM (
          SELECT min_by(struct_pack(${list(kept)}), ${sourceOrderKey('"source"')}) AS w
          FROM ${rows}
          WHERE true${fresh}
          GROUP BY CASE WHEN reject_reason IS NULL THEN ${t} END, CASE WHEN reject_reason IS NOT NULL THEN "source" END
        ) grouped
      ) deduped`;
  }
  rows = `(SELECT *, ${suspicious} AS suspicious FROM ${rows}) flagged`;
  return `SELECT ${list(out, ',\n  ')},
  ${list(pass.map((c) => (c === '"payload"' ? 'CASE WHEN reject_reason IS NOT NULL THEN "payload" END AS "payload"' : c)))}, reject_reason
FROM (
  SELECT *, ${list(unpacked, ',\n    ')}
  FROM (
    SELECT *, CASE WHEN suspicious THEN ${pack('exact')} ELSE ${pack('fast')} END AS s
    FROM (
      SELECT *, ${list(fields.filter((f) => f !== key).map((f) => `CAST(jx.${sqlIdent(f)} AS VARCHAR) AS ${exactCol(d, f)}`))}
      FROM (
        SELECT *, CASE WHEN suspicious THEN json_transform("payload", ${structure(fields, 'JSON')}) END AS jx
        FROM ${rows}
      ) reparsed
    ) exact
  ) resolved
) typed`;
}
