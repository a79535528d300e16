// Child process of the batch benchmark: the baseline. Plain DuckDB running the same SQL straight on
// the raw files, writing each table and result set as one Parquet file: no Delta log, no
// watermarks, no commits, no snapshots. Variants: `same` (pinpipe's plan: each distinct payload
// classified once) and `naive` (every record classified, then deduplicated). Prints JSON.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS } from '../../src/analytics/index.js';
import { openDuckDB, sqlString } from '../../src/core/duckdb.js';
import { classifiedSql, cleanFromClassifiedSql, dedupeSql, rejectsFromClassifiedSql } from '../../src/transforms/index.js';
import { sourceOrderKey } from '../../src/transforms/dedupe.js';

const [lake, out, mode, minOffset, variant, threads, memoryMb] = process.argv.slice(2);
const incremental = mode === 'incremental';
const t0 = performance.now();
const sql = await openDuckDB({ threads: Number(threads), memoryLimit: `${memoryMb}MB`, tempDirectory: join(out, 'tmp') });
mkdirSync(out, { recursive: true });
const tag = incremental ? 'inc' : 'full';
let records = 0;
for (const kind of ['pin', 'geo', 'user'] as const) {
  const dir = join(lake, 'topics', `pinterest.${kind}`, 'partition=0');
  const files = readdirSync(dir).filter((f) => Number(f.split('+')[2].slice(0, 10)) >= Number(minOffset)).map((f) => sqlString(join(dir, f)));
  await sql.exec(`CREATE OR REPLACE VIEW raw AS SELECT payload, filename || '#' || line AS source FROM (
    SELECT filename, unnest(lines) AS payload, generate_subscripts(lines, 1) AS line, len(lines) AS n FROM (SELECT filename, string_split(content, chr(10)) AS lines FROM read_text([${files.join(', ')}]))
  ) WHERE line < n OR payload <> ''`);
  const input = variant === 'same' ? 'dist' : 'raw';
  if (variant === 'same') await sql.exec(`CREATE OR REPLACE VIEW dist AS SELECT payload, min_by(source, ${sourceOrderKey('source')}) AS source, count(*) AS n FROM raw GROUP BY payload`);
  await sql.exec(`CREATE OR REPLACE TABLE cls AS ${classifiedSql(kind, input, { carry: variant === 'same' ? ['source', 'n'] : ['source'] })}`);
  const [{ n }] = await sql.all<{ n: bigint }>(variant === 'same' ? 'SELECT sum(n) AS n FROM cls' : 'SELECT count(*) AS n FROM cls');
  records += Number(n);
  await sql.exec(`CREATE OR REPLACE VIEW clean AS ${cleanFromClassifiedSql(kind, 'cls', { carry: ['source'] })}`);
  mkdirSync(join(out, kind), { recursive: true });
  if (incremental) await sql.exec(`CREATE OR REPLACE VIEW existing AS SELECT * FROM read_parquet(${sqlString(join(out, kind, '*.parquet'))})`);
  await sql.exec(`COPY (${dedupeSql(kind, 'clean', incremental ? { existing: 'existing' } : {})}) TO ${sqlString(join(out, kind, `${tag}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
  const rejects = rejectsFromClassifiedSql(kind, 'cls', variant === 'same' ? { carry: ['n'] } : {});
  // As the job does: expand the distinct rejected payloads to every occurrence only when one repeats.
  const [{ repeated }] = variant === 'same' ? await sql.all<{ repeated: bigint }>(`SELECT count(*) FILTER (WHERE n > 1) AS repeated FROM (${rejects})`) : [{ repeated: 0n }];
  const rows = Number(repeated) > 0 ? `SELECT x.kind, r.source, x.reason, r.payload FROM raw r JOIN (${rejects}) x ON r.payload = x.payload` : `SELECT kind, source, reason, payload FROM (${rejects})`;
  await sql.exec(`COPY (${rows}) TO ${sqlString(join(out, `rejects-${kind}-${tag}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
}
for (const kind of ['pin', 'geo', 'user']) await sql.exec(`CREATE OR REPLACE VIEW t_${kind} AS SELECT * FROM read_parquet(${sqlString(join(out, kind, '*.parquet'))})`);
mkdirSync(join(out, 'results'), { recursive: true });
for (const a of ANALYTICS) await sql.exec(`COPY (${a.sql({ pin: 't_pin', geo: 't_geo', user: 't_user' })}) TO ${sqlString(join(out, 'results', `${a.id}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
sql.close();
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, records })}\n`);
