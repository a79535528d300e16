import { sqlIdent, type Sql } from '../core/duckdb.js';
import { PinpipeError } from '../core/errors.js';
import { canStore, coerceExpr, deltaTypeOf, duckTypeOf } from './duck-types.js';
import type { ColumnSpec, DeltaStructField, DeltaType } from './schema.js';

function typeName(t: DeltaType | undefined): string {
  return t === undefined ? 'NULL' : typeof t === 'string' ? t : JSON.stringify(t);
}

/**
 * Wrap a user query so its columns are exactly the table's, in schema order and with the
 * table's types: safe widening casts are applied, a missing nullable column becomes NULL, and
 * anything else (unknown column, lossy type, missing non-null column) is DELTA_SCHEMA_MISMATCH.
 */
export async function conformQuery(sql: Sql, query: string, fields: readonly DeltaStructField[]): Promise<string> {
  const cols = await sql.describe(query);
  const byName = new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  const known = new Set(fields.map((f) => f.name.toLowerCase()));
  const extra = cols.filter((c) => !known.has(c.name.toLowerCase()));
  if (extra.length) {
    throw new PinpipeError(
      'DELTA_SCHEMA_MISMATCH',
      `Columns not in the table schema: ${extra.map((c) => c.name).join(', ')} (table columns: ${fields.map((f) => f.name).join(', ')})`,
    );
  }
  const exprs = fields.map((f) => {
    const col = byName.get(f.name.toLowerCase());
    const name = sqlIdent(f.name);
    if (!col) {
      if (!f.nullable) throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Column ${f.name} is not nullable and the data does not provide it`);
      return `CAST(NULL AS ${duckTypeOf(f.type)}) AS ${name}`;
    }
    const from = deltaTypeOf(col.type, col.name);
    if (!canStore(from, f.type)) {
      throw new PinpipeError(
        'DELTA_SCHEMA_MISMATCH',
        `Column ${f.name} has type ${typeName(from)} (DuckDB ${col.type.sql}); the table holds ${typeName(f.type)}`,
      );
    }
    return `${coerceExpr(`q.${sqlIdent(col.name)}`, col.type, f.type)} AS ${name}`;
  });
  return `SELECT ${exprs.join(', ')} FROM (${query}) q`;
}

/**
 * Column declarations matching a DuckDB query's result, for `DeltaTable.create`.
 * @example DeltaTable.create(store, 'tables/pin', { sql, columns: await columnsFromQuery(sql, 'SELECT * FROM cleaned') })
 */
export async function columnsFromQuery(sql: Sql, query: string): Promise<ColumnSpec[]> {
  return (await sql.describe(query)).map((c) => {
    const type = deltaTypeOf(c.type, c.name);
    if (type === undefined) throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Column ${c.name} is an untyped NULL; cast it in the query`);
    return { name: c.name, type };
  });
}
