import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sql } from '../../src/core/duckdb.js';
import { cleanSql, RECORD_KINDS, rejectsSql, type RecordKind } from '../../src/transforms/index.js';
import { db } from './helpers.js';
import { randomRows } from './random-payloads.js';
import { loadRaw } from './raw.js';
import { referenceClean, type Outcome } from './reference.js';

/** DuckDB's outcome for each source, in the reference's terms. */
async function cleaned(sql: Sql, kind: RecordKind): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const row of await sql.all(cleanSql(kind, 'raw', { carry: ['source'] }))) {
    const clean = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k !== 'source')
        .map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : v]),
    );
    out.set(String(row.source), { clean: clean as never });
  }
  for (const row of await sql.all<{ source: string; reason: never }>(rejectsSql(kind, 'raw'))) {
    assert.ok(!out.has(row.source), `${row.source} is both clean and rejected`);
    out.set(row.source, { reject: row.reason });
  }
  return out;
}

let sql: Sql;
before(async () => {
  sql = await db();
});
after(() => sql.close());

describe('cleaning on seeded random records', () => {
  for (const kind of RECORD_KINDS) {
    it(`${kind}: matches the TypeScript reference record for record, and loses none`, async () => {
      for (const seed of [11, 12]) {
        const rows = randomRows(kind, seed);
        await loadRaw(sql, 'raw', rows);
        const got = await cleaned(sql, kind);
        assert.equal(got.size, rows.length);
        for (const r of rows) assert.deepEqual(got.get(r.source), referenceClean(kind, r.payload), `${kind} ${r.source}: ${r.payload}`);
      }
    });
  }
});
