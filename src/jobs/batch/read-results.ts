import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlIdent, sqlString, type Sql } from '../../core/duckdb.js';
import { isError, PinpipeError } from '../../core/errors.js';
import { ANALYTICS, type Analytic } from '../../analytics/index.js';
import { ageGroupOrder, orderBy } from '../../analytics/fragments.js';
import { DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { readBatchCommit } from './batch-state.js';
import { analyticById, resultTable } from './batch-tables.js';

/** A stored result set: its columns in the order of docs/data.md §5 and its rows in the order of docs/data.md §5 (BIGINT as number). */
export interface StoredResult {
  readonly id: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string | number | null>[];
}

/** One line of `pinpipe query --list`. */
export interface ResultInfo {
  readonly id: string;
  readonly description: string;
  /** When the stored result set was committed (epoch ms); undefined when it was never computed. */
  readonly computedAt?: number;
  /** The logical date of the run that computed it. */
  readonly date?: string;
  readonly rows?: number;
  readonly version?: number;
}

function analytic(id: string): Analytic {
  const a = analyticById(id);
  if (!a) throw new PinpipeError('RESULT_NOT_FOUND', `Unknown result set ${JSON.stringify(id)}. Valid ids: ${ANALYTICS.map((x) => x.id).join(', ')}.`);
  return a;
}

async function open(store: ObjectStore, sql: Sql, a: Analytic): Promise<DeltaTable | undefined> {
  try {
    return await DeltaTable.open(store, resultTable(a.id), { sql });
  } catch (err) {
    if (isError(err, 'DELTA_TABLE_NOT_FOUND')) return undefined;
    throw err;
  }
}

/** Run `fn` with a query returning result set `id` in the order of docs/data.md §5 (see readResult). */
async function withResultQuery<T>(store: ObjectStore, sql: Sql, id: string, fn: (query: string, columns: string[]) => Promise<T>): Promise<T> {
  const a = analytic(id);
  const table = await open(store, sql, a);
  if (!table) throw new PinpipeError('RESULT_NOT_COMPUTED', `Result set ${id} has not been computed yet: run \`pinpipe batch run\`.`);
  const view = `result_${a.id}`;
  await table.registerView(view);
  const cols = a.columns.map((c) => c.name);
  const order = orderBy(...cols.map((c) => (c === 'age_group' ? ageGroupOrder(sqlIdent(c)) : sqlIdent(c))));
  try {
    return await fn(`SELECT ${cols.map(sqlIdent).join(', ')} FROM ${sqlIdent(view)} ${order}`, cols);
  } finally {
    await sql.exec(`DROP VIEW IF EXISTS ${sqlIdent(view)}`);
  }
}

/**
 * The stored rows of result set `id`, sorted as docs/data.md §5 says (columns left to right, age groups
 * in natural order, NULLs last). RESULT_NOT_FOUND for an unknown id (the message lists the valid
 * ones), RESULT_NOT_COMPUTED when no batch run has stored it yet.
 */
export async function readResult(store: ObjectStore, sql: Sql, id: string): Promise<StoredResult> {
  return withResultQuery(store, sql, id, async (query, cols) => {
    const rows = await sql.all<Record<string, unknown>>(query);
    const plain = rows.map((r) => Object.fromEntries(cols.map((c) => [c, typeof r[c] === 'bigint' ? Number(r[c]) : (r[c] as string | number | null)])));
    return { id, columns: cols, rows: plain };
  });
}

/** Result set `id` as RFC 4180 CSV (header line, CRLF line ends; NULL is an empty field, the empty string `""`), written by DuckDB's CSV writer. */
export async function readResultCsv(store: ObjectStore, sql: Sql, id: string): Promise<string> {
  return withResultQuery(store, sql, id, async (query) => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'pinpipe-query-'));
    try {
      const file = join(dir, 'result.csv');
      await sql.exec(`COPY (${query}) TO ${sqlString(file)} (FORMAT csv, HEADER, NEW_LINE '\r\n')`);
      return await fs.readFile(file, 'utf8');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
}

/** Every result set id with when (and for which date) it was last computed. */
export async function listResults(store: ObjectStore, sql: Sql, job: string): Promise<ResultInfo[]> {
  const out: ResultInfo[] = [];
  for (const a of ANALYTICS) {
    const table = await open(store, sql, a);
    if (!table) {
      out.push({ id: a.id, description: a.description });
      continue;
    }
    const snap = await table.snapshot();
    const last = await readBatchCommit(store, snap, job).catch(() => undefined);
    out.push({ id: a.id, description: a.description, computedAt: last?.timestamp, date: last?.state.date, rows: snap.numRecords, version: snap.version });
  }
  return out;
}
