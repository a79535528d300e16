import { sqlIdent, sqlString, type Sql } from '../core/duckdb.js';
import { PinpipeError } from '../core/errors.js';
import type { ObjectStore } from '../lake/object-store.js';
import { decodePath, type AddFile } from './actions.js';
import { coerceExpr, duckTypeOf } from './duck-types.js';
import { normalizePartitionValue, partitionValueExpr } from './partition-values.js';
import type { Snapshot } from './snapshot.js';

const FILE_COL = '__delta_file';

export interface ScanOptions {
  /** Read only these files (default: every live file of the snapshot). */
  files?: readonly AddFile[];
  /** Leave partition columns out (what a data file of a partitioned table holds). */
  dataColumnsOnly?: boolean;
}

/** The store key of a file an action names, relative to the table. */
export function fileObjectKey(table: string, path: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) throw new PinpipeError('DELTA_LOG_INVALID', `Absolute file URIs are not supported: ${path}`);
  return `${table}/${decodePath(path)}`;
}

/**
 * A DuckDB SELECT returning the rows of a snapshot with the table's columns in schema order:
 * `read_parquet([...], union_by_name)` over the live files, columns missing from old files as
 * NULL, partition columns filled from `add.partitionValues` as typed values.
 */
export async function scanQuery(sql: Sql, store: ObjectStore, snapshot: Snapshot, opts: ScanOptions = {}): Promise<string> {
  const schema = snapshot.schema;
  if (!schema) throw new PinpipeError('DELTA_LOG_INVALID', `Delta table ${snapshot.table} has no schema; its data cannot be read`);
  const partitionCols = new Set(snapshot.partitionColumns.map((c) => c.toLowerCase()));
  const fields = schema.fields.filter((f) => !(opts.dataColumnsOnly && partitionCols.has(f.name.toLowerCase())));
  const files = opts.files ?? snapshot.files;
  if (files.length === 0) {
    const cols = fields.map((f) => `CAST(NULL AS ${duckTypeOf(f.type)}) AS ${sqlIdent(f.name)}`);
    return `SELECT ${cols.join(', ') || 'NULL AS __empty'} WHERE false`;
  }
  const paths = await Promise.all(files.map((f) => store.localPath(fileObjectKey(snapshot.table, f.path))));
  const source = `read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true, filename = ${sqlString(FILE_COL)})`;
  const physical = new Map((await sql.describe(`SELECT * FROM ${source}`)).map((c) => [c.name.toLowerCase(), c]));

  const partitioned = fields.filter((f) => partitionCols.has(f.name.toLowerCase()));
  const exprs = fields.map((f) => {
    const name = sqlIdent(f.name);
    const pIndex = partitioned.indexOf(f);
    if (pIndex >= 0) return `${partitionValueExpr(`pv.p${pIndex}`, f.type)} AS ${name}`;
    const col = physical.get(f.name.toLowerCase());
    if (!col) return `CAST(NULL AS ${duckTypeOf(f.type)}) AS ${name}`;
    return `${coerceExpr(`t.${sqlIdent(col.name)}`, col.type, f.type)} AS ${name}`;
  });
  if (partitioned.length === 0) return `SELECT ${exprs.join(', ')} FROM ${source} t`;

  const literal = (v: string | null): string => (v === null ? 'NULL' : sqlString(v));
  const rows = files.map((file, i) => {
    const values = partitioned.map((f) => literal(normalizePartitionValue(lookup(file.partitionValues, f.name), f.type)));
    return `(${[sqlString(paths[i]), ...values].join(', ')})`;
  });
  const names = [FILE_COL, ...partitioned.map((_, i) => `p${i}`)].join(', ');
  return `SELECT ${exprs.join(', ')} FROM ${source} t JOIN (VALUES ${rows.join(', ')}) pv(${names}) ON t.${FILE_COL} = pv.${FILE_COL}`;
}

function lookup(values: Record<string, string | null> | undefined, column: string): string | null {
  if (!values) return null;
  if (column in values) return values[column];
  const lower = column.toLowerCase();
  const key = Object.keys(values).find((k) => k.toLowerCase() === lower);
  return key === undefined ? null : values[key];
}
