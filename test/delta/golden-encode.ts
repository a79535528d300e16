// Encodes table rows the way fixtures/delta-golden/README.md spells values ("Value encoding in rows").
import { sqlIdent, type Sql } from '../../src/core/duckdb.js';
import { decimalParts, type DeltaStructType, type DeltaType } from '../../src/delta/index.js';

/** The shortest decimal that round-trips through a 32-bit float. */
export function shortestFloat(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const x = Number(v.toPrecision(p));
    if (Math.fround(x) === Math.fround(v)) return x;
  }
  return v;
}

function special(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** Encode one JS value (from Sql.all over `encodingQuery`) of Delta type `type`. */
export function encodeValue(v: unknown, type: DeltaType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof type === 'string') {
    if (type === 'long' || type === 'integer' || type === 'short' || type === 'byte') return Number(v);
    if (type === 'float') return special(shortestFloat(Number(v)));
    if (type === 'double') return special(Number(v));
    if (type === 'binary') return Buffer.from(v as Uint8Array).toString('hex');
    return v; // string, boolean; decimal/date/timestamp already rendered by SQL
  }
  if (type.type === 'array') return (v as unknown[]).map((e) => encodeValue(e, type.elementType));
  if (type.type === 'struct') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(type.fields.map((f) => [f.name, encodeValue(o[f.name], f.type)]));
  }
  const entries = Array.isArray(v) ? (v as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value]) : Object.entries(v as object);
  return entries.map(([k, val]) => [encodeValue(k, type.keyType), encodeValue(val, type.valueType)]);
}

function sqlRender(col: string, type: DeltaType): string {
  if (type === 'timestamp') return `strftime(timezone('UTC', ${col}), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (type === 'date' || decimalParts(type)) return `CAST(${col} AS VARCHAR)`;
  return col;
}

/** Read `scan` (a SELECT over a table) and encode every row as the README says. */
export async function encodedRows(sql: Sql, scan: string, schema: DeltaStructType): Promise<Record<string, unknown>[]> {
  const exprs = schema.fields.map((f) => `${sqlRender(`s.${sqlIdent(f.name)}`, f.type)} AS ${sqlIdent(f.name)}`);
  const rows = await sql.all(`SELECT ${exprs.join(', ')} FROM (${scan}) s`);
  return rows.map((r) => Object.fromEntries(schema.fields.map((f) => [f.name, encodeValue(r[f.name], f.type)])));
}

/** Rows sorted by their JSON text, for multiset comparison. */
export function multiset(rows: readonly unknown[]): unknown[] {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** min / max / distinct / sum per column, as in `rowsSummary`. */
export function summarize(rows: readonly Record<string, unknown>[], column: string): { min: number; max: number; distinct: number; sum: number } {
  const values = rows.map((r) => Number(r[column]));
  return { min: Math.min(...values), max: Math.max(...values), distinct: new Set(values).size, sum: values.reduce((a, b) => a + b, 0) };
}
