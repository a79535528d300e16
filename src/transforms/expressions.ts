import type { SqlDialect } from './dialect/index.js';

/*
 * SQL expression builders for the cleaning of docs/data.md §3–4, in any SqlDialect (the suspicion
 * tests are DuckDB's fast path only and stay in DuckDB SQL).
 *
 * Each raw field is read twice over, cheaply: `r` is its text as json_transform(…, 'VARCHAR')
 * gives it (a string's content unescaped; any other value's JSON text; NULL when absent or
 * null), and `x` is its exact JSON text as json_transform(…, 'JSON') gives it (strings keep
 * their quotes), computed only for "suspicious" rows — those where some `r` could be the text
 * of a non-string value, so that string-or-not decides the result. For every other row `x` is
 * NULL and `r` alone decides. Both must be plain column references (builders repeat them).
 * Nothing here can fail on any input: casts are TRY_CASTs, patterns are fixed.
 */

/**
 * True when `r` could be the text of a JSON number, boolean, object or array rather than of a
 * string (false positives only cost a second parse of the row). Byte-order range tests first;
 * a cast only for text that starts like a number (`-`, digit) or is as long as NaN / Infinity
 * and starts like them (the reader accepts those literals, in any case).
 */
export function suspiciousText(r: string): string {
  const nanOrInf = `((${r} >= 'I' AND ${r} < 'J') OR (${r} >= 'N' AND ${r} < 'O') OR (${r} >= 'i' AND ${r} < 'j') OR (${r} >= 'n' AND ${r} < 'o'))`;
  return `CASE WHEN ${r} < '-' THEN false
        WHEN ${r} < ':' THEN TRY_CAST(${r} AS DOUBLE) IS NOT NULL
        WHEN starts_with(${r}, '[') OR starts_with(${r}, '{') OR ${r} IN ('true', 'false') THEN true
        WHEN strlen(${r}) IN (3, 8) AND ${nanOrInf} THEN TRY_CAST(${r} AS DOUBLE) IS NOT NULL
        ELSE false END`;
}

/** True when an integer column's `r` is not plain digits (then string-or-number matters). */
export function suspiciousInteger(r: string): string {
  return `NOT regexp_full_match(${r}, '[0-9]+')`;
}

/**
 * True when a follower_count `r` might read differently as a JSON number than as a string: a
 * sign (`-5`) or a decimal point (`1.5`; `1.5k` is flagged too, harmlessly). Digits alone read
 * the same either way; exponents only appear for values no rule accepts.
 */
export function suspiciousFollowers(r: string): string {
  return `(starts_with(${r}, '-') OR contains(${r}, '.'))`;
}

/** A string column: the text when the value is a JSON string, else NULL. */
export function text(d: SqlDialect, r: string, x: string): string {
  return `CASE WHEN ${x} IS NULL OR ${d.startsWith(x, d.string('"'))} THEN ${r} END`;
}

/** `s` (a text expression) with the empty string and the exact `markers` replaced by NULL. */
export function withoutMarkers(d: SqlDialect, s: string, markers: readonly string[] = []): string {
  return `CASE WHEN ${s} IN (${['', ...markers].map(d.string).join(', ')}) THEN NULL ELSE ${s} END`;
}

/** An integral JSON number (`12`, `-3`, `12.0`, `1e3`) given as JSON text → BIGINT; NULL for anything else. */
export function jsonIntegralNumber(d: SqlDialect, x: string): string {
  const n = d.textToDouble(x);
  return `CASE WHEN ${d.fullMatch(x, '-?[0-9]+')} THEN ${d.tryCast(x, 'BIGINT')} WHEN ${d.isIntegral(n)} THEN ${d.tryCast(n, 'BIGINT')} END`;
}

/** docs/data.md §4 integer column: a JSON integer, an integral float or a string of digits (no sign, no spaces) → BIGINT; else NULL. */
export function integer(d: SqlDialect, r: string, x: string): string {
  return `CASE WHEN ${d.fullMatch(r, '[0-9]+')} THEN ${d.tryCast(r, 'BIGINT')} ELSE ${jsonNumber(d, x)} END`;
}

/** docs/data.md §4 float column: a JSON number or a numeric string → DOUBLE; non-finite values and anything else → NULL. */
export function double(d: SqlDialect, r: string): string {
  return `CASE WHEN ${d.isFinite(d.textToDouble(r))} THEN ${d.textToDouble(r)} END`;
}

/*
 * follower_count text: 1–10 digits, optionally a decimal part, optionally one suffix k/K
 * (×1,000) or m/M (×1,000,000), nothing else; rounded half up. Groups: the integer part, the
 * first 7 decimals, the suffix. Decimals past the 7th cannot change the rounded result (the
 * multiplier is at most 10^6), so they are dropped and the arithmetic is exact BIGINT
 * arithmetic (measured: a DECIMAL(38,18) cast alone cost more than the rest of the pin cleaning).
 */
const FOLLOWERS = '^([0-9]{1,10})(?:\\.([0-9]{1,7})[0-9]*)?([kKmM]?)$';

/** The pattern groups of a follower_count text (integer part, 7 decimals, suffix); select it in an inner layer and pass its column to followerCount. */
export function followerCountParts(d: SqlDialect, r: string): string {
  return d.groups(r, FOLLOWERS, ['i', 'd', 'u']);
}

/** An integral JSON number given as JSON text → BIGINT; NULL for a JSON string or anything else. */
export function jsonNumber(d: SqlDialect, x: string): string {
  return `CASE WHEN ${d.startsWith(x, d.string('"'))} THEN NULL ELSE ${jsonIntegralNumber(d, x)} END`;
}

/** docs/data.md §4 follower_count → INTEGER from the pattern groups of its text (see followerCountParts) or else the integral JSON number `n`. */
export function followerCount(d: SqlDialect, parts: string, n: string): string {
  const p = (g: string): string => d.group(parts, g);
  const mult = `CASE ${p('u')} WHEN 'k' THEN 1000 WHEN 'K' THEN 1000 WHEN 'm' THEN 1000000 WHEN 'M' THEN 1000000 ELSE 1 END`;
  // i·mult + round(0.ddddddd·mult): the fraction in units of 10^-7, rounded half up by integer division.
  const frac = `CAST(rpad(${p('d')}, 7, '0') AS BIGINT)`;
  const fromText = d.tryCast(`${d.tryCast(p('i'), 'BIGINT')} * ${mult} + ${d.intDiv(`(${frac} * ${mult} + 5000000)`, '10000000')}`, 'INTEGER');
  return `coalesce(${fromText}, ${d.tryCast(n, 'INTEGER')})`;
}

/** Text `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, read as UTC → TIMESTAMPTZ; anything else → NULL. */
export function utcTimestamp(d: SqlDialect, s: string): string {
  return d.utcTimestamp(s);
}
