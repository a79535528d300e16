import { openDuckDB, sqlIdent, type Sql } from '../core/duckdb.js';
import { ANALYTICS } from '../analytics/index.js';
import { DeltaTable } from '../delta/index.js';
import { listResults, readResult, resultTable, type ResultInfo, type StoredResult } from '../jobs/batch/index.js';
import type { ObjectStore } from '../lake/object-store.js';

/** Rejected records of one rejects table, counted by record kind and reason. */
export interface RejectCount {
  kind: string;
  reason: string;
  count: number;
}

/**
 * What the status API reads from the lake's Delta tables, on one single-threaded DuckDB with one
 * query at a time, each answer kept until its table's version changes (so a dashboard polling
 * every few seconds costs a look at the tables' logs, not a scan).
 */
export class LakeReader {
  private sql: Promise<Sql> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly handles = new Map<string, DeltaTable>();
  private readonly cache = new Map<string, { version: number; value: unknown }>();
  private listed: { at: number; value: Promise<ResultInfo[]> } | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly job: string,
    /** How long a result list stays fresh (it opens ten tables). */
    private readonly listTtlMs = 2000,
  ) {}

  /** Rejected records of the rejects table at `key` by kind and reason; empty when the table does not exist yet. */
  rejects(key: string): Promise<RejectCount[]> {
    return this.cached(key, `rejects:${key}`, async (sql, table) => {
      await table.registerView('status_rejects', { sql });
      const rows = await sql.all<{ kind: string; reason: string; n: bigint }>(
        `SELECT kind, reason, count(*) AS n FROM ${sqlIdent('status_rejects')} GROUP BY kind, reason ORDER BY kind, reason`,
      );
      return rows.map((r) => ({ kind: r.kind, reason: r.reason, count: Number(r.n) }));
    }).then((r) => r ?? []);
  }

  /** Every result set with when it was computed (see listResults). */
  results(): Promise<ResultInfo[]> {
    if (!this.listed || Date.now() - this.listed.at > this.listTtlMs) {
      const value = this.serial(async (sql) => listResults(this.store, sql, this.job));
      this.listed = { at: Date.now(), value };
      value.catch(() => (this.listed = undefined));
    }
    return this.listed.value;
  }

  /** The stored rows of result set `id` and the table version they come from; RESULT_NOT_FOUND / RESULT_NOT_COMPUTED as readResult. */
  async result(id: string): Promise<StoredResult & { version: number | undefined }> {
    const slot = `result:${id}`;
    // Only a known id reaches the store; readResult names the problem of any other (unknown id, no table yet).
    const hit = ANALYTICS.some((a) => a.id === id) ? await this.cached(resultTable(id), slot, (sql) => readResult(this.store, sql, id)) : undefined;
    if (hit) return { ...hit, version: this.cache.get(slot)?.version };
    return { ...(await this.serial((sql) => readResult(this.store, sql, id))), version: undefined };
  }

  /** Close the DuckDB. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    for (const t of this.handles.values()) await t.close();
    if (this.sql) (await this.sql).close();
  }

  private serial<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => fn(await (this.sql ??= openDuckDB({ threads: 1 }))));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** `read` of the table at `key`, computed again only when its version moved; undefined when there is no table. */
  private cached<T>(key: string, slot: string, read: (sql: Sql, table: DeltaTable) => Promise<T>): Promise<T | undefined> {
    return this.serial(async (sql) => {
      if (!this.handles.has(key)) {
        if (!(await DeltaTable.exists(this.store, key))) return undefined;
        this.handles.set(key, DeltaTable.handle(this.store, key, { sql }));
      }
      const table = this.handles.get(key)!;
      const { version } = await table.snapshot();
      const hit = this.cache.get(slot);
      if (hit && hit.version === version) return hit.value as T;
      const value = await read(sql, table);
      this.cache.set(slot, { version, value });
      return value;
    });
  }
}
