// Child process of the batch benchmark: the baseline. Plain DuckDB running the job's own SQL
// (the same raw-record query, distinct payloads, classification, dedupe and analytics) straight on
// the raw files, writing each table and result set as one Parquet file: no Delta log, no
// watermarks, no commits, no snapshots, no object-store listing. Variant `naive` classifies every
// record instead of every distinct payload. Prints JSON.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS } from '../../src/analytics/index.js';
import { openDuckDB, sqlString } from '../../src/core/duckdb.js';
import { createRawRecords, distinctPayloadsSql } from '../../src/jobs/batch/raw-records.js';
import { LocalObjectStore } from '../../src/lake/index.js';
import { classifiedSql, cleanFromClassifiedSql, dedupeSql, rejectsFromClassifiedSql } from '../../src/transforms/index.js';

const [lake, out, mode, minOffset, variant, threads, memoryMb] = process.argv.slice(2);
const incremental = mode === 'incremental';
const t0 = performance.now();
const sql = await openDuckDB({ threads: Number(threads), memoryLimit: `${memoryMb}MB`, tempDirectory: join(out, 'tmp') });
const store = new LocalObjectStore(lake);
mkdirSync(out, { recursive: true });
const tag = incremental ? 'inc' : 'full';
let records = 0;
for (const kind of ['pin', 'geo', 'user'] as const) {
  const dir = `topics/pinterest.${kind}/partition=0/`;
  const objects = readdirSync(join(lake, dir))
    .map((f) => ({ key: `${dir}${f}`, dir, partition: 0, startOffset: Number(f.split('+')[2].slice(0, 10)), newForRejects: true }))
    .filter((o) => o.startOffset >= Number(minOffset));
  const raw = await createRawRecords(sql, store, 'files', objects);
  const input =
    variant === 'naive'
      ? `SELECT r.payload, f.key || '#' || r.line AS source, 1 AS n FROM (${raw.sql}) r JOIN files f ON f.file_id = r.file_id`
      : distinctPayloadsSql(raw);
  await sql.exec(`CREATE OR REPLACE TABLE cls AS WITH input AS (${input})\n${classifiedSql(kind, 'input', { carry: ['source', 'n'] })}`);
  const [{ n }] = await sql.all<{ n: bigint }>('SELECT sum(n) AS n FROM cls');
  records += Number(n);
  await sql.exec(`CREATE OR REPLACE VIEW clean AS ${cleanFromClassifiedSql(kind, 'cls', { carry: ['source'] })}`);
  mkdirSync(join(out, kind), { recursive: true });
  if (incremental) await sql.exec(`CREATE OR REPLACE VIEW existing AS SELECT * FROM read_parquet(${sqlString(join(out, kind, '*.parquet'))})`);
  await sql.exec(
    `COPY (${dedupeSql(kind, 'clean', incremental ? { existing: 'existing' } : {})}) TO ${sqlString(join(out, kind, `${tag}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`,
  );
  // As the job does: expand the distinct rejected payloads to every occurrence only when one repeats.
  const rejects = rejectsFromClassifiedSql(kind, 'cls', { carry: ['n'] });
  const [{ repeated }] = await sql.all<{ repeated: bigint }>(`SELECT count(*) FILTER (WHERE n > 1) AS repeated FROM (${rejects})`);
  const rows =
    Number(repeated) > 0
      ? `SELECT x.kind, f.key || '#' || r.line AS source, x.reason, r.payload FROM (${raw.sql}) r JOIN files f ON f.file_id = r.file_id JOIN (${rejects}) x ON r.payload = x.payload`
      : `SELECT kind, source, reason, payload FROM (${rejects})`;
  await sql.exec(`COPY (${rows}) TO ${sqlString(join(out, `rejects-${kind}-${tag}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
}
for (const kind of ['pin', 'geo', 'user'])
  await sql.exec(`CREATE OR REPLACE VIEW t_${kind} AS SELECT * FROM read_parquet(${sqlString(join(out, kind, '*.parquet'))})`);
mkdirSync(join(out, 'results'), { recursive: true });
for (const a of ANALYTICS)
  await sql.exec(
    `COPY (${a.sql({ pin: 't_pin', geo: 't_geo', user: 't_user' })}) TO ${sqlString(join(out, 'results', `${a.id}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`,
  );
sql.close();
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, records })}\n`);
