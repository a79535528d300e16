import { PinpipeError } from '../core/errors.js';
import { duckdbDialect, type SqlDialect } from './dialect/index.js';

const PART = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function invalid(what: string, name: string): PinpipeError {
  return new PinpipeError('INVALID_NAME', `Invalid ${what} ${JSON.stringify(name).slice(0, 200)}: identifiers of [A-Za-z0-9_], not starting with a digit.`);
}

/**
 * A table or view name made safe for SQL: one to three dot-separated plain identifiers
 * (`t`, `schema.t`, `db.schema.t`), each quoted (in dialect `d`, default DuckDB). Throws INVALID_NAME otherwise.
 * @example relationSql('main.raw_pin') // → "main"."raw_pin"
 */
export function relationSql(name: string, d: SqlDialect = duckdbDialect): string {
  const parts = name.split('.');
  if (parts.length > 3 || !parts.every((p) => PART.test(p))) throw invalid('relation name', name);
  return parts.map((p) => d.ident(p)).join('.');
}

/** A column name made safe for SQL (one plain identifier, quoted). Throws INVALID_NAME otherwise. */
export function columnSql(name: string, d: SqlDialect = duckdbDialect): string {
  if (!PART.test(name)) throw invalid('column name', name);
  return d.ident(name);
}
