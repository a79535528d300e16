// A throw-away local object store for delta tests.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { openDuckDB, type Sql } from '../../src/core/duckdb.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../src/lake/object-store.js';

export interface TempStore {
  dir: string;
  store: LocalObjectStore;
  cleanup(): Promise<void>;
}

/** A LocalObjectStore on a fresh temp directory. */
export async function tempStore(): Promise<TempStore> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'pinpipe-delta-test-'));
  return { dir, store: new LocalObjectStore(dir, { fsync: false }), cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** An ObjectStore that is not a LocalObjectStore (so writers take the remote path: temp file + put), with a fault hook. */
export class WrappedStore implements ObjectStore {
  readonly url: string;
  /** Throw this from put() for keys it matches. */
  failPut: ((key: string) => Error | undefined) | undefined;
  puts = 0;
  constructor(private readonly inner: ObjectStore) {
    this.url = `wrapped:${inner.url}`;
  }
  async put(key: string, body: Uint8Array | string, opts?: PutOptions): Promise<void> {
    const err = this.failPut?.(key);
    if (err) throw err;
    this.puts++;
    return this.inner.put(key, body, opts);
  }
  get(key: string): Promise<Buffer> {
    return this.inner.get(key);
  }
  head(key: string): Promise<ObjectInfo | undefined> {
    return this.inner.head(key);
  }
  list(prefix: string): Promise<ObjectInfo[]> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  localPath(key: string): Promise<string> {
    return this.inner.localPath(key);
  }
}

/**
 * The hooks every Delta test file needs — one DuckDB for the file, a fresh temp store per test —
 * registered once; read `fx.sql` and `fx.tmp` inside tests.
 */
export function useDeltaFixture(): { readonly sql: Sql; readonly tmp: TempStore } {
  let sql: Sql | undefined;
  let tmp: TempStore | undefined;
  before(async () => {
    sql = await openDuckDB();
  });
  after(() => sql?.close());
  beforeEach(async () => {
    tmp = await tempStore();
  });
  afterEach(() => tmp?.cleanup());
  return {
    get sql(): Sql {
      if (!sql) throw new Error('fx.sql is only set inside tests');
      return sql;
    },
    get tmp(): TempStore {
      if (!tmp) throw new Error('fx.tmp is only set inside tests');
      return tmp;
    },
  };
}
