import { sqlIdent, sqlString } from '../../core/duckdb.js';
import type { SqlDialect } from './dialect.js';

/** DuckDB: the SQL the batch and stream jobs run. */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  ident: sqlIdent,
  string: sqlString,
  type: (t) => t,
  fullMatch: (s, pattern) => `regexp_full_match(${s}, ${sqlString(pattern)})`,
  startsWith: (s, prefix) => `starts_with(${s}, ${prefix})`,
  tryCast: (x, t) => `TRY_CAST(${x} AS ${t})`,
  textToDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
  isFinite: (x) => `isfinite(${x})`,
  isIntegral: (x) => `${x} = trunc(${x})`,
  intDiv: (a, b) => `${a} // ${b}`,
  list: (items) => `[${items.join(', ')}]`,
  groups: (s, pattern, names) => `regexp_extract(${s}, ${sqlString(pattern)}, [${names.map((n) => `'${n}'`).join(', ')}])`,
  group: (groups, name) => `struct_extract(${groups}, '${name}')`,
  utcTimestamp: (s) => `make_timestamptz(epoch_us(try_strptime(${s}, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S'])))`,
  // DuckDB's year() on TIMESTAMPTZ uses the session zone; epoch arithmetic does not.
  utcYear: (ts) => `CAST(year(make_timestamp(epoch_us(${ts}))) AS INTEGER)`,
  lowerMedian: (x) => `quantile_disc(${x}, 0.5)`,
  byteLength: (s) => `strlen(${s})`,
  row: (items) => `(${items.join(', ')})`,
  structPack: (fields) => `struct_pack(${fields.map(([n, e]) => `${sqlIdent(n)} := ${e}`).join(', ')})`,
};
