import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PinpipeError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../object-store.js';

/** Reject keys that could leave the store's root. */
export function assertKey(key: string): void {
  if (key.length === 0 || key.startsWith('/') || key.includes('\\') || key.includes('\0') || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new PinpipeError('INVALID_NAME', `Invalid object key ${JSON.stringify(key)}`);
  }
}

export interface LocalStoreOptions {
  /** fsync each object before it becomes visible (default true). */
  fsync?: boolean;
  /** Temp files older than this are leftovers of a crashed writer and are swept (default 1 h). */
  staleTempMs?: number;
}

/** Reserved folder for in-flight writes (same filesystem as the objects, so rename is atomic). */
export const TEMP_DIR = '_tmp';

/** How many objects putAll stages at once. */
const STAGE_CONCURRENCY = 32;

/** An ObjectStore on a local directory; puts are temp-file + rename, put-if-absent is a hard link. */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  readonly url: string;
  private readonly fsync: boolean;
  private readonly madeDirs = new Set<string>();
  private readonly staleTempMs: number;
  private swept = false;

  constructor(root: string, opts: LocalStoreOptions = {}) {
    this.root = resolve(root);
    this.url = this.root;
    this.fsync = opts.fsync ?? true;
    this.staleTempMs = opts.staleTempMs ?? 3_600_000;
  }

  /** Remove temp files a crashed writer left behind (old enough that no live writer owns them). */
  async sweepTemp(olderThanMs = this.staleTempMs): Promise<number> {
    const dir = join(this.root, TEMP_DIR);
    let n = 0;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const st = await fs.stat(join(dir, name)).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs >= olderThanMs) {
        await fs.rm(join(dir, name), { force: true });
        n++;
      }
    }
    return n;
  }

  private path(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async mkdirFor(path: string): Promise<void> {
    const dir = dirname(path);
    if (this.madeDirs.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  async put(key: string, body: Uint8Array | string, opts: PutOptions = {}): Promise<void> {
    const path = await this.prepare(key);
    const tmp = await this.stage(body);
    try {
      if (opts.ifAbsent) {
        // link() fails with EEXIST atomically: never a check-then-write.
        await fs.link(tmp, path).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') throw new PinpipeError('OBJECT_EXISTS', `Object ${key} already exists`);
          throw err;
        });
        await fs.unlink(tmp);
      } else {
        await fs.rename(tmp, path);
      }
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Put many objects, made visible in the given order (if one is visible, so is every one before
   * it). The bytes are written and fsynced concurrently, so the disk commits them together.
   */
  async putAll(items: readonly { key: string; body: Uint8Array | string }[]): Promise<void> {
    const paths: string[] = [];
    for (const it of items) paths.push(await this.prepare(it.key));
    const temps: string[] = [];
    try {
      for (let i = 0; i < items.length; i += STAGE_CONCURRENCY) {
        temps.push(...(await Promise.all(items.slice(i, i + STAGE_CONCURRENCY).map((it) => this.stage(it.body)))));
      }
      for (let i = 0; i < items.length; i++) await fs.rename(temps[i], paths[i]);
    } catch (err) {
      await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
      throw err;
    }
  }

  /** Validate a key and make its folder; returns its path. */
  private async prepare(key: string): Promise<string> {
    const path = this.path(key);
    if (key === TEMP_DIR || key.startsWith(`${TEMP_DIR}/`)) throw new PinpipeError('INVALID_NAME', `Object keys under ${TEMP_DIR}/ are reserved`);
    await this.mkdirFor(path);
    if (!this.swept) {
      this.swept = true;
      await this.sweepTemp();
    }
    return path;
  }

  /** Write bytes to a fresh temp file (fsynced unless disabled) and return its path. */
  private async stage(body: Uint8Array | string): Promise<string> {
    const tmpDir = join(this.root, TEMP_DIR);
    await this.mkdirFor(join(tmpDir, 'x'));
    const tmp = join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(body);
      if (this.fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    return tmp;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PinpipeError('OBJECT_NOT_FOUND', `Object ${key} not found`);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const st = await fs.stat(this.path(key));
      return st.isFile() ? { key, size: st.size, modifiedAt: Math.floor(st.mtimeMs) } : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    // Walk only the deepest directory the prefix names fully.
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash) : '';
    if (base) assertKey(base);
    const out: ObjectInfo[] = [];
    const walk = async (dirKey: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dirKey ? join(this.root, ...dirKey.split('/')) : this.root, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw err;
      }
      const files: string[] = [];
      for (const e of entries) {
        const key = dirKey ? `${dirKey}/${e.name}` : e.name;
        if (key === TEMP_DIR) continue;
        if (e.isDirectory()) {
          if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || prefix.startsWith(key)) await walk(key);
        } else if (key.startsWith(prefix)) {
          files.push(key);
        }
      }
      // stat in parallel: a table folder can hold thousands of files
      const stats = await Promise.all(files.map((key) => fs.stat(join(this.root, ...key.split('/'))).catch(() => undefined)));
      files.forEach((key, i) => {
        const st = stats[i];
        if (st) out.push({ key, size: st.size, modifiedAt: Math.floor(st.mtimeMs) });
      });
    };
    await walk(base);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.path(key), { force: true });
  }

  async localPath(key: string): Promise<string> {
    return this.path(key);
  }
}
