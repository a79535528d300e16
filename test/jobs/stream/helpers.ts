import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig, streamNames, type Config } from '../../../src/core/config.js';
import { createLogger } from '../../../src/core/logger.js';
import { StreamJob, streamTableKeys } from '../../../src/jobs/stream/index.js';
import { LocalObjectStore } from '../../../src/lake/local/local-store.js';
import type { ObjectStore } from '../../../src/lake/object-store.js';
import { openSqliteLog, type SqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import type { RecordKind } from '../../../src/transforms/index.js';
import { canonicalValue, readDeltaTableIndependently, type IndependentTable } from '../../helpers/independent-delta.js';
import { tempDir } from '../../helpers/temp.js';
import { referenceClean } from '../../transforms/reference.js';

export const PREFIX = 'tst';
export const STREAMS = streamNames(PREFIX);
export const TABLES = streamTableKeys(PREFIX);

/** A sqlite log and a lake in a temp dir, and stream jobs on them. */
export interface JobEnv {
  dir: string;
  lakeDir: string;
  log: SqliteLog;
  store: ObjectStore;
  config: Config['stream'];
  /** A started job (stop it yourself, or let cleanup do it). */
  job(opts?: { store?: ObjectStore; config?: Partial<Config['stream']> }): Promise<StreamJob>;
  cleanup(): Promise<void>;
}

export async function jobEnv(stream: Partial<Config['stream']> = {}): Promise<JobEnv> {
  const { dir, cleanup } = tempDir('pinpipe-stream');
  const log = await openSqliteLog({ path: join(dir, 'log', 'pinpipe.db'), fsync: 'off' });
  const lakeDir = join(dir, 'lake');
  const store = new LocalObjectStore(lakeDir, { fsync: false });
  const config = parseConfig({ prefix: PREFIX, stream: { minIntervalMs: 20, retryDelayMs: 50, ...stream } }).stream;
  const jobs: StreamJob[] = [];
  return {
    dir,
    lakeDir,
    log,
    store,
    config,
    async job(opts = {}) {
      const j = new StreamJob({ log, store: opts.store ?? store, prefix: PREFIX, config: { ...config, ...opts.config }, logger: createLogger('silent') });
      jobs.push(j);
      await j.start();
      return j;
    },
    async cleanup() {
      for (const j of jobs) await j.stop();
      await log.close();
      cleanup();
    },
  };
}

/** Append JSON texts (or values) to a kind's stream; returns their positions. */
export async function put(log: SqliteLog, kind: RecordKind, values: readonly unknown[], partition?: number): Promise<string[]> {
  await log.ensureTopic(STREAMS[kind]);
  const res = await log.append(
    STREAMS[kind],
    values.map((v) => ({ value: typeof v === 'string' ? v : JSON.stringify(v), partition })),
  );
  return res.map((r) => ('position' in r ? r.position : (Promise.reject(r.error) as never)));
}

/** A streamed table read by the independent reader (not src/delta). */
export function readTable(env: { lakeDir: string }, id: RecordKind | 'rejects'): Promise<IndependentTable> {
  return readDeltaTableIndependently(join(env.lakeDir, TABLES[id]));
}

/** What docs/data.md §3–4 make of payloads of one kind: one row per ind (the first clean one), canonical like the independent reader's rows. */
export function expectedRows(kind: RecordKind, payloads: readonly string[], schema: IndependentTable['schema']): Record<string, unknown>[] {
  const byInd = new Map<string, Record<string, unknown>>();
  for (const p of payloads) {
    const o = referenceClean(kind, p);
    if (!('clean' in o)) continue;
    const ind = String(o.clean.ind);
    if (!byInd.has(ind)) byInd.set(ind, Object.fromEntries(schema.map((f) => [f.name, canonicalValue(o.clean[f.name], f.type)])));
  }
  return sortByInd([...byInd.values()]);
}

export function sortByInd<T extends Record<string, unknown>>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (BigInt(String(a.ind)) < BigInt(String(b.ind)) ? -1 : 1));
}

/** Poll until `check` returns true (or fail after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A local store with hooks around put(): `before` may throw or wait (the put then does not happen), `after` may throw once the object is written. */
export class FaultStore implements ObjectStore {
  readonly url: string;
  before: ((key: string) => void | Promise<void>) | undefined;
  after: ((key: string) => void | Promise<void>) | undefined;
  constructor(readonly inner: LocalObjectStore) {
    this.url = inner.url;
  }
  async put(key: string, body: Uint8Array | string, opts?: { ifAbsent?: boolean }): Promise<void> {
    await this.before?.(key);
    await this.inner.put(key, body, opts);
    await this.after?.(key);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  localPath(key: string) {
    return this.inner.localPath(key);
  }
}

/** True for the key of a commit (version ≥ 1) of a table. */
export function isCommitOf(table: string, key: string): boolean {
  const m = new RegExp(`^${table}/_delta_log/(\\d{20})\\.json$`).exec(key);
  return m !== null && Number(m[1]) >= 1;
}
