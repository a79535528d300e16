import { sparkDialect as d } from './dialect/index.js';
import { followerCountParts, integer } from './expressions.js';
import { CLEAN_COLUMNS, KEY_FIELD, type RecordKind } from './kinds.js';
import { exactCol, kindPlan, rawCol, typed, typedCol, valueFields } from './plans.js';

const list = (xs: readonly string[], sep = ', '): string => xs.join(sep);

/** The path of a top-level JSON key for variant_get. */
const path = (key: string): string => d.string(`$["${key}"]`);

/*
 * The classified query in Spark SQL (4.x): the same cleaning definitions as classifiedLayers
 * (plans.ts, expressions.ts), over Spark's VARIANT instead of DuckDB's JSON functions. Layers:
 *  parsed    each payload parsed once (try_parse_json: NULL when it is not JSON);
 *  fields    each field's variant (v_<f>);
 *  raw       r_<f> as DuckDB's json_transform(…, 'VARCHAR') gives it (a string's content, any
 *            other value's JSON text, NULL when absent or null) and x_<f>, its exact JSON text
 *            (strings keep their quotes) — for every row: DuckDB's fast path, which skips x for
 *            rows that cannot need it, is an optimisation the definitions do not depend on;
 *  keyed     the key and the reject reason;
 *  typed     the exact typed values (plans.ts `typed(…).exact`) and follower_count's groups;
 *  out       the cleaned columns of docs/data.md §4.
 * Output columns as classifiedSql's: the docs/data.md §4 columns, `source`, `payload` (rejects only),
 * the carried columns, `reject_reason`.
 */
export function sparkClassifiedLayers(kind: RecordKind, from: string, opts: { carry: readonly string[] }): string {
  const plan = kindPlan(kind, d);
  const fields = Object.keys(plan.fields);
  const key = KEY_FIELD[kind];
  const source = d.ident('source');
  const payload = d.ident('payload');
  const pass = [source, payload, ...opts.carry];
  const v = (f: string): string => d.ident(`v_${f}`);
  const raw = fields.flatMap((f) => [
    `CASE WHEN is_variant_null(${v(f)}) THEN NULL ELSE variant_get(${v(f)}, '$', 'string') END AS ${rawCol(d, f)}`,
    `CASE WHEN is_variant_null(${v(f)}) THEN NULL ELSE to_json(${v(f)}) END AS ${exactCol(d, f)}`,
  ]);
  const t = typedCol(d, key);
  const r = rawCol(d, key);
  const reason = `CASE WHEN ${t} IS NOT NULL THEN NULL
        WHEN jv IS NULL THEN 'not_json'
        WHEN NOT startswith(schema_of_variant(jv), 'OBJECT') THEN 'not_object'
        WHEN ${r} IS NULL THEN 'missing_key'
        ELSE 'bad_key' END`;
  const cols = valueFields(kind).flatMap(([f, cls]) => typed(d, f, cls));
  const groups = valueFields(kind)
    .filter(([, cls]) => cls === 'followers')
    .map(([f]) => `${followerCountParts(d, typedCol(d, f))} AS ${d.ident(`p_${f}`)}`);
  const out = CLEAN_COLUMNS[kind].map((c) => `CAST(${plan.out[c.name]} AS ${d.type(c.type)}) AS ${d.ident(c.name)}`);
  const outPass = pass.map((c) => (c === payload ? `CASE WHEN reject_reason IS NOT NULL THEN ${payload} END AS ${payload}` : c));
  return `SELECT ${list(out, ',\n  ')},
  ${list(outPass)}, reject_reason
FROM (
  SELECT *${list(
    groups.map((g) => `, ${g}`),
    '',
  )}
  FROM (
    SELECT *, ${list(cols.map((c) => `${c.exact} AS ${d.ident(c.name)}`))}
    FROM (
      SELECT *, ${reason} AS reject_reason FROM (
        SELECT *, ${integer(d, r, exactCol(d, key))} AS ${t} FROM (
          SELECT ${list(pass)}, jv, ${list(raw)}
          FROM (
            SELECT ${list(pass)}, jv, ${list(fields.map((f) => `variant_get(jv, ${path(f)}) AS ${v(f)}`))}
            FROM (SELECT ${list(pass)}, try_parse_json(${payload}) AS jv FROM ${from}) parsed
          ) fields
        ) raw
      ) keyed
    ) reasoned
  ) typed
) grouped`;
}
