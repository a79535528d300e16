import { sqlIdent, type SqlType } from '../core/duckdb.js';
import { PinpipeError } from '../core/errors.js';
import { decimalParts, type DeltaType } from './schema.js';

const TO_DUCK: Record<string, string> = {
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  timestamp_ntz: 'TIMESTAMP',
};

const FROM_DUCK: Record<string, DeltaType> = {
  BIGINT: 'long',
  INTEGER: 'integer',
  SMALLINT: 'short',
  TINYINT: 'byte',
  UTINYINT: 'short',
  USMALLINT: 'integer',
  UINTEGER: 'long',
  UBIGINT: 'decimal(20,0)',
  HUGEINT: 'decimal(38,0)',
  FLOAT: 'float',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  UUID: 'string',
  ENUM: 'string',
  BLOB: 'binary',
  DATE: 'date',
  TIMESTAMP_TZ: 'timestamp',
  // Zone-less DuckDB timestamps are taken as UTC and written as instants (what Spark's `timestamp` means).
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
};

const NAIVE_TIMESTAMPS = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS']);

/** The DuckDB SQL type that holds a Delta type, e.g. `array<double>` → `DOUBLE[]`. */
export function duckTypeOf(type: DeltaType): string {
  if (typeof type === 'string') {
    const d = decimalParts(type);
    if (d) return `DECIMAL(${d.precision},${d.scale})`;
    const t = TO_DUCK[type];
    if (!t) throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Unsupported Delta type ${type}`);
    return t;
  }
  if (type.type === 'array') return `${duckTypeOf(type.elementType)}[]`;
  if (type.type === 'map') return `MAP(${duckTypeOf(type.keyType)}, ${duckTypeOf(type.valueType)})`;
  return `STRUCT(${type.fields.map((f) => `${sqlIdent(f.name)} ${duckTypeOf(f.type)}`).join(', ')})`;
}

/** The Delta type for a DuckDB column type; undefined for an untyped NULL column. */
export function deltaTypeOf(t: SqlType, where: string): DeltaType | undefined {
  if (t.id === 'SQLNULL') return undefined;
  if (t.id === 'DECIMAL') return `decimal(${t.width},${t.scale})`;
  if (t.id === 'LIST' || t.id === 'ARRAY') {
    return { type: 'array', elementType: deltaTypeOf(t.valueType!, `${where}[]`) ?? 'string', containsNull: true };
  }
  if (t.id === 'MAP') {
    return {
      type: 'map',
      keyType: deltaTypeOf(t.keyType!, `${where}.key`) ?? 'string',
      valueType: deltaTypeOf(t.valueType!, `${where}.value`) ?? 'string',
      valueContainsNull: true,
    };
  }
  if (t.id === 'STRUCT') {
    return {
      type: 'struct',
      fields: t.fields!.map((f) => ({ name: f.name, type: deltaTypeOf(f.type, `${where}.${f.name}`) ?? 'string', nullable: true, metadata: {} })),
    };
  }
  const d = FROM_DUCK[t.id];
  if (!d) throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Column ${where} has DuckDB type ${t.sql}, which has no Delta equivalent`);
  return d;
}

/**
 * A SQL expression turning column `ref` of DuckDB type `from` into the DuckDB type that holds
 * Delta type `to`. Zone-less timestamps are read as UTC, independent of the session time zone.
 */
export function coerceExpr(ref: string, from: SqlType, to: DeltaType): string {
  const target = duckTypeOf(to);
  if (to === 'timestamp' && NAIVE_TIMESTAMPS.has(from.id)) return `timezone('UTC', CAST(${ref} AS TIMESTAMP))`;
  if (from.sql === target) return ref;
  return `CAST(${ref} AS ${target})`;
}

const INTEGER_RANK: Record<string, number> = { byte: 1, short: 2, integer: 3, long: 4 };

/** True when values of Delta type `from` can be written into a column of type `to` without loss. */
export function canStore(from: DeltaType | undefined, to: DeltaType): boolean {
  if (from === undefined) return true; // an untyped NULL fits anywhere
  if (typeof from !== 'string' || typeof to !== 'string') {
    if (typeof from === 'string' || typeof to === 'string') return false;
    if (from.type === 'array' && to.type === 'array') return canStore(from.elementType, to.elementType);
    if (from.type === 'map' && to.type === 'map') return canStore(from.keyType, to.keyType) && canStore(from.valueType, to.valueType);
    if (from.type === 'struct' && to.type === 'struct') {
      return (
        from.fields.length === to.fields.length &&
        from.fields.every((f, i) => f.name.toLowerCase() === to.fields[i].name.toLowerCase() && canStore(f.type, to.fields[i].type))
      );
    }
    return false;
  }
  if (from === to) return true;
  if (INTEGER_RANK[from] && INTEGER_RANK[to]) return INTEGER_RANK[from] <= INTEGER_RANK[to];
  const df = decimalParts(from);
  const dt = decimalParts(to);
  // Numbers into a double: DuckDB spells literals like 1.5 as DECIMAL, so this must work (as in Spark's ANSI store assignment).
  if (to === 'double') return Boolean(INTEGER_RANK[from] || df || from === 'float');
  if (df && dt) return dt.scale >= df.scale && dt.precision - dt.scale >= df.precision - df.scale;
  if (INTEGER_RANK[from] && dt) return dt.precision - dt.scale >= [0, 3, 5, 10, 19][INTEGER_RANK[from]];
  return false;
}
