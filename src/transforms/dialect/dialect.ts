/** The column types the cleaning and the analytics produce, in neutral names. */
export type SqlTypeName = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'DOUBLE[]' | 'TIMESTAMP WITH TIME ZONE';

/**
 * How one SQL engine spells the few constructs where DuckDB and Spark SQL differ. The cleaning
 * rules (src/transforms) and the result sets (src/analytics) are written once over this
 * interface, so the DuckDB job and the exported Spark job run the same definitions; the
 * DuckDB dialect renders exactly the SQL the DuckDB job always ran.
 * @example `CASE WHEN ${d.fullMatch(r, '[0-9]+')} THEN ${d.tryCast(r, 'BIGINT')} END`
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'spark';
  /** A quoted identifier. */
  ident(name: string): string;
  /** A string literal. */
  string(text: string): string;
  /** The engine's spelling of a neutral type. */
  type(t: SqlTypeName): string;
  /** True when the whole of `s` matches the regular expression `pattern` (RE2/Java common ground), NULL for NULL. */
  fullMatch(s: string, pattern: string): string;
  /** True when `s` starts with the text `prefix` (an expression). */
  startsWith(s: string, prefix: string): string;
  /** `x` cast to `t`, NULL when the cast fails (never an error). */
  tryCast(x: string, t: SqlTypeName): string;
  /** `x` (a text) as a DOUBLE when it is a decimal number, infinity or NaN as the engine's DuckDB cast reads them; else NULL. */
  textToDouble(x: string): string;
  /** True when the DOUBLE `x` is neither infinite nor NaN (NULL for NULL). */
  isFinite(x: string): string;
  /** True when the DOUBLE `x` has no fractional part. */
  isIntegral(x: string): string;
  /** Integer division of two BIGINTs, rounding towards zero. */
  intDiv(a: string, b: string): string;
  /** A list (array) of the given expressions. */
  list(items: readonly string[]): string;
  /** The capture groups of `pattern` in `s` as one value (empty strings where it does not match); read them with `group`. */
  groups(s: string, pattern: string, names: readonly string[]): string;
  /** One group of a value made by `groups`. */
  group(groups: string, name: string): string;
  /** Text `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS` (as DuckDB's strptime reads them) taken as UTC → TIMESTAMP WITH TIME ZONE; else NULL. */
  utcTimestamp(s: string): string;
  /** The UTC calendar year of a TIMESTAMP WITH TIME ZONE as INTEGER, whatever the session time zone. */
  utcYear(ts: string): string;
  /** The lower median of `x` (value at 1-based position ⌈n/2⌉ of the sorted non-NULL values), an aggregate. */
  lowerMedian(x: string): string;
  /** An anonymous row of values, compared field by field (an ordering key). */
  row(items: readonly string[]): string;
  /** A struct with named fields, `[name, expression]` pairs (names unquoted). */
  structPack(fields: readonly (readonly [string, string])[]): string;
  /** The length of a text in UTF-8 bytes. */
  byteLength(s: string): string;
}
