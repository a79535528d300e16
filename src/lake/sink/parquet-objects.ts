import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDB, sqlIdent, sqlString, type Sql } from '../../core/duckdb.js';

/** Parquet compression codecs, as Connect's `parquet.codec` names them. */
export const PARQUET_CODECS = ['none', 'snappy', 'gzip', 'zstd', 'lz4', 'brotli'] as const;
export type ParquetCodec = (typeof PARQUET_CODECS)[number];

/** The object name extension of a codec, as Connect's ParquetFormat spells it (`snappy.parquet`, …; `parquet` uncompressed). */
export function parquetExtension(codec: ParquetCodec): string {
  const prefix = { none: '', snappy: 'snappy.', gzip: 'gz.', zstd: 'zstd.', lz4: 'lz4.', brotli: 'br.' }[codec];
  return `${prefix}parquet`;
}

const DUCKDB_CODEC: Record<ParquetCodec, string> = { none: 'uncompressed', snappy: 'snappy', gzip: 'gzip', zstd: 'zstd', lz4: 'lz4_raw', brotli: 'brotli' };

/** One record of a Parquet lake object. */
export interface ParquetRow {
  offset: number;
  /** Record timestamp, epoch ms. */
  timestamp: number;
  /** The record's value, byte for byte as the log holds it (JSON text, or whatever a producer sent). */
  value: string;
}

/**
 * Writes lake objects as Parquet through DuckDB's own writer (`COPY … TO … (FORMAT parquet)`),
 * one object per call, one row per record: `offset` BIGINT, `timestamp` TIMESTAMP WITH TIME ZONE
 * (UTC), `value` VARCHAR (the record's text untouched, so a record the batch job will reject is
 * kept as it came, and the batch job reads both formats alike). One DuckDB, opened on first use,
 * one thread; objects are encoded one at a time, off the event loop.
 */
export class ParquetObjects {
  private db: Promise<Sql> | undefined;
  private dir: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private n = 0;

  constructor(private readonly codec: ParquetCodec) {}

  /** The object name extension (`snappy.parquet`, …). */
  get extension(): string {
    return parquetExtension(this.codec);
  }

  private open(): Promise<Sql> {
    this.db ??= (async () => {
      this.dir = mkdtempSync(join(tmpdir(), 'pinpipe-parquet-'));
      const db = await openDuckDB({ threads: 1, memoryLimit: '256MB' });
      await db.exec(`SET TimeZone = 'UTC'`);
      return db;
    })();
    return this.db;
  }

  /** One after the other: DuckDB's connection runs one statement at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The bytes of a Parquet object holding `rows` in order. */
  encode(rows: readonly ParquetRow[]): Promise<Buffer> {
    return this.serial(async () => {
      const db = await this.open();
      const table = `sink_rows_${++this.n}`;
      const file = join(this.dir!, `${table}.parquet`);
      await db.exec(`CREATE TEMP TABLE ${sqlIdent(table)} ("offset" BIGINT, ts BIGINT, value VARCHAR)`);
      try {
        await db.append(
          table,
          rows.map((r) => [BigInt(r.offset), BigInt(r.timestamp), r.value]),
        );
        await db.exec(
          `COPY (SELECT "offset", epoch_ms(ts)::TIMESTAMPTZ AS "timestamp", value FROM ${sqlIdent(table)} ORDER BY "offset") TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${DUCKDB_CODEC[this.codec]})`,
        );
        return await fs.readFile(file);
      } finally {
        await db.exec(`DROP TABLE IF EXISTS ${sqlIdent(table)}`);
        await fs.rm(file, { force: true });
      }
    });
  }

  /** Records in a Parquet object (from its footer), given a local path to it. */
  rowCount(path: string): Promise<number> {
    return this.serial(async () => {
      const db = await this.open();
      const [row] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet(${sqlString(path)})`);
      return Number(row.n);
    });
  }

  /** Close DuckDB and remove the scratch folder. */
  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (!db) return;
    await this.queue;
    (await db).close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
