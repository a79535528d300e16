export type { SqlDialect, SqlTypeName } from './dialect.js';
export { duckdbDialect } from './duckdb.js';
export { sparkDialect } from './spark.js';
