import type { Sql } from '../../core/duckdb.js';
import type { DeltaTable } from '../../delta/index.js';
import { KeySet } from './key-set.js';

const CHUNK = 500_000;

/** The distinct `ind`s of a table's latest snapshot, read in chunks into a KeySet (the job's dedupe set). */
export async function loadTableKeys(sql: Sql, table: DeltaTable): Promise<KeySet> {
  const snapshot = await table.snapshot();
  if (snapshot.files.length === 0) return KeySet.from(new BigInt64Array(0));
  await table.registerView('stream_existing', { snapshot, sql });
  await sql.exec('CREATE OR REPLACE TEMP TABLE stream_keys AS SELECT DISTINCT ind FROM stream_existing WHERE ind IS NOT NULL');
  try {
    const [{ n }] = await sql.all<{ n: bigint }>('SELECT count(*) AS n FROM stream_keys');
    const keys = new BigInt64Array(Number(n));
    for (let off = 0; off < keys.length; off += CHUNK) {
      const rows = await sql.all<{ ind: bigint }>(`SELECT ind FROM stream_keys WHERE rowid >= ${off} AND rowid < ${off + CHUNK}`);
      for (let i = 0; i < rows.length; i++) keys[off + i] = rows[i].ind;
    }
    return KeySet.from(keys);
  } finally {
    await sql.exec('DROP TABLE IF EXISTS stream_keys');
    await sql.exec('DROP VIEW IF EXISTS stream_existing');
  }
}
