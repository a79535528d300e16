import { sqlIdent, sqlString, type Sql } from '../core/duckdb.js';
import { decimalParts, type DeltaStructField } from './schema.js';

/** Delta truncates string statistics to a prefix of this many characters. */
export const STRING_PREFIX = 32;

type Kind = 'number' | 'float' | 'string' | 'date' | 'timestamp' | 'nullsOnly';

function kindOf(field: DeltaStructField): Kind | undefined {
  const t = field.type;
  if (typeof t !== 'string') return t.type === 'struct' ? undefined : 'nullsOnly';
  if (['long', 'integer', 'short', 'byte'].includes(t) || decimalParts(t)) return 'number';
  if (t === 'float' || t === 'double') return 'float';
  if (t === 'string') return 'string';
  if (t === 'date') return 'date';
  if (t === 'timestamp') return 'timestamp';
  return 'nullsOnly'; // boolean, binary: Delta keeps no min/max
}

const TS = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

function minMaxExprs(c: string, kind: Kind): [string, string] {
  switch (kind) {
    case 'number':
    case 'float':
    case 'date':
      return [`CAST(min(${c}) AS VARCHAR)`, `CAST(max(${c}) AS VARCHAR)`];
    case 'string':
      // A prefix is a valid lower bound; a truncated max is not an upper bound, so it is left out.
      return [`left(min(${c}), ${STRING_PREFIX})`, `CASE WHEN length(max(${c})) <= ${STRING_PREFIX} THEN max(${c}) END`];
    case 'timestamp':
      // Millisecond precision: round the min down and the max up so the bounds stay true.
      return [
        `strftime(date_trunc('millisecond', timezone('UTC', min(${c}))), ${TS})`,
        `strftime(date_trunc('millisecond', timezone('UTC', max(${c})) + INTERVAL 999 MICROSECOND), ${TS})`,
      ];
    default:
      return ['NULL', 'NULL'];
  }
}

function render(value: string | null, kind: Kind): string | undefined {
  if (value === null) return undefined;
  if (kind === 'number') return value;
  if (kind === 'float') return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) ? value : undefined; // no NaN / inf in JSON
  return JSON.stringify(value);
}

/**
 * Per-file statistics (PROTOCOL.md "Per-file Statistics") of a Parquet file, computed by DuckDB:
 * numRecords, and minValues / maxValues / nullCount for the given (data) columns.
 */
export async function fileStats(sql: Sql, localPath: string, fields: readonly DeltaStructField[]): Promise<{ stats: string; numRecords: number }> {
  const cols = fields.map((f) => ({ f, kind: kindOf(f) })).filter((c): c is { f: DeltaStructField; kind: Kind } => c.kind !== undefined);
  const select = ['CAST(count(*) AS VARCHAR) AS n'];
  cols.forEach(({ f, kind }, i) => {
    const c = sqlIdent(f.name);
    const [mn, mx] = minMaxExprs(c, kind);
    select.push(`${mn} AS mn${i}`, `${mx} AS mx${i}`, `CAST(count(*) - count(${c}) AS VARCHAR) AS nc${i}`);
  });
  const [row] = await sql.all<Record<string, string | null>>(`SELECT ${select.join(', ')} FROM read_parquet(${sqlString(localPath)})`);
  const min: string[] = [];
  const max: string[] = [];
  const nulls: string[] = [];
  cols.forEach(({ f, kind }, i) => {
    const key = JSON.stringify(f.name);
    const mn = render(row[`mn${i}`], kind);
    const mx = render(row[`mx${i}`], kind);
    if (mn !== undefined) min.push(`${key}:${mn}`);
    if (mx !== undefined) max.push(`${key}:${mx}`);
    nulls.push(`${key}:${row[`nc${i}`]}`);
  });
  const n = row.n ?? '0';
  return { stats: `{"numRecords":${n},"minValues":{${min.join(',')}},"maxValues":{${max.join(',')}},"nullCount":{${nulls.join(',')}}}`, numRecords: Number(n) };
}
