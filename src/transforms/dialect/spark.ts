import type { SqlDialect, SqlTypeName } from './dialect.js';

const TYPES: Record<SqlTypeName, string> = {
  BIGINT: 'BIGINT',
  INTEGER: 'INT',
  DOUBLE: 'DOUBLE',
  VARCHAR: 'STRING',
  'DOUBLE[]': 'ARRAY<DOUBLE>',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
};

/** A Spark string literal: backslash escapes (Spark reads `''` as two adjacent literals, not a quote). */
function string(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A pattern for Java's regex as RE2 reads it: RE2's final `$` is the end of the text, Java's `\z` (Java's `$` also matches before a final newline). */
function javaPattern(pattern: string): string {
  return pattern.endsWith('$') && !pattern.endsWith('\\$') ? `${pattern.slice(0, -1)}\\z` : pattern;
}

const group = (s: string, pattern: string, n: number): string => `regexp_extract(${s}, ${string(pattern)}, ${n})`;

// The texts DuckDB's strptime reads with '%Y-%m-%d %H:%M:%S' or '%Y-%m-%dT%H:%M:%S': numbers of
// up to 4 / 2 digits, whitespace around them and between date and time.
const TIMESTAMP = '^\\s*([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})(?:\\s+|T)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})\\s*\\z';
// The texts DuckDB's DOUBLE cast reads as numbers (besides inf/nan, which the rules drop anyway):
// digits with single underscores between them, an optional sign, fraction and exponent, spaces around.
const DIGITS = '[0-9]+(?:_[0-9]+)*';
const DECIMAL = `^\\s*[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?\\s*\\z`;

/**
 * Spark SQL (4.x), correct with ANSI mode on or off and in any session time zone: every cast is
 * a try_cast, timestamps are built from their parts in UTC.
 */
export const sparkDialect: SqlDialect = {
  name: 'spark',
  ident: (name) => `\`${name.replace(/`/g, '``')}\``,
  string,
  type: (t) => TYPES[t],
  fullMatch: (s, pattern) => `(${s} RLIKE ${string(`^(?:${pattern})\\z`)})`,
  startsWith: (s, prefix) => `startswith(${s}, ${prefix})`,
  tryCast: (x, t) => `try_cast(${x} AS ${TYPES[t]})`,
  textToDouble: (x) => `CASE WHEN ${x} RLIKE ${string(DECIMAL)} THEN try_cast(replace(${x}, '_', '') AS DOUBLE) END`,
  isFinite: (x) => `(NOT isnan(${x}) AND abs(${x}) < CAST('Infinity' AS DOUBLE))`,
  isIntegral: (x) => `${x} = round(${x}, 0)`,
  intDiv: (a, b) => `${a} div ${b}`,
  list: (items) => `array(${items.join(', ')})`,
  groups: (s, pattern, names) => `named_struct(${names.map((n, i) => `'${n}', ${group(s, javaPattern(pattern), i + 1)}`).join(', ')})`,
  group: (groups, name) => `${groups}.${name}`,
  utcTimestamp: (s) => {
    const part = (n: number): string => `try_cast(${group(s, TIMESTAMP, n)} AS INT)`;
    return `CASE WHEN ${s} RLIKE ${string(TIMESTAMP)} AND ${part(6)} < 60 THEN try_make_timestamp(${[1, 2, 3, 4, 5, 6].map(part).join(', ')}, 'UTC') END`;
  },
  utcYear: (ts) => `CAST(year(convert_timezone('UTC', ${ts})) AS INT)`,
  lowerMedian: (x) => `percentile_disc(0.5) WITHIN GROUP (ORDER BY ${x})`,
  byteLength: (s) => `octet_length(${s})`,
  row: (items) => `struct(${items.join(', ')})`,
  structPack: (fields) => `named_struct(${fields.map(([n, e]) => `${string(n)}, ${e}`).join(', ')})`,
};
