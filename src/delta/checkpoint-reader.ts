import { sqlString, type Sql } from '../core/duckdb.js';
import { PinpipeError } from '../core/errors.js';
import type { ObjectStore } from '../lake/object-store.js';
import type { Action } from './actions.js';

const KINDS = ['protocol', 'metaData', 'txn', 'add', 'remove'] as const;

/** Read a classic checkpoint (all its parts) as actions, through DuckDB's Parquet reader. */
export async function readCheckpoint(sql: Sql, store: ObjectStore, keys: readonly string[]): Promise<Action[]> {
  const paths = await Promise.all(keys.map((k) => store.localPath(k)));
  const list = `[${paths.map(sqlString).join(', ')}]`;
  let rows: { j: string }[];
  try {
    // to_json turns MAP columns into JSON objects, so checkpoint rows look like commit lines.
    rows = await sql.all<{ j: string }>(`SELECT to_json(t) AS j FROM read_parquet(${list}, union_by_name = true) t`);
  } catch (err) {
    throw new PinpipeError('DELTA_LOG_INVALID', `Checkpoint ${keys[0]} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const actions: Action[] = [];
  for (const { j } of rows) {
    const row = JSON.parse(j) as Record<string, Record<string, unknown> | null>;
    for (const kind of KINDS) {
      const value = row[kind];
      if (value === null || value === undefined) continue;
      actions.push({ [kind]: dropNulls(kind, value) } as Action);
      break;
    }
  }
  return actions;
}

function dropNulls(kind: string, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && !k.endsWith('_parsed')) out[k] = v;
  if (kind === 'add') out.partitionValues ??= {};
  if (kind === 'metaData') {
    out.configuration ??= {};
    out.partitionColumns ??= [];
  }
  return out;
}
