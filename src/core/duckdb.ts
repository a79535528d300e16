import { type DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/**
 * The one door to DuckDB: an in-process database and helpers to run SQL with bound parameters.
 * No DuckDB type leaks past this file; callers get plain JS rows. Record values are never
 * interpolated into SQL: pass them as `params` ($1, $2, …).
 */
export interface Sql {
  /** Run statements that return nothing. */
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
  /** Rows as JS objects (BIGINT → bigint, TIMESTAMP → Date, LIST → array). */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Rows as JSON-safe objects (BIGINT → string, TIMESTAMP → string). */
  json<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** The result columns of a query and their types, without running it. */
  describe(sql: string): Promise<SqlColumn[]>;
  /** Append rows to a table through DuckDB's appender (string → VARCHAR, bigint → BIGINT, number → DOUBLE, boolean, null). */
  append(table: string, rows: readonly (readonly SqlParam[])[]): Promise<void>;
  close(): void;
}

/** A DuckDB type as plain data: `id` is the DuckDB type name (BIGINT, LIST, STRUCT, MAP, DECIMAL, …). */
export interface SqlType {
  id: string;
  /** The type as DuckDB SQL spells it, e.g. `DOUBLE[]`, `DECIMAL(18,3)`. */
  sql: string;
  /** DECIMAL precision and scale. */
  width?: number;
  scale?: number;
  /** LIST / ARRAY element type, MAP value type. */
  valueType?: SqlType;
  /** MAP key type. */
  keyType?: SqlType;
  /** STRUCT fields in order. */
  fields?: { name: string; type: SqlType }[];
}

export interface SqlColumn {
  name: string;
  type: SqlType;
}

function plainType(t: DuckDBType): SqlType {
  const out: SqlType = { id: DuckDBTypeId[t.typeId] ?? String(t.typeId), sql: t.toString() };
  const any = t as unknown as Record<string, unknown>;
  if (t.typeId === DuckDBTypeId.DECIMAL) {
    out.width = any.width as number;
    out.scale = any.scale as number;
  }
  if (any.valueType) out.valueType = plainType(any.valueType as DuckDBType);
  if (any.keyType) out.keyType = plainType(any.keyType as DuckDBType);
  if (t.typeId === DuckDBTypeId.STRUCT) {
    const names = any.entryNames as readonly string[];
    const types = any.entryTypes as readonly DuckDBType[];
    out.fields = names.map((name, i) => ({ name, type: plainType(types[i]) }));
  }
  return out;
}

export type SqlParam = string | number | bigint | boolean | null;

export interface OpenOptions {
  /** Database file; default in-memory. */
  path?: string;
  threads?: number;
  memoryLimit?: string;
  /** Where DuckDB may spill when memory runs short. */
  tempDirectory?: string;
}

function escapeSetting(v: string): string {
  return v.replace(/'/g, "''");
}

/** Open a DuckDB database (in memory unless `path`). */
export async function openDuckDB(opts: OpenOptions = {}): Promise<Sql> {
  const instance = await DuckDBInstance.create(opts.path ?? ':memory:');
  const conn = await instance.connect();
  if (opts.threads) await conn.run(`SET threads = ${Math.max(1, Math.floor(opts.threads))}`);
  if (opts.memoryLimit) await conn.run(`SET memory_limit = '${escapeSetting(opts.memoryLimit)}'`);
  if (opts.tempDirectory) await conn.run(`SET temp_directory = '${escapeSetting(opts.tempDirectory)}'`);
  return wrap(instance, conn);
}

function wrap(instance: DuckDBInstance, conn: DuckDBConnection): Sql {
  const values = (params?: readonly SqlParam[]): DuckDBValue[] | undefined => (params && params.length ? (params as DuckDBValue[]) : undefined);
  return {
    async exec(sql, params) {
      await conn.run(sql, values(params));
    },
    async all<T>(sql: string, params?: readonly SqlParam[]) {
      const r = await conn.runAndReadAll(sql, values(params));
      return r.getRowObjectsJS() as T[];
    },
    async json<T>(sql: string, params?: readonly SqlParam[]) {
      const r = await conn.runAndReadAll(sql, values(params));
      return r.getRowObjectsJson() as T[];
    },
    async describe(sql) {
      const prepared = await conn.prepare(sql);
      try {
        const cols: SqlColumn[] = [];
        for (let i = 0; i < prepared.columnCount; i++) cols.push({ name: prepared.columnName(i), type: plainType(prepared.columnType(i)) });
        return cols;
      } finally {
        prepared.destroySync();
      }
    },
    async append(table, rows) {
      const appender = await conn.createAppender(table);
      try {
        for (const row of rows) {
          for (const v of row) {
            if (v === null) appender.appendNull();
            else if (typeof v === 'string') appender.appendVarchar(v);
            else if (typeof v === 'bigint') appender.appendBigInt(v);
            else if (typeof v === 'number') appender.appendDouble(v);
            else appender.appendBoolean(v);
          }
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Quote a string as a SQL literal (for file paths, which DuckDB table functions cannot bind). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Quote an identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
