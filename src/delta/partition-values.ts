import { sqlIdent } from '../core/duckdb.js';
import { duckTypeOf } from './duck-types.js';
import type { DeltaType } from './schema.js';

const HAS_ZONE = /(Z|[+-]\d\d(:?\d\d)?)$/;

/**
 * Normalise a serialised partition value (PROTOCOL.md "Partition Value Serialization") into a
 * string DuckDB can cast to the column type: empty → null, zone-less timestamps read as UTC
 * (the Delta Kernel convention), binary → hex.
 */
export function normalizePartitionValue(value: string | null | undefined, type: DeltaType): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'timestamp') return HAS_ZONE.test(value) ? value : `${value}+00`;
  if (type === 'binary') return Buffer.from(value, 'utf8').toString('hex');
  return value;
}

/** SQL turning a normalised partition value column `ref` (VARCHAR) into the column's type. */
export function partitionValueExpr(ref: string, type: DeltaType): string {
  if (type === 'binary') return `unhex(${ref})`;
  return `CAST(${ref} AS ${duckTypeOf(type)})`;
}

/** SQL serialising a column of Delta type `type` as a partition value string (null stays null). */
export function serializePartitionExpr(column: string, type: DeltaType): string {
  const c = sqlIdent(column);
  if (type === 'timestamp') return `strftime(timezone('UTC', ${c}), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (type === 'binary') return `decode(${c})`;
  return `NULLIF(CAST(${c} AS VARCHAR), '')`;
}

/** Hive-style directory name for a partition value (`__HIVE_DEFAULT_PARTITION__` for null). */
export function partitionDir(column: string, value: string | null): string {
  // eslint-disable-next-line no-control-regex -- Hive escaping covers the control characters
  const esc = (s: string): string => s.replace(/[\x00-\x1f"#%'*/:=?\\\x7f{[\]^]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `${esc(column)}=${value === null ? '__HIVE_DEFAULT_PARTITION__' : esc(value)}`;
}
