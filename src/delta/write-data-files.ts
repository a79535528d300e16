import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sqlIdent, sqlString, type Sql, type SqlParam } from '../core/duckdb.js';
import { LocalObjectStore } from '../lake/local/local-store.js';
import type { ObjectStore } from '../lake/object-store.js';
import { encodePath, type AddFile } from './actions.js';
import { fileStats } from './file-stats.js';
import { partitionDir, serializePartitionExpr } from './partition-values.js';
import type { DeltaStructField } from './schema.js';

/** Where and how to write one table's data files. */
export interface DataTarget {
  sql: Sql;
  store: ObjectStore;
  /** Table key prefix, e.g. `tables/pin`. */
  table: string;
  /** Every table column, in schema order. */
  fields: readonly DeltaStructField[];
  partitionColumns: readonly string[];
}

/** A data file name in Spark's style: `part-00000-<uuid>-c000.snappy.parquet`. */
export function dataFileName(): string {
  return `part-00000-${randomUUID()}-c000.snappy.parquet`;
}

export interface WriteFileOptions {
  /** False when the files only rearrange existing rows (optimize). Default true. */
  dataChange?: boolean;
  /** For an unpartitioned write: the directory (relative, decoded, ending in `/`) and partition values to record. */
  dir?: string;
  partitionValues?: Record<string, string | null>;
}

/**
 * Write the rows of `select` (a query whose columns are exactly the table's, already typed) as
 * Parquet data files, one per partition, and describe them as `add` actions with statistics.
 * Returns no file for an empty result. Nothing is committed here.
 */
export async function writeDataFiles(target: DataTarget, select: string, params: readonly SqlParam[] = [], opts: WriteFileOptions = {}): Promise<AddFile[]> {
  const dataChange = opts.dataChange ?? true;
  const { sql, fields, partitionColumns } = target;
  const partSet = new Set(partitionColumns.map((c) => c.toLowerCase()));
  const dataFields = fields.filter((f) => !partSet.has(f.name.toLowerCase()));
  const dataCols = dataFields.map((f) => sqlIdent(f.name)).join(', ');
  if (partitionColumns.length === 0) {
    const file = await writeOne(target, `SELECT ${dataCols} FROM (${select}) q`, params, dataFields, opts.dir ?? '', opts.partitionValues ?? {}, dataChange);
    return file ? [file] : [];
  }
  const stage = `__delta_stage_${randomUUID().replace(/-/g, '')}`;
  await sql.exec(`CREATE TEMP TABLE ${stage} AS ${select}`, params);
  try {
    const partFields = partitionColumns.map((c) => fields.find((f) => f.name.toLowerCase() === c.toLowerCase())!);
    const keys = partFields.map((f, i) => `${serializePartitionExpr(f.name, f.type)} AS p${i}`).join(', ');
    const tuples = await sql.all<Record<string, string | null>>(`SELECT DISTINCT ${keys} FROM ${stage}`);
    const files: AddFile[] = [];
    for (const tuple of tuples) {
      const values = partFields.map((_, i) => tuple[`p${i}`]);
      const where = partFields.map((f, i) => `${serializePartitionExpr(f.name, f.type)} IS NOT DISTINCT FROM $${i + 1}`).join(' AND ');
      const dir = partFields.map((f, i) => `${partitionDir(f.name, values[i])}/`).join('');
      const partitionValues = Object.fromEntries(partFields.map((f, i) => [f.name, values[i]]));
      const file = await writeOne(target, `SELECT ${dataCols} FROM ${stage} WHERE ${where}`, values, dataFields, dir, partitionValues, dataChange);
      if (file) files.push(file);
    }
    return files;
  } finally {
    await sql.exec(`DROP TABLE IF EXISTS ${stage}`);
  }
}

async function writeOne(
  target: DataTarget,
  query: string,
  params: readonly SqlParam[],
  dataFields: readonly DeltaStructField[],
  dir: string,
  partitionValues: Record<string, string | null>,
  dataChange: boolean,
): Promise<AddFile | undefined> {
  const { sql, store, table } = target;
  const rel = `${dir}${dataFileName()}`;
  const key = `${table}/${rel}`;
  const local = store instanceof LocalObjectStore;
  // A local store gets the file in place; any other store gets a staged temp file, then put().
  const path = local ? await store.localPath(key) : join(await fs.mkdtemp(join(tmpdir(), 'pinpipe-delta-')), 'data.parquet');
  try {
    if (local) await fs.mkdir(dirname(path), { recursive: true });
    await sql.exec(`COPY (${query}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION snappy)`, params);
    const { stats, numRecords } = await fileStats(sql, path, dataFields);
    if (numRecords === 0) {
      await fs.rm(path, { force: true });
      return undefined;
    }
    const size = local ? await syncFile(path) : await putFile(store, key, path);
    return { path: encodePath(rel), partitionValues, size, modificationTime: Date.now(), dataChange, stats };
  } finally {
    if (!local) await fs.rm(dirname(path), { recursive: true, force: true });
  }
}

/** fsync a file DuckDB wrote (the commit must not outlive its data) and return its size. */
async function syncFile(path: string): Promise<number> {
  const fh = await fs.open(path, 'r+');
  try {
    await fh.datasync();
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

async function putFile(store: ObjectStore, key: string, path: string): Promise<number> {
  const bytes = await fs.readFile(path);
  await store.put(key, bytes);
  return bytes.length;
}
