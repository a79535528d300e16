// Child process of the batch benchmark: the baseline. Plain DuckDB running the same SQL straight on
// the raw files, writing each table and result set as one Parquet file: no Delta log, no
// watermarks, no commits, no snapshots. Variants: `same` (pinpipe's plan: each distinct payload
// classified once) and `naive` (every record classified, then deduplicated). Prints JSON.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS } from '../../src/analytics/index.js';
import { openDuckDB, sqlString } from '../../src/core/duckdb.js';
import { classifiedSql, cleanFromClassifiedSql, dedupeSql, rejectsFromClassifiedSql } from '../../src/transforms/index.js';

const [lake, out, mode, minOffset, variant, threads, memoryMb] = process.argv.slice(2);
const incremental = mode === 'incremental';
const t0 = performance.now();
const sql = await openDuckDB({ threads: Number(threads), memoryLimit: `${memoryMb}MB`, tempDirectory: join(out, 'tmp') });
mkdirSync(out, { recursive: true });
const tag = incremental ? 'inc' : 'full';
let records = 0;
for (const kind of ['pin', 'geo', 'user'] as const) {
  const dir = join(lake, 'topics', `pinterest.${kind}`, 'partition=0');
  const files = readdirSync(dir).filter((f) => Number(f.split('+')[2].slice(0, 10)) >= Number(minOffset)).sort();
  await sql.exec(`CREATE OR REPLACE TABLE files AS SELECT row_number() OVER (ORDER BY path) AS file_id, path FROM (SELECT unnest([${files.map((f) => sqlString(join(dir, f))).join(', ')}]) AS path)`);
  // The raw lines numbered (file, line), as the job reads them.
  await sql.exec(`CREATE OR REPLACE VIEW raw AS SELECT l.payload, l.file_id, l.line FROM (
    SELECT f.file_id, unnest(t.lines) AS payload, generate_subscripts(t.lines, 1) AS line, len(t.lines) AS n
    FROM (SELECT filename, string_split(content, chr(10)) AS lines FROM read_text([${files.map((f) => sqlString(join(dir, f))).join(', ')}])) t JOIN files f ON f.path = t.filename
  ) l WHERE l.line < l.n OR l.payload <> ''`);
  await sql.exec(`CREATE OR REPLACE VIEW raw_sourced AS SELECT r.payload, f.path || '#' || r.line AS source FROM raw r JOIN files f ON f.file_id = r.file_id`);
  const input = variant === 'same' ? 'dist' : 'raw_sourced';
  if (variant === 'same') {
    await sql.exec(`CREATE OR REPLACE VIEW dist AS SELECT d.payload, f.path || '#' || (d.pos % 4294967296) AS source, d.n FROM (
      SELECT payload, min(file_id * 4294967296 + line) AS pos, count(*) AS n FROM raw GROUP BY payload
    ) d JOIN files f ON f.file_id = d.pos // 4294967296`);
  }
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
  const rows = Number(repeated) > 0 ? `SELECT x.kind, r.source, x.reason, r.payload FROM raw_sourced r JOIN (${rejects}) x ON r.payload = x.payload` : `SELECT kind, source, reason, payload FROM (${rejects})`;
  await sql.exec(`COPY (${rows}) TO ${sqlString(join(out, `rejects-${kind}-${tag}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
}
for (const kind of ['pin', 'geo', 'user']) await sql.exec(`CREATE OR REPLACE VIEW t_${kind} AS SELECT * FROM read_parquet(${sqlString(join(out, kind, '*.parquet'))})`);
mkdirSync(join(out, 'results'), { recursive: true });
for (const a of ANALYTICS) await sql.exec(`COPY (${a.sql({ pin: 't_pin', geo: 't_geo', user: 't_user' })}) TO ${sqlString(join(out, 'results', `${a.id}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
sql.close();
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, records })}\n`);
